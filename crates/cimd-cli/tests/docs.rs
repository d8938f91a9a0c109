//! `docs/codes.md` is generated from the code registry; this test fails when it is stale.
//! Regenerate with `CIMD_UPDATE_DOCS=1 cargo test -p cimd-cli --test docs`.

use std::path::PathBuf;

#[test]
fn codes_markdown_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/codes.md");
    let generated = cimd::codes::markdown();
    if std::env::var_os("CIMD_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/codes.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/codes.md is stale: run `CIMD_UPDATE_DOCS=1 cargo test -p cimd-cli --test docs` and commit the result"
    );
}

#[test]
fn cli_prints_the_same_markdown() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cimd"))
        .args(["codes", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        cimd::codes::markdown()
    );
}

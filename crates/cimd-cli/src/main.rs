//! The `cimd` command line (DESIGN.md, CLI contract).
fn main() {}

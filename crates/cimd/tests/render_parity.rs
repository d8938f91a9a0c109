//! The rendered frames of every conformance case, checked for what a reader relies on: each
//! diagnostic gets a frame, a positioned one names its line and column and shows that line with the
//! carets under the span's own characters, an unpositioned one says what it is about, and colour
//! only adds styles. The snapshots (`snapshots.rs`) pin the exact text of a few cases; this covers
//! them all, in every combination of options the hosts use.

mod support;

use cimd::{Diagnostic, RenderOptions, Report, Severity};

/// Removes ANSI SGR sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            assert_eq!(chars.next(), Some('['), "a lone escape in {text:?}");
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
                assert!(
                    c.is_ascii_digit() || c == ';',
                    "not an SGR sequence in {text:?}"
                );
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The byte range a frame marks: the span, or for an empty span the character at it (the last one
/// at the end of the input, none in an empty input). `None` when the diagnostic gets no code frame.
fn marked(d: &Diagnostic, text: &str) -> Option<std::ops::Range<usize>> {
    let span = d.span?;
    let whole_document = d.pointer.as_deref() == Some("") && span.end - span.start <= 1;
    let range = span.range();
    if whole_document
        || range.end > text.len()
        || !text.is_char_boundary(range.start)
        || !text.is_char_boundary(range.end)
    {
        return None;
    }
    if !range.is_empty() {
        return Some(range);
    }
    Some(match text[range.start..].chars().next() {
        Some(c) => range.start..range.start + c.len_utf8(),
        None => match text.chars().next_back() {
            Some(c) => text.len() - c.len_utf8()..text.len(),
            // An empty document: one caret on its empty line.
            None => range,
        },
    })
}

/// 1-based line and column (in characters) of byte `pos`.
fn line_column(text: &str, pos: usize) -> (usize, usize) {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    (
        1 + text[..pos].matches('\n').count(),
        1 + text[line_start..pos].chars().count(),
    )
}

/// Checks one diagnostic's frame (plain text).
fn check_frame(case: &str, d: &Diagnostic, frame: &str, text: Option<&str>, path: &str) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let rows: Vec<&str> = frame.lines().collect();
    let context = || format!("{case} {}:\n{frame}", d.code());
    assert!(
        rows[0].starts_with(&format!("{level}[{}]: ", d.code())),
        "{}",
        context()
    );
    let help = d.help.lines().next().unwrap_or_default();
    assert!(
        rows.iter()
            .any(|r| r.trim_start().starts_with(&format!("= help: {help}"))),
        "{}",
        context()
    );
    assert_eq!(
        rows.last().copied(),
        Some(format!("note: {} · cimd explain {}", d.spec(), d.code()).as_str()),
        "{}",
        context()
    );

    let Some((text, range)) = text.and_then(|t| Some((t, marked(d, t)?))) else {
        let about = match d.pointer.as_deref() {
            Some(p) if !p.is_empty() => format!("at {p}"),
            _ if d.code().starts_with("CIMD5") || d.code().starts_with("CIMD6") => {
                "about the HTTP response".to_owned()
            }
            _ => "about the whole document".to_owned(),
        };
        assert_eq!(rows[1], " |", "{}", context());
        assert_eq!(rows[2], format!(" = note: {about}"), "{}", context());
        return;
    };

    // The location line: the span's start.
    let (line, column) = line_column(text, range.start);
    // (A text that ends with a line break has no empty line after it.)
    let last_line = line_column(text, range.end).0
        - usize::from(range.end == text.len() && text.ends_with('\n'));
    let gutter = rows[1].find("--> ").expect("a location line");
    assert_eq!(
        rows[1],
        format!("{}--> {path}:{line}:{column}", " ".repeat(gutter)),
        "{}",
        context()
    );
    // The gutter fits the largest line number shown.
    assert!(line.to_string().len() <= gutter, "{}", context());
    // The start line is shown under its number, then the carets (or a multi-line span's bar).
    let number = format!("{line:>gutter$} | ");
    let at = rows
        .iter()
        .position(|r| r.starts_with(&number) || *r == number.trim_end())
        .unwrap_or_else(|| panic!("no row for line {line}: {}", context()));
    // (An empty line has no space after the bar.)
    let code = rows[at].get(number.len()..).unwrap_or_default();
    let under = rows[at + 1];
    let multiline = last_line != line;
    if multiline {
        // The bar starts at the first character (`/` when only whitespace is before it) and ends
        // with the label on the span's last line.
        assert!(
            code.starts_with("/ ") || under.trim_end().ends_with('^'),
            "{}",
            context()
        );
        let end = rows
            .iter()
            .position(|r| r.starts_with(&format!("{last_line:>gutter$} | |")))
            .unwrap_or_else(|| panic!("no row for line {last_line}: {}", context()));
        assert!(
            rows[end + 1].contains("|_") && rows[end + 1].ends_with(&format!("^ {}", d.name())),
            "{}",
            context()
        );
        return;
    }
    assert!(
        under.starts_with(&format!("{} | ", " ".repeat(gutter))),
        "{}",
        context()
    );
    let carets = &under[number.len()..];
    assert!(
        carets.trim_end().ends_with(&format!("^ {}", d.name())),
        "{}",
        context()
    );
    // Where the line is plain ASCII (one column per byte), the carets stand exactly under the
    // span's characters, also when the line is cut to fit the terminal (`...` at either end).
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| range.start + i);
    let source_line = &text[line_start..line_end];
    if !source_line.bytes().all(|b| (b' '..=b'~').contains(&b)) || range.end > line_end {
        assert!(carets.contains('^'), "{}", context());
        return;
    }
    let first = carets.find('^').expect("carets");
    let count = carets[first..].chars().take_while(|&c| c == '^').count();
    let marked = &source_line[range.start - line_start..range.end - line_start];
    if marked.is_empty() {
        assert_eq!((first, count), (0, 1), "{}", context());
    } else if count == marked.len() {
        assert_eq!(
            code.get(first..first + count),
            Some(marked),
            "the carets are not under the span: {}",
            context()
        );
        if !code.starts_with("...") {
            assert_eq!(first, range.start - line_start, "{}", context());
        }
    } else {
        // A span too wide for the terminal loses its middle: its ends still line up.
        assert!(carets[first..].contains("^...^"), "{}", context());
        assert_eq!(
            code.as_bytes()[first],
            marked.as_bytes()[0],
            "{}",
            context()
        );
    }
}

#[test]
fn every_case_renders_a_frame_per_diagnostic() {
    let cases = support::load();
    let mut frames = 0;
    for case in &cases {
        let report: Report = case.run();
        // What the CLI passes: the text, lossily decoded when it is not UTF-8.
        let text = case
            .failure
            .is_none()
            .then(|| String::from_utf8_lossy(&case.bytes()).into_owned());
        let mut ordered: Vec<&Diagnostic> = report.diagnostics.iter().collect();
        ordered.sort_by_key(|d| std::cmp::Reverse(d.severity));
        for with_text in [true, false] {
            for path in [None, Some(case.name.clone())] {
                for diagnostics_only in [false, true] {
                    let source = text.as_deref().filter(|_| with_text);
                    let options = RenderOptions {
                        color: false,
                        path: path.clone(),
                        diagnostics_only,
                    };
                    let plain = cimd::render(&report, source, &options);
                    let colored = cimd::render(
                        &report,
                        source,
                        &RenderOptions {
                            color: true,
                            ..options
                        },
                    );
                    assert_eq!(strip_ansi(&colored), plain, "{}", case.name);
                    assert!(colored.contains('\x1b'), "{}", case.name);
                    assert_eq!(
                        plain.contains("Document details:"),
                        !diagnostics_only && report.document.is_some(),
                        "{}",
                        case.name
                    );
                    let parts: Vec<&str> = plain.split("\n\n").collect();
                    assert!(parts.len() > ordered.len(), "{}:\n{plain}", case.name);
                    for (d, frame) in ordered.iter().zip(&parts) {
                        let path = path.as_deref().unwrap_or("document");
                        check_frame(&case.name, d, frame, source, path);
                        frames += 1;
                    }
                    let verdict = parts[ordered.len()];
                    assert!(
                        verdict.starts_with("✓ Valid") || verdict.starts_with("✗ Invalid"),
                        "{}:\n{plain}",
                        case.name
                    );
                }
            }
        }
    }
    assert!(frames > 1000, "only {frames} frames checked");
}

/// Wide characters, tabs and CRLF line breaks before a span: the carets still point at it.
#[test]
fn frames_line_up_after_wide_characters_tabs_and_crlf() {
    let text = "{\r\n\t\"client_name\": \"アプリ 😀\", \"client_id\": 7\r\n}";
    let report = cimd::validate(text, &cimd::Options::default());
    let out = cimd::render(&report, Some(text), &RenderOptions::default());
    // `\t` shows as four spaces; アプリ and 😀 take two columns each.
    let frame = out
        .split("\n\n")
        .find(|f| f.contains("--> document:2:"))
        .unwrap_or_else(|| panic!("no frame on line 2:\n{out}"));
    let rows: Vec<&str> = frame.lines().collect();
    let code = rows.iter().position(|r| r.starts_with("2 | ")).unwrap();
    assert_eq!(
        rows[code],
        "2 |     \"client_name\": \"アプリ 😀\", \"client_id\": 7"
    );
    let column = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let seven = column(&rows[code][..rows[code].find('7').unwrap()]);
    assert_eq!(rows[code + 1].find('^'), Some(seven), "{frame}");
}

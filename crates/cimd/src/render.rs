//! The text renderer every host shares: FastMCP's output shape (`✓ Valid CIMD document`,
//! `Document details:`) plus a code frame with carets for each diagnostic.
//!
//! The frames are drawn by hand, character for character as annotate-snippets 0.12 drew them
//! (ASCII decorations, its ANSI styles, long lines cut to 140 columns around the span), for the
//! wasm size budget: annotate-snippets and what it brings (the unicode-width tables, anstyle) took
//! 31 KB of the npm package's web build (gzipped; the budget is 120 KB), this file's frames take 6.
//! Only what a diagnostic needs is here: one span, one label. Display widths come from two short
//! range tables instead of unicode-width's (see [`char_width`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use crate::Severity;
use crate::report::{Diagnostic, Report};

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours (the CLI sets this on a TTY without `NO_COLOR`).
    pub color: bool,
    /// The name shown in code frames (a file path or the URL); `document` when `None`.
    pub path: Option<String>,
    /// Leave out the `Document details:` block and the portability lines.
    pub diagnostics_only: bool,
}

/// Renders a report; `source` is the text the spans point into (frames are skipped without it).
pub fn render(report: &Report, source: Option<&str>, options: &RenderOptions) -> String {
    let mut out = String::new();
    let path = options.path.as_deref().unwrap_or("document");
    // Errors first, then warnings, then advice; by position within each (the report's own order).
    // One pass per severity rather than a stable sort: a sort costs ~1.4 KB of the gzipped web wasm.
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for diagnostic in report.diagnostics.iter().filter(|d| d.severity == severity) {
            frame(&mut out, diagnostic, source, path, options.color);
            out.push_str("\n\n");
        }
    }
    let (ok, bad) = if options.color {
        ("\x1b[32m✓\x1b[0m", "\x1b[31m✗\x1b[0m")
    } else {
        ("✓", "✗")
    };
    let s = report.summary;
    let counts = format!(
        "{} error{}, {} warning{}, {} info",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.infos
    );
    if report.valid {
        let _ = writeln!(
            out,
            "{ok} Valid CIMD document ({counts}, profile {})",
            report.profile.as_str()
        );
    } else if report.strict && s.errors == 0 {
        let _ = writeln!(
            out,
            "{bad} Invalid CIMD document under --strict ({counts}, profile {})",
            report.profile.as_str()
        );
    } else {
        let _ = writeln!(
            out,
            "{bad} Invalid CIMD document ({counts}, profile {})",
            report.profile.as_str()
        );
    }
    if options.diagnostics_only {
        return out;
    }
    if let Some(fetch) = &report.fetch {
        out.push_str("\nFetch:\n");
        let field = |name: &str, value: Option<String>| {
            value
                .map(|v| format!("  {name}: {v}\n"))
                .unwrap_or_default()
        };
        out.push_str(&field("status", fetch.status.map(|s| s.to_string())));
        out.push_str(&field("content_type", fetch.content_type.clone()));
        out.push_str(&field("bytes", fetch.bytes.map(|b| b.to_string())));
        out.push_str(&field("address", fetch.address.clone()));
        out.push_str(&field(
            "elapsed",
            fetch.elapsed_ms.map(|m| format!("{m} ms")),
        ));
        out.push_str(&field(
            "cache lifetime",
            fetch.cache_ttl_s.map(|t| format!("{t} s")),
        ));
    }
    let value = report.document.as_ref().map(crate::Document::value);
    if let Some(document) = value.as_ref().and_then(serde_json::Value::as_object) {
        out.push_str("\nDocument details:\n");
        let text = |name: &str| document.get(name).and_then(serde_json::Value::as_str);
        let _ = writeln!(
            out,
            "  client_id: {}",
            text("client_id").unwrap_or("(not set)")
        );
        let _ = writeln!(
            out,
            "  client_name: {}",
            text("client_name").unwrap_or("(not set)")
        );
        let _ = writeln!(
            out,
            "  token_endpoint_auth_method: {}",
            text("token_endpoint_auth_method").unwrap_or("(not set)")
        );
        match document
            .get("redirect_uris")
            .and_then(serde_json::Value::as_array)
        {
            Some(uris) if !uris.is_empty() => {
                out.push_str("  redirect_uris:\n");
                for uri in uris {
                    let _ = writeln!(
                        out,
                        "    • {}",
                        uri.as_str().map_or_else(|| uri.to_string(), str::to_owned)
                    );
                }
            }
            _ => out.push_str("  redirect_uris: (none)\n"),
        }
        for name in ["scope", "client_uri", "logo_uri"] {
            if let Some(value) = text(name) {
                let _ = writeln!(out, "  {name}: {value}");
            }
        }
    }
    if !report.portability.is_empty() {
        out.push_str("\nPortability (predicted):\n");
        for p in &report.portability {
            let mark = if p.accepts { ok } else { bad };
            let mut reasons: Vec<String> = p
                .because
                .iter()
                .map(|c| {
                    crate::codes::lookup(c)
                        .map_or_else(|| (*c).to_owned(), |code| format!("{c} ({})", code.title))
                })
                .collect();
            reasons.extend(p.notes.iter().map(ToString::to_string));
            let why = if reasons.is_empty() {
                String::new()
            } else {
                format!(": {}", reasons.join("; "))
            };
            let _ = writeln!(out, "  {mark} {}{why}", p.server);
            if !p.loopback.is_empty() {
                let ports: Vec<String> = p
                    .loopback
                    .iter()
                    .map(|l| {
                        let which = match l.ports {
                            crate::report::Ports::Any => "any port".to_owned(),
                            crate::report::Ports::Registered => {
                                let port =
                                    crate::uri::Uri::split(&l.uri).port().unwrap_or_default();
                                format!("only port {port}")
                            }
                            crate::report::Ports::None => "no port".to_owned(),
                        };
                        format!("{} {which}", l.uri)
                    })
                    .collect();
                let _ = writeln!(out, "      loopback: {}", ports.join("; "));
            }
        }
    }
    out
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The frame of one diagnostic: the title, the code frame (or a note saying what the diagnostic is
/// about), the help, and the spec reference.
fn frame(out: &mut String, d: &Diagnostic, source: Option<&str>, path: &str, color: bool) {
    let (level, style) = match d.severity {
        Severity::Error => ("error", RED),
        Severity::Warning => ("warning", YELLOW),
        Severity::Info => ("info", BLUE),
    };
    // A missing member points at the opening brace (editors need a place to mark); a frame of
    // that one character says nothing in a terminal.
    let whole_document =
        d.pointer.as_deref() == Some("") && d.span.is_some_and(|s| s.end - s.start <= 1);
    let span = d.span.filter(|s| {
        !whole_document
            && source.is_some_and(|src| {
                (s.end as usize) <= src.len()
                    && src.is_char_boundary(s.start as usize)
                    && src.is_char_boundary(s.end as usize)
            })
    });
    let snippet = match (span, source) {
        (Some(span), Some(source)) => {
            let mut range = span.range();
            if range.is_empty() {
                // A zero-width span (end of input) still needs a caret: under the character
                // there, or under the last one (a whole character: a document of just a BOM
                // made annotate-snippets panic here).
                range.end = (range.start + 1).min(source.len());
                range.start = range.end.saturating_sub(1).min(range.start);
                while !source.is_char_boundary(range.start) {
                    range.start -= 1;
                }
                while !source.is_char_boundary(range.end) {
                    range.end += 1;
                }
            }
            Some((source, range))
        }
        _ => None,
    };
    // The width of the largest line number shown (none without a code frame).
    let gutter = snippet.as_ref().map_or(0, |(source, range)| {
        let before = &source[..range.end];
        let newlines = before.bytes().filter(|&b| b == b'\n').count();
        (1 + newlines - usize::from(before.ends_with('\n')))
            .to_string()
            .len()
    });

    let mut canvas = Canvas::default();
    canvas.append(0, level, style);
    canvas.append(0, "[", style);
    canvas.append(0, d.code(), style);
    canvas.append(0, "]", style);
    canvas.append(0, ": ", BOLD);
    let indent = level.len() + d.code().len() + 4;
    canvas.text(0, &visible(&d.message), indent, BOLD);
    if let Some((source, range)) = snippet {
        code_frame(&mut canvas, source, range, path, d.name(), gutter, style);
        let row = canvas.rows.len();
        canvas.putc(row, gutter + 1, '|', BLUE);
    } else {
        let row = canvas.rows.len();
        canvas.putc(row, gutter + 1, '|', BLUE);
        let about = match &d.pointer {
            Some(p) if !p.is_empty() => format!("at {p}"),
            _ if d.code().starts_with("CIMD5") || d.code().starts_with("CIMD6") => {
                "about the HTTP response".to_owned()
            }
            _ => "about the whole document".to_owned(),
        };
        canvas.message(gutter, "note", &about);
    }
    canvas.message(gutter, "help", &d.help);
    canvas.finish(out, color);
    out.push('\n');

    let mut canvas = Canvas::default();
    canvas.append(0, "note", GREEN);
    canvas.append(0, ": ", PLAIN);
    canvas.text(
        0,
        &format!("{} · cimd explain {}", d.spec(), d.code()),
        "note: ".len(),
        PLAIN,
    );
    canvas.finish(out, color);
}

/// ANSI styles (bold, then a colour); each cell keeps the sequence that starts it.
const PLAIN: &str = "";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1m\x1b[91m";
const YELLOW: &str = "\x1b[1m\x1b[33m";
/// Infos, line numbers and the gutter's decorations.
const BLUE: &str = "\x1b[1m\x1b[94m";
const GREEN: &str = "\x1b[1m\x1b[92m";
const RESET: &str = "\x1b[0m";

/// Rows of styled cells, one `char` a cell: text is written at cell positions, then printed row by
/// row with a style change only where the style changes.
#[derive(Default)]
struct Canvas {
    rows: Vec<Vec<(char, &'static str)>>,
}

impl Canvas {
    fn row(&mut self, row: usize) -> &mut Vec<(char, &'static str)> {
        if row >= self.rows.len() {
            self.rows.resize_with(row + 1, Vec::new);
        }
        &mut self.rows[row]
    }

    /// Sets one cell, padding the row with spaces up to it.
    fn putc(&mut self, row: usize, col: usize, ch: char, style: &'static str) {
        let cells = self.row(row);
        if col >= cells.len() {
            cells.resize(col + 1, (' ', PLAIN));
        }
        cells[col] = (ch, style);
    }

    /// Writes `text` from `col` on.
    fn puts(&mut self, row: usize, col: usize, text: &str, style: &'static str) {
        for (i, ch) in text.chars().enumerate() {
            self.putc(row, col + i, ch, style);
        }
    }

    /// Writes `text` after what the row holds.
    fn append(&mut self, row: usize, text: &str, style: &'static str) {
        let col = self.rows.get(row).map_or(0, Vec::len);
        self.puts(row, col, text, style);
    }

    /// Replaces the cells `start..end` of a row with `text` (nothing if they are not all there).
    fn replace(&mut self, row: usize, start: usize, end: usize, text: &str, style: &'static str) {
        let cells = self.row(row);
        if start == end || start > cells.len() || end > cells.len() {
            return;
        }
        cells.splice(start..end, text.chars().map(|ch| (ch, style)));
    }

    /// Appends lines of text from `row` on, the lines after the first indented by `indent`.
    fn text(&mut self, row: usize, text: &str, indent: usize, style: &'static str) {
        for (i, line) in text.split('\n').enumerate() {
            if i != 0 {
                self.append(row + i, &" ".repeat(indent), PLAIN);
            }
            self.append(row + i, line, style);
        }
    }

    /// A `= help: ...` line (and its continuation lines) below the frame.
    fn message(&mut self, gutter: usize, name: &str, text: &str) {
        let row = self.rows.len();
        self.puts(row, 0, &" ".repeat(gutter), PLAIN);
        self.puts(row, gutter + 1, "= ", BLUE);
        self.append(row, name, BOLD);
        self.append(row, ": ", PLAIN);
        self.text(row, text, gutter + 3 + name.len() + 2, PLAIN);
    }

    fn finish(self, out: &mut String, color: bool) {
        for (i, cells) in self.rows.iter().enumerate() {
            if i != 0 {
                out.push('\n');
            }
            let mut current = PLAIN;
            for &(ch, style) in cells {
                let style = if color { style } else { PLAIN };
                if style != current {
                    if !current.is_empty() {
                        out.push_str(RESET);
                    }
                    out.push_str(style);
                    current = style;
                }
                out.push(ch);
            }
            if !current.is_empty() {
                out.push_str(RESET);
            }
        }
    }
}

/// A source line: its text without the line break, and its byte range with the break.
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// The length of the line break (`\n`: 1, `\r\n`: 2, none at the end of the input: 0).
    eol: usize,
}

fn split_lines(source: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut rest = source;
    loop {
        let Some(n) = rest.find('\n') else {
            if !rest.is_empty() || lines.is_empty() {
                lines.push(Line {
                    text: rest,
                    start,
                    end: start + rest.len(),
                    eol: 0,
                });
            }
            return lines;
        };
        let (text, eol) = match rest[..n].strip_suffix('\r') {
            Some(text) => (text, 2),
            None => (&rest[..n], 1),
        };
        lines.push(Line {
            text,
            start,
            end: start + n + 1,
            eol,
        });
        start += n + 1;
        rest = &rest[n + 1..];
    }
}

/// A position in the frame: 1-based line, 0-based column in characters and in display columns.
#[derive(Clone, Copy, Default)]
struct Loc {
    line: usize,
    char: usize,
    display: usize,
}

/// Where byte `pos` is: the line holding it (the last line past the end), and the columns of the
/// text before it on that line.
fn locate<'a>(lines: &'a [Line<'a>], pos: usize) -> (Loc, &'a Line<'a>) {
    let index = lines
        .iter()
        .position(|l| pos >= l.start && pos < l.end)
        .unwrap_or(lines.len() - 1);
    let line = &lines[index];
    let before = &line.text[..(pos - line.start).min(line.text.len())];
    let loc = Loc {
        line: index + 1,
        char: before.chars().count(),
        display: width(before),
    };
    (loc, line)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A span within one line.
    Single,
    /// The first line of a span over several lines.
    Start,
    /// A line between, shown with the bar on the left.
    Middle,
    /// The last line, where the label is.
    End,
}

/// One line of the frame: its number, what of the span it shows, and the span's columns on it.
struct Row {
    line: usize,
    part: Part,
    start: Loc,
    end: Loc,
}

/// The code frame: `--> path:line:column`, the lines of the span with carets under it and the
/// label after them. A span over several lines is drawn from its first character to its last with a
/// bar on the left, showing at most four lines after the first and the line before the last.
fn code_frame(
    canvas: &mut Canvas,
    source: &str,
    range: Range<usize>,
    path: &str,
    label: &str,
    gutter: usize,
    style: &'static str,
) {
    let lines = split_lines(source);
    let (mut lo, line) = locate(&lines, range.start);
    if range.start - line.start > line.text.len() {
        lo.char += 1;
    }
    let mut hi = lo;
    if !range.is_empty() {
        let line;
        (hi, line) = locate(&lines, range.end);
        if lo.line != hi.line && range.end > line.end - line.eol {
            hi.char += 1;
            hi.display += 1;
        }
    }
    if lo.display == hi.display && lo.line == hi.line {
        hi.display += 1;
    }
    let text_of = |line: usize| lines.get(line.wrapping_sub(1)).map(|l| l.text);
    let mut rows = Vec::new();
    if lo.line == hi.line {
        rows.push(Row {
            line: lo.line,
            part: Part::Single,
            start: lo,
            end: hi,
        });
    } else {
        let first = Loc {
            display: lo.display + 1,
            char: lo.char + 1,
            ..lo
        };
        rows.push(Row {
            line: lo.line,
            part: Part::Start,
            start: lo,
            end: first,
        });
        let middle = |line| Row {
            line,
            part: Part::Middle,
            start: Loc::default(),
            end: Loc::default(),
        };
        // Lines with nothing but a bracket or a brace say nothing.
        let telling = |s: &str| {
            let s = s.trim();
            !(s.starts_with("//") && !(s.starts_with("///") || s.starts_with("//!")))
                && !["", "{", "}", "(", ")", "[", "]"].contains(&s)
        };
        let shown = (lo.line + 4).min(hi.line);
        let until = (lo.line..shown)
            .rev()
            .find(|&l| text_of(l).is_some_and(telling))
            .map_or(lo.line, |l| l + 1);
        rows.extend((lo.line + 1..until).map(middle));
        let before_end = hi.line - 1;
        if shown < before_end && text_of(before_end).is_none_or(telling) {
            rows.push(middle(before_end));
        }
        let last = Loc {
            display: hi.display.saturating_sub(1),
            char: hi.char.saturating_sub(1),
            ..hi
        };
        rows.push(Row {
            line: hi.line,
            part: Part::End,
            start: last,
            end: hi,
        });
    }

    // What to show of long lines.
    let leading = |s: &str| -> usize {
        s.chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum()
    };
    let mut whitespace = usize::MAX;
    let (mut span_left, mut span_right, mut label_right, mut max_len) = (usize::MAX, 0, 0, 0);
    for row in &rows {
        let text = text_of(row.line).unwrap_or_default();
        if text.chars().any(|c| !c.is_whitespace()) {
            whitespace = whitespace.min(leading(text));
        }
        if row.part != Part::Middle {
            span_left = span_left.min(row.start.display).min(row.end.display);
        }
        span_right = span_right.max(row.start.display).max(row.end.display);
        let label_width = if matches!(row.part, Part::Single | Part::End) {
            width(label) + 1
        } else {
            0
        };
        label_right = label_right.max(row.end.display + label_width);
        max_len = max_len.max(width(text));
    }
    if whitespace == usize::MAX {
        whitespace = 0;
    }
    if span_left == usize::MAX {
        span_left = 0;
    }
    let multiline = lo.line != hi.line;
    let width_offset = 3 + gutter;
    let code_offset = if multiline {
        width_offset + 2
    } else {
        width_offset
    };
    let margin = Margin::new(
        whitespace,
        span_left,
        span_right,
        label_right,
        TERM_WIDTH.saturating_sub(code_offset),
        max_len,
    );
    let at = Layout {
        gutter,
        width_offset,
        code_offset,
        margin,
        style,
    };

    let row = canvas.rows.len();
    canvas.puts(row, 0, &" ".repeat(gutter), PLAIN);
    canvas.append(row, "--> ", BLUE);
    canvas.append(row, &format!("{path}:{}:{}", lo.line, lo.char + 1), PLAIN);
    canvas.putc(row + 1, gutter + 1, '|', BLUE);

    // Whether the bar of a span over several lines is being drawn.
    let mut open = false;
    for (i, row) in rows.iter().enumerate() {
        let first = canvas.rows.len();
        let text = text_of(row.line).unwrap_or_default();
        let bar = at.source_line(canvas, row, text, label);
        let opening = bar && !open;
        if bar && open {
            open = false;
        }
        if open {
            for r in first..canvas.rows.len() {
                canvas.putc(r, width_offset, '|', style);
            }
        }
        if let Some(next) = rows.get(i + 1) {
            let bar = open || row.part == Part::Start;
            let skipped = next.line - row.line;
            if skipped > 1 {
                let r = canvas.rows.len();
                if skipped == 2 {
                    let text = visible(text_of(row.line + 1).unwrap_or_default());
                    at.draw_line(canvas, &text, row.line + 1, r);
                } else {
                    canvas.puts(r, 0, "...", BLUE);
                }
                if bar {
                    canvas.putc(r, width_offset, '|', style);
                }
            }
        }
        open |= opening;
    }
}

/// How wide a terminal frames are cut for.
const TERM_WIDTH: usize = 140;

/// The columns of a frame.
struct Layout {
    gutter: usize,
    /// Where the bar of a span over several lines goes (after `N | `).
    width_offset: usize,
    /// Where the code starts.
    code_offset: usize,
    margin: Margin,
    style: &'static str,
}

impl Layout {
    /// Draws one line of the span and the carets under it; true if it starts or ends a span over
    /// several lines.
    fn source_line(&self, canvas: &mut Canvas, row: &Row, text: &str, label: &str) -> bool {
        let Self {
            width_offset,
            code_offset,
            style,
            ..
        } = *self;
        let text = visible(text);
        let line = canvas.rows.len();
        let left = self.draw_line(canvas, &text, row.line, line);
        match row.part {
            Part::Middle => return false,
            Part::Start
                if text
                    .chars()
                    .take(row.start.display)
                    .all(char::is_whitespace) =>
            {
                canvas.putc(line, width_offset, '/', style);
                return true;
            }
            _ => {}
        }
        let under = line + 1;
        let col = |x: usize| (code_offset + x).saturating_sub(left);
        canvas.putc(under, width_offset - 2, '|', BLUE);
        match row.part {
            Part::Start => {
                for c in width_offset + 1..col(row.start.display) {
                    canvas.putc(under, c, '_', style);
                }
                canvas.putc(under, width_offset, ' ', style);
            }
            Part::End => {
                for c in width_offset + 1..col(row.start.display) {
                    canvas.putc(under, c, '_', style);
                }
                canvas.putc(line, width_offset, '|', style);
                canvas.putc(under, width_offset, '|', style);
            }
            _ => {}
        }
        if matches!(row.part, Part::Single | Part::End) {
            let after = if row.end.display == 0 { 2 } else { 1 };
            let at = (row.end.display + after).saturating_sub(left);
            canvas.puts(under, code_offset + at, label, style);
        }
        for x in row.start.display..row.end.display {
            canvas.putc(under, col(x), '^', style);
        }
        if row.part == Part::Single {
            // A span much wider than the terminal loses its middle.
            let term = self.margin.term_width;
            let span = row.end.display - row.start.display;
            if span > term * 2 && span > 13 {
                let pad = (term / 3).max(5);
                let from = code_offset + (row.start.display + pad).saturating_sub(left);
                let to = code_offset + (row.end.display - pad).saturating_sub(left);
                canvas.replace(line, from, to, "...", BLUE);
                canvas.replace(under, from, to, "...", BLUE);
            }
            false
        } else {
            canvas.putc(under, col(row.start.display), '^', style);
            true
        }
    }

    /// Draws `N | code` (cut to the margin, `...` where cut); returns the first column shown.
    fn draw_line(&self, canvas: &mut Canvas, text: &str, number: usize, row: usize) -> usize {
        let Self {
            gutter,
            width_offset,
            code_offset,
            margin,
            ..
        } = *self;
        let line_len = width(text);
        let mut left = margin.left(line_len);
        let right = margin.right(line_len);
        let (mut skipped, mut taken) = (0, 0);
        let code: String = text
            .chars()
            .skip_while(|&c| {
                let skip = skipped < left;
                if skip {
                    skipped += char_width(c);
                }
                skip
            })
            .take_while(|&c| {
                taken += char_width(c);
                taken <= right - left
            })
            .collect();
        left = left.max(skipped);
        let (mut width_taken, mut bytes_taken) = (0, 0);
        if margin.computed_left > 0 {
            for c in code.chars() {
                width_taken += char_width(c);
                bytes_taken += c.len_utf8();
                if width_taken >= 3 {
                    break;
                }
            }
            canvas.puts(row, code_offset, "...", BLUE);
        }
        let shown = &code[bytes_taken..];
        canvas.puts(row, code_offset + width_taken, shown, PLAIN);
        if line_len > right {
            let (mut chars, mut cut) = (0, 0);
            for c in code.chars().rev() {
                cut += char_width(c);
                chars += 1;
                if cut >= 3 {
                    break;
                }
            }
            let col = code_offset + width_taken + shown.chars().count() - chars;
            canvas.puts(row, col, "...", BLUE);
        }
        canvas.puts(row, 0, &format!("{number:>gutter$}"), BLUE);
        canvas.putc(row, width_offset - 2, '|', BLUE);
        left
    }
}

/// The part of long lines a frame shows: as rustc does, leading whitespace goes first, then the
/// window centres on the span and its label.
#[derive(Clone, Copy)]
struct Margin {
    computed_left: usize,
    computed_right: usize,
    term_width: usize,
}

impl Margin {
    fn new(
        whitespace_left: usize,
        span_left: usize,
        span_right: usize,
        label_right: usize,
        term_width: usize,
        max_line_len: usize,
    ) -> Self {
        // Room for the `...`.
        const PAD: usize = 6;
        let whitespace_left = whitespace_left.min(span_left).saturating_sub(PAD);
        let span_left = span_left.saturating_sub(PAD);
        let span_right = span_right + PAD;
        let label_right = label_right + PAD;
        let mut left = if whitespace_left > 20 {
            whitespace_left - 16
        } else {
            0
        };
        let mut right = max_line_len.max(left);
        if right - left > term_width {
            if label_right.saturating_sub(whitespace_left) <= term_width
                && label_right >= whitespace_left
            {
                left = whitespace_left;
                right = left + term_width;
            } else if label_right.saturating_sub(span_left) <= term_width {
                let padding = (term_width - (label_right - span_left)) / 2;
                left = span_left.saturating_sub(padding);
                right = left + term_width;
            } else if span_right.saturating_sub(span_left) <= term_width {
                let padding = (term_width - (span_right - span_left)) / 5 * 2;
                left = span_left.saturating_sub(padding);
                right = left + term_width;
            } else {
                left = span_left;
                right = span_right;
            }
        }
        Self {
            computed_left: left,
            computed_right: right,
            term_width,
        }
    }

    fn left(&self, line_len: usize) -> usize {
        self.computed_left.min(line_len)
    }

    fn right(&self, line_len: usize) -> usize {
        if line_len.saturating_sub(self.computed_left) <= self.term_width {
            line_len
        } else {
            line_len.min(self.computed_right)
        }
    }
}

/// Text as a terminal can show it: tabs as four spaces, control characters as their Unicode
/// pictures (`␀`), no zero-width joiner, bidirectional controls as `�`.
fn visible(text: &str) -> Cow<'_, str> {
    let replaced = |c: char| {
        matches!(c, '\0'..='\u{8}' | '\t' | '\u{b}'..='\u{1f}' | '\u{7f}' | '\u{200d}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(replaced) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\u{200d}' => {}
            '\0'..='\u{8}' | '\u{b}'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or(c));
            }
            '\u{7f}' => out.push('\u{2421}'),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The display width of a text (see [`char_width`]).
fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// The columns a character takes in a terminal: 4 for a tab, 2 for East Asian wide and fullwidth
/// characters and emoji, 0 for the common combining and zero-width marks, else 1. This agrees with
/// unicode-width 0.2 (what annotate-snippets used) on every assigned character but about 1,700
/// combining marks of other scripts (Devanagari, Thai, ...), which count 1 here, and U+2E3B (3 there);
/// its exact tables would cost 2 KB more in the web build.
fn char_width(c: char) -> usize {
    let in_table = |table: &[u32]| table.partition_point(|&x| x <= u32::from(c)) % 2 == 1;
    match c {
        '\t' => 4,
        '\0'..='\u{9f}' => 1,
        _ if in_table(WIDE) => 2,
        _ if in_table(ZERO) => 0,
        _ => 1,
    }
}

/// Two-column characters, as `first, last + 1` pairs: unicode-width 0.2's wide ranges (East Asian
/// Wide and Fullwidth, emoji presentation), merged over unassigned code points.
const WIDE: &[u32] = &[
    0x1100, 0x1160, 0x17A4, 0x17A5, 0x231A, 0x231C, 0x2329, 0x232B, 0x23E9, 0x23ED, 0x23F0, 0x23F1,
    0x23F3, 0x23F4, 0x25FD, 0x25FF, 0x2614, 0x2616, 0x2630, 0x2638, 0x2648, 0x2654, 0x267F, 0x2680,
    0x268A, 0x2690, 0x2693, 0x2694, 0x26A1, 0x26A2, 0x26AA, 0x26AC, 0x26BD, 0x26BF, 0x26C4, 0x26C6,
    0x26CE, 0x26CF, 0x26D4, 0x26D5, 0x26EA, 0x26EB, 0x26F2, 0x26F4, 0x26F5, 0x26F6, 0x26FA, 0x26FB,
    0x26FD, 0x26FE, 0x2705, 0x2706, 0x270A, 0x270C, 0x2728, 0x2729, 0x274C, 0x274D, 0x274E, 0x274F,
    0x2753, 0x2756, 0x2757, 0x2758, 0x2795, 0x2798, 0x27B0, 0x27B1, 0x27BF, 0x27C0, 0x2B1B, 0x2B1D,
    0x2B50, 0x2B51, 0x2B55, 0x2B56, 0x2E80, 0x302A, 0x3030, 0x303F, 0x3041, 0x3097, 0x309B, 0x3164,
    0x3165, 0x3248, 0x3250, 0xA4C7, 0xA960, 0xA97D, 0xAC00, 0xD7A4, 0xF900, 0xFB00, 0xFE10, 0xFE1A,
    0xFE30, 0xFE6C, 0xFF01, 0xFF61, 0xFFE0, 0xFFE7, 0x16FE0, 0x16FE4, 0x16FF2, 0x1B2FC, 0x1D300,
    0x1D377, 0x1F004, 0x1F005, 0x1F0CF, 0x1F0D0, 0x1F18E, 0x1F18F, 0x1F191, 0x1F19B, 0x1F1AE,
    0x1F1AF, 0x1F200, 0x1F321, 0x1F32D, 0x1F336, 0x1F337, 0x1F37D, 0x1F37E, 0x1F394, 0x1F3A0,
    0x1F3CB, 0x1F3CF, 0x1F3D4, 0x1F3E0, 0x1F3F1, 0x1F3F4, 0x1F3F5, 0x1F3F8, 0x1F43F, 0x1F440,
    0x1F441, 0x1F442, 0x1F4FD, 0x1F4FF, 0x1F53E, 0x1F54B, 0x1F54F, 0x1F550, 0x1F568, 0x1F57A,
    0x1F57B, 0x1F595, 0x1F597, 0x1F5A4, 0x1F5A5, 0x1F5FB, 0x1F650, 0x1F680, 0x1F6C6, 0x1F6CC,
    0x1F6CD, 0x1F6D0, 0x1F6D3, 0x1F6D5, 0x1F6E0, 0x1F6EB, 0x1F6ED, 0x1F6F4, 0x1F6FD, 0x1F7DA,
    0x1F7F1, 0x1F90C, 0x1F93B, 0x1F93C, 0x1F946, 0x1F947, 0x1FA00, 0x1FA70, 0x1FAFB, 0x20000,
    0x3FFFE,
];

/// Zero-width characters, as `first, last + 1` pairs: soft hyphen, combining diacritical marks,
/// Hangul medial and final jamo, zero-width spaces and joiners, invisible operators, combining
/// marks for symbols, variation selectors, half marks, the BOM, tags. (The combining marks of other
/// scripts count as one column: their frames may show a caret a column off.)
const ZERO: &[u32] = &[
    0xAD, 0xAE, 0x300, 0x370, 0x1160, 0x1200, 0x200B, 0x2010, 0x2060, 0x2066, 0x206A, 0x2070,
    0x20D0, 0x20F1, 0xFE00, 0xFE10, 0xFE20, 0xFE30, 0xFEFF, 0xFF00, 0xE0000, 0xE1000,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_frames_and_the_verdict() {
        let text = "{\n  \"client_id\": \"http://app.example.com/c.json\"\n}";
        let report = crate::validate(text, &crate::Options::default());
        let out = render(
            &report,
            Some(text),
            &RenderOptions {
                path: Some("client.json".into()),
                ..Default::default()
            },
        );
        assert!(out.contains("error[CIMD101]"), "{out}");
        assert!(out.contains("client.json:2:"), "{out}");
        assert!(out.contains("^^^^"), "{out}");
        assert!(out.contains("✗ Invalid CIMD document"), "{out}");
        assert!(out.contains("Document details:"), "{out}");
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn character_widths() {
        let widths = |text: &str| text.chars().map(char_width).collect::<Vec<_>>();
        assert_eq!(widths("a\té\u{301}"), [1, 4, 1, 0]);
        assert_eq!(widths("アプリ应\u{3000}한"), [2, 2, 2, 2, 2, 2]);
        assert_eq!(
            widths("😀✅\u{fe0f}\u{200d}\u{feff}\u{2028}�"),
            [2, 2, 0, 0, 0, 1, 1]
        );
        assert_eq!(widths("\u{20000}\u{1f1e6}\u{e0041}"), [2, 1, 0]);
    }

    #[test]
    fn a_document_of_just_a_bom_renders() {
        let text = "\u{feff}";
        let report = crate::validate(text, &crate::Options::default());
        let out = render(&report, Some(text), &RenderOptions::default());
        assert!(out.contains("error[CIMD002]"), "{out}");
        assert!(out.contains("1 | \u{feff}\n  | ^ json-bom"), "{out}");
    }
}

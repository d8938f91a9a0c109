//! Byte offsets to 1-based lines and UTF-16 columns, the unit editors (CodeMirror, LSP, Monaco) count in.

use crate::report::{Position, Range, Span};

/// Line starts of a text, computed once per report.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self::until(text, text.len())
    }

    /// An index of the lines that start at or before `end` (positions past it are not needed).
    pub(crate) fn until(text: &'a str, end: usize) -> Self {
        let scanned = &text.as_bytes()[..end.min(text.len())];
        let mut starts = vec![0];
        // JSON allows only \n, \r\n and \r as line breaks outside strings; treat all three as one.
        if scanned.contains(&b'\r') {
            for (i, &b) in scanned.iter().enumerate() {
                match b {
                    b'\n' => starts.push(i + 1),
                    b'\r' if text.as_bytes().get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                    _ => {}
                }
            }
        } else {
            for (i, &b) in scanned.iter().enumerate() {
                if b == b'\n' {
                    starts.push(i + 1);
                }
            }
        }
        Self { text, starts }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let column = if before.is_ascii() {
            before.len()
        } else {
            before.chars().map(char::len_utf16).sum()
        };
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    pub(crate) fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start as usize),
            end: self.position(span.end as usize),
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_utf16_columns() {
        let text = "{\n  \"a\": \"é😀x\"\r\n}";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(4), Position { line: 2, column: 3 });
        let x = text.find('x').unwrap();
        // é is one UTF-16 unit, 😀 two.
        assert_eq!(
            index.position(x),
            Position {
                line: 2,
                column: 12
            }
        );
        assert_eq!(index.position(text.len()), Position { line: 3, column: 2 });
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        let index = LineIndex::new("a\rb");
        assert_eq!(index.position(2), Position { line: 2, column: 1 });
    }
}

//! Byte offsets to 1-based lines and UTF-16 columns, the unit editors (CodeMirror, LSP, Monaco) count in.
//!
//! A forward cursor rather than a table of line starts: a report asks for positions in order (its
//! diagnostics are sorted by start), so one pass over the text answers all of them without
//! allocating, which matters on the small documents validated thousands of times a second.

use crate::report::{Position, Range, Span};

/// A position in a text that can move forward.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    /// Byte offset the cursor is at (always a char boundary).
    offset: usize,
    /// 0-based line of `offset`, and the byte offset where that line starts.
    line: usize,
    line_start: usize,
    /// Whether the text has a `\r` anywhere (rare): without one, lines are counted a block at a time.
    has_cr: bool,
    /// Whether the text is all ASCII (usual): a column is then a byte count, and every offset a char
    /// boundary, so neither needs a look at the line's characters.
    ascii: bool,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let (has_cr, ascii) = scan(text.as_bytes());
        Self {
            text,
            offset: 0,
            line: 0,
            line_start: 0,
            has_cr,
            ascii,
        }
    }

    /// Moves to `offset` (clamped to the text and to a char boundary; never backwards) and returns
    /// its position.
    pub(crate) fn advance(&mut self, offset: usize) -> Position {
        let target = offset.min(self.text.len());
        let target = if self.ascii {
            target
        } else {
            floor_char_boundary(self.text, target)
        };
        let bytes = self.text.as_bytes();
        let from = self.offset.min(target);
        if self.has_cr {
            // JSON allows only \n, \r\n and \r as line breaks outside strings; treat all three as
            // one. A \r\n pair counts at its \n, so a \r is a break only when no \n follows it.
            for i in from..target {
                match bytes[i] {
                    b'\n' => {
                        self.line += 1;
                        self.line_start = i + 1;
                    }
                    b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                        self.line += 1;
                        self.line_start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            self.count_lines(from, target);
        }
        self.offset = self.offset.max(target);
        self.position()
    }

    /// Counts the `\n`s in `from..target`, noting where the last line starts. Eight bytes at a time
    /// (a word's newlines found, counted and the last located with a few integer operations), not
    /// memchr: a report's positions are a few lines apart, and setting up a vector search twice
    /// (count, then find the last) for a few dozen bytes cost more than the search, a tenth of
    /// validating a small document.
    fn count_lines(&mut self, from: usize, target: usize) {
        const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
        let bytes = &self.text.as_bytes()[from..target];
        let mut words = bytes.chunks_exact(8);
        let mut at = from;
        for word in &mut words {
            // Little-endian: byte i of the word is bits 8i..8i+8 whatever the machine.
            let x = u64::from_le_bytes(word.try_into().unwrap_or_default()) ^ NEWLINES;
            let newlines = zero_bytes(x);
            if newlines != 0 {
                self.line += newlines.count_ones() as usize;
                self.line_start = at + (63 - newlines.leading_zeros() as usize) / 8 + 1;
            }
            at += 8;
        }
        self.note_newlines(words.remainder(), at);
    }

    fn note_newlines(&mut self, bytes: &[u8], at: usize) {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = at + i + 1;
            }
        }
    }

    fn position(&self) -> Position {
        let column = if self.ascii {
            self.offset - self.line_start
        } else {
            utf16_len(&self.text[self.line_start..self.offset])
        };
        Position {
            line: self.line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The range of `span`, moving the cursor to its start (spans must come in order of start).
    pub(crate) fn range(&mut self, span: Span) -> Range {
        let start = self.advance(span.start as usize);
        // The end from a copy: the next span may start before this one ends.
        let mut probe = *self;
        let end = probe.advance(span.end as usize);
        Range { start, end }
    }
}

/// The high bit of each byte of `x` set exactly where that byte is zero, the others clear (no carry
/// crosses bytes: each byte adds at most 0x7f + 0x7f). XOR a word with a repeated byte first to find
/// that byte.
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Whether `bytes` has a `\r`, and whether it is all ASCII: one pass, eight bytes at a time (a
/// `contains` and an `is_ascii` were two passes, and the search alone cost more than counting the
/// lines of a small document).
fn scan(bytes: &[u8]) -> (bool, bool) {
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const CRS: u64 = u64::from_ne_bytes([b'\r'; 8]);
    let (mut cr, mut high) = (0, 0);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_ne_bytes(word.try_into().unwrap_or_default());
        cr |= zero_bytes(w ^ CRS);
        high |= w & HIGH;
    }
    let rest = words.remainder();
    (
        cr != 0 || rest.contains(&b'\r'),
        high == 0 && rest.is_ascii(),
    )
}

/// The length of `text` in UTF-16 code units.
fn utf16_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(char::len_utf16).sum()
    }
}

/// The position of one offset (for messages that name a second place).
pub(crate) fn position(text: &str, offset: usize) -> Position {
    Cursor::new(text).advance(offset)
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
        assert_eq!(position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position(text, 4), Position { line: 2, column: 3 });
        let x = text.find('x').unwrap();
        // é is one UTF-16 unit, 😀 two.
        assert_eq!(
            position(text, x),
            Position {
                line: 2,
                column: 12
            }
        );
        assert_eq!(position(text, text.len()), Position { line: 3, column: 2 });
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        assert_eq!(position("a\rb", 2), Position { line: 2, column: 1 });
        // \r\n is one break, wherever the cursor stops.
        let mut cursor = Cursor::new("a\r\nb");
        assert_eq!(cursor.advance(2), Position { line: 1, column: 3 });
        assert_eq!(cursor.advance(3), Position { line: 2, column: 1 });
    }

    #[test]
    fn a_cursor_agrees_with_fresh_lookups_in_order() {
        let text = "{\n \"x\": [1,\r 2],\n\n \"é\": \"\u{1F600}\"\n}";
        let mut cursor = Cursor::new(text);
        let spans = [(0, 1), (3, 6), (3, 20), (9, 14), (20, 22), (30, text.len())];
        for (start, end) in spans {
            let range = cursor.range(Span::new(start, end as u32));
            assert_eq!(range.start, position(text, start as usize), "{start}");
            assert_eq!(range.end, position(text, end), "{end}");
        }
    }

    /// Line and UTF-16 column the slow way: every character from the start (`\n`, `\r\n` and a
    /// lone `\r` each end a line).
    fn naive(text: &str, offset: usize) -> Position {
        let (mut line, mut column) = (1, 1);
        for (i, c) in text.char_indices() {
            if i >= offset {
                break;
            }
            if c == '\n' || (c == '\r' && !text[i + 1..].starts_with('\n')) {
                (line, column) = (line + 1, 1);
            } else {
                column += c.len_utf16() as u32;
            }
        }
        Position { line, column }
    }

    proptest::proptest! {
        #[test]
        fn word_at_a_time_counting_agrees_with_counting_characters(
            text in "[a\n\r\u{7f}\u{80}\u{8a}\u{8d}é😀 ]{0,80}",
            offsets in proptest::collection::vec(0_usize..100, 1..6),
        ) {
            let mut offsets = offsets;
            offsets.sort_unstable();
            let mut cursor = Cursor::new(&text);
            for offset in offsets {
                let mut at = offset.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                proptest::prop_assert_eq!(cursor.advance(offset), naive(&text, at), "{:?} at {}", text, offset);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn scan_finds_carriage_returns_and_non_ascii(bytes in proptest::collection::vec(
            proptest::sample::select(&[b'a', b'\r', b'\n', 0x7f, 0x80, 0x8d, 0xff][..]), 0..40)) {
            proptest::prop_assert_eq!(scan(&bytes), (bytes.contains(&b'\r'), bytes.is_ascii()));
        }
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let text = "\"é\"";
        assert_eq!(position(text, 2), Position { line: 1, column: 2 });
    }
}

//! Byte ranges into the source text, and their translation to lines and columns for messages.

use serde::Serialize;

/// A half-open byte range `start..end` into the text a script was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The text this span covers (empty if it does not fit the source).
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.start..self.end).unwrap_or("")
    }

    /// Moves the span by `offset` bytes (used when a statement is re-parsed out of a larger text).
    pub fn shifted(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A position for people: 1-based line and 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// The line and column at byte `offset` of `source` (clamped to the text).
pub fn line_column(source: &str, offset: usize) -> LineColumn {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    LineColumn { line, column }
}

/// The byte range of the whole line containing byte `offset`, without its line break.
pub fn line_range(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let end = if end > start && source.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end.max(start))
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let source = "load table\nsplit trän=lots";
        let offset = source.find("lots").unwrap();
        assert_eq!(
            line_column(source, offset),
            LineColumn {
                line: 2,
                column: 12
            }
        );
        assert_eq!(line_range(source, offset), (11, source.len()));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        assert_eq!(line_column("ab", 99), LineColumn { line: 1, column: 3 });
        assert_eq!(line_range("ab\r\n", 1), (0, 2));
    }
}

//! Characters a reader cannot see on screen — control characters, zero-width characters and the
//! bidirectional formatting characters that can make text display in another order than it is
//! read (the "Trojan Source" attack, CVE-2021-42574) — named by code point, so that a script or
//! a table header holding one is refused with a sentence that says which and where.
//!
//! # References
//! The Unicode Standard, chapter 23 (special areas and format characters) and UAX #9 (the
//! bidirectional algorithm: embeddings, overrides and isolates); Unicode character names from
//! UnicodeData.txt.

/// The invisible characters refused, with their Unicode names.
const NAMED: [(char, &str); 26] = [
    ('\u{0000}', "NULL"),
    ('\u{001B}', "ESCAPE"),
    ('\u{007F}', "DELETE"),
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{2061}', "FUNCTION APPLICATION"),
    ('\u{2062}', "INVISIBLE TIMES"),
    ('\u{2063}', "INVISIBLE SEPARATOR"),
    ('\u{2064}', "INVISIBLE PLUS"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
];

/// The name of `c` when it is invisible ("U+202E RIGHT-TO-LEFT OVERRIDE"); tab, line feed and
/// carriage return are ordinary white space and not named.
pub fn describe(c: char) -> Option<String> {
    if matches!(c, '\t' | '\n' | '\r') {
        return None;
    }
    let code = c as u32;
    let name = NAMED
        .iter()
        .find(|(named, _)| *named == c)
        .map(|(_, name)| *name)
        .or_else(|| c.is_control().then_some("CONTROL CHARACTER"))
        .or_else(|| {
            (0xFFF9..=0xFFFB)
                .contains(&code)
                .then_some("INTERLINEAR ANNOTATION CHARACTER")
        })?;
    Some(format!("U+{code:04X} {name}"))
}

/// The first invisible character of `text`: its byte offset and its description.
pub fn find(text: &str) -> Option<(usize, String)> {
    text.char_indices()
        .find_map(|(i, c)| describe(c).map(|name| (i, name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_named_by_code_point() {
        assert_eq!(
            describe('\u{202E}').as_deref(),
            Some("U+202E RIGHT-TO-LEFT OVERRIDE")
        );
        assert_eq!(describe('\0').as_deref(), Some("U+0000 NULL"));
        assert_eq!(
            describe('\u{0007}').as_deref(),
            Some("U+0007 CONTROL CHARACTER")
        );
        assert_eq!(describe('\t'), None);
        assert_eq!(describe('é'), None);
        assert_eq!(describe('\u{00A0}'), None);
        assert_eq!(
            find("age\u{200B}"),
            Some((3, "U+200B ZERO WIDTH SPACE".to_string()))
        );
        assert_eq!(find("plain text, tabs\tand lines\n"), None);
    }
}

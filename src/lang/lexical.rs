//! The lexical shapes of the language: where a bare word ends, and whether it is a range, a
//! percentage, a number, a boolean or a plain word (grammar productions `bare`, `range`,
//! `percentage`, `number`, `boolean`). Shared by the parser and the highlighter, so colours and
//! parsing never disagree on where a word ends.

use super::ast::AtomKind;

/// Characters that end a bare word (see `bare_character` in the grammar).
pub fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, ';' | '=' | '+' | ',' | '#' | '"' | '(' | ')' | '\\')
}

/// The byte length of the bare word at the start of `text`, honouring `exponent_sign`
/// (`1e+3` is one word although `+` otherwise joins formula terms).
pub fn bare_length(text: &str) -> usize {
    let mut end = 0;
    for (index, c) in text.char_indices() {
        if is_delimiter(c) {
            let exponent_sign = c == '+'
                && is_mantissa_with_exponent_mark(&text[..index])
                && text[index + 1..].starts_with(|d: char| d.is_ascii_digit());
            if !exponent_sign {
                break;
            }
        }
        end = index + c.len_utf8();
    }
    end
}

/// True for `1e`, `-2.5E`: a number's mantissa directly followed by its exponent mark.
fn is_mantissa_with_exponent_mark(text: &str) -> bool {
    text.strip_suffix(['e', 'E']).is_some_and(|mantissa| {
        scan_number(mantissa) == Some(mantissa.len()) && !mantissa.is_empty()
    })
}

/// Decides the shape of a bare word: `range`, `percentage`, `number`, `boolean` or `word`.
pub fn classify(text: &str) -> AtomKind {
    if let Some((low, high)) = text.split_once("..")
        && let (Some(low), Some(high)) = (number(low), number(high))
    {
        return AtomKind::Range(low, high);
    }
    if let Some(x) = text.strip_suffix('%').and_then(number) {
        return AtomKind::Percentage(x);
    }
    if let Some(x) = number(text) {
        return AtomKind::Number(x);
    }
    if let Some(b) = boolean(text) {
        return AtomKind::Boolean(b);
    }
    AtomKind::Word
}

/// `number = [ "-" ] , digits , [ "." , [ digits ] ] , [ exponent ] | [ "-" ] , "." , digits , [ exponent ] ;`
fn number(text: &str) -> Option<f64> {
    if scan_number(text) == Some(text.len()) {
        text.parse::<f64>().ok().filter(|x| x.is_finite())
    } else {
        None
    }
}

/// The length of the longest prefix of `text` that is a `number`, if any.
fn scan_number(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let integer_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    i += integer_digits;
    let mut fraction_digits = 0;
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1) != Some(&b'.') {
        fraction_digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        i += 1 + fraction_digits;
    }
    if integer_digits + fraction_digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exponent_digits = bytes[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exponent_digits > 0 {
            i = j + exponent_digits;
        }
    }
    Some(i)
}

/// `boolean = "yes" | "no" | "true" | "false" ;` (any letter case, so R's `TRUE` works too)
fn boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_are_classified_by_shape() {
        assert_eq!(classify("0.01..0.99"), AtomKind::Range(0.01, 0.99));
        assert_eq!(classify("95%"), AtomKind::Percentage(95.0));
        assert_eq!(classify("-1e-3"), AtomKind::Number(-0.001));
        assert_eq!(classify("TRUE"), AtomKind::Boolean(true));
        assert_eq!(classify("inf"), AtomKind::Word);
        assert_eq!(classify("1.2.3"), AtomKind::Word);
        assert_eq!(classify("data/demo.csv"), AtomKind::Word);
        assert_eq!(bare_length("1e+3+b"), 4);
    }
}

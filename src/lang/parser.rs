//! The nom parser for `grammar/radnomo.ebnf`: one function per production, named after it.
//!
//! It turns text into a [`Script`] whose every node carries its byte span, or into a
//! [`SyntaxError`] pointing at where the text stopped making sense and saying what was expected.
//! It never evaluates anything and never panics (see the property test at the bottom).

use super::ast::{Argument, Atom, AtomKind, Command, Name, Script, Statement, Term, Value};
use super::lexical::{bare_length, classify, is_delimiter};
use super::span::Span;
use super::syntax_error::{Input, SyntaxError};
use nom::IResult;
use nom::Input as _;
use nom::bytes::complete::take_while;

type Parsed<'a, T> = IResult<Input<'a>, T, SyntaxError>;

/// Parses a whole script.
pub fn parse(source: &str) -> Result<Script, SyntaxError> {
    // A byte-order mark opening the text (editors on Windows write one) is white space: read as
    // three spaces, so that every span still counts bytes of the text as given.
    let without_mark;
    let source = match source.strip_prefix('\u{FEFF}') {
        Some(rest) => {
            without_mark = format!("   {rest}");
            without_mark.as_str()
        }
        None => source,
    };
    // Invisible and direction-changing characters are refused anywhere, comments included: the
    // text would not be what the reader sees.
    if let Some((at, _)) = crate::invisible::find(source) {
        let width = source[at..].chars().next().map_or(1, char::len_utf8);
        return Err(SyntaxError {
            span: Span::new(at, at + width),
            expected: "visible text (invisible characters are refused: retype this word)"
                .to_string(),
        });
    }
    match script(Input::new(source)) {
        Ok((_, script)) => Ok(script),
        Err(nom::Err::Error(error) | nom::Err::Failure(error)) => Err(error),
        Err(nom::Err::Incomplete(_)) => Err(SyntaxError {
            span: Span::new(source.len(), source.len()),
            expected: "more input".to_string(),
        }),
    }
}

fn offset(input: &Input<'_>) -> usize {
    input.location_offset()
}

fn span_between(start: &Input<'_>, end: &Input<'_>) -> Span {
    Span::new(offset(start), offset(end))
}

fn recoverable<'a, T>(input: Input<'a>, expected: &str) -> Parsed<'a, T> {
    Err(nom::Err::Error(SyntaxError::at(input, expected)))
}

fn fatal<'a, T>(input: Input<'a>, expected: &str) -> Parsed<'a, T> {
    Err(nom::Err::Failure(SyntaxError::at(input, expected)))
}

fn peek_char(input: &Input<'_>) -> Option<char> {
    input.fragment().chars().next()
}

/// Consumes one expected character.
fn literal<'a>(input: Input<'a>, expected: char, description: &str) -> Parsed<'a, ()> {
    if peek_char(&input) == Some(expected) {
        Ok((input.take_from(expected.len_utf8()), ()))
    } else {
        recoverable(input, description)
    }
}

// ---------- Scripts and statements ----------

/// `script = gap , { statement , end_of_statement , gap } ;`
fn script(input: Input<'_>) -> Parsed<'_, Script> {
    let mut statements = Vec::new();
    let (mut input, ()) = gap(input)?;
    while !input.fragment().is_empty() {
        let (rest, parsed) = statement(input)?;
        let (rest, ()) = end_of_statement(rest)?;
        let (rest, ()) = gap(rest)?;
        statements.push(parsed);
        input = rest;
    }
    Ok((input, Script { statements }))
}

/// `end_of_statement = spaces , [ comment ] , ( ";" | line_break | end_of_input ) ;`
fn end_of_statement(input: Input<'_>) -> Parsed<'_, ()> {
    let (input, ()) = spaces(input)?;
    let (input, ()) = optional_comment(input)?;
    match peek_char(&input) {
        None => Ok((input, ())),
        Some(';') => Ok((input.take_from(1), ())),
        Some('\n' | '\r') => line_break(input),
        Some(_) => fatal(input, "an argument, `;` or the end of the line"),
    }
}

/// `gap = { white | line_break | ";" | comment } ;`
fn gap(mut input: Input<'_>) -> Parsed<'_, ()> {
    loop {
        let (rest, ()) = spaces(input)?;
        let (rest, ()) = optional_comment(rest)?;
        input = match peek_char(&rest) {
            Some(';') => rest.take_from(1),
            Some('\n' | '\r') => line_break(rest)?.0,
            Some('\\') => match continuation(rest) {
                Ok((after, ())) => after,
                Err(_) => return Ok((rest, ())),
            },
            _ => return Ok((rest, ())),
        };
    }
}

/// `statement = assignment | command ;`
fn statement(input: Input<'_>) -> Parsed<'_, Statement> {
    match assignment(input) {
        Ok(parsed) => Ok(parsed),
        Err(nom::Err::Error(_)) => {
            let (rest, command) = command(input)?;
            let span = command.span;
            Ok((
                rest,
                Statement {
                    target: None,
                    command,
                    span,
                },
            ))
        }
        Err(other) => Err(other),
    }
}

/// `assignment = name , spaces , "=" , spaces , command ;`
fn assignment(input: Input<'_>) -> Parsed<'_, Statement> {
    let start = input;
    let (input, target) = name(input)?;
    let (input, ()) = spaces(input)?;
    let (input, ()) = literal(input, '=', "`=`")?;
    let (input, ()) = spaces(input)?;
    let (rest, command) = match command(input) {
        Ok(parsed) => parsed,
        Err(nom::Err::Error(_)) => return fatal(input, "a command after `=`"),
        Err(other) => return Err(other),
    };
    let span = Span::new(offset(&start), command.span.end);
    Ok((
        rest,
        Statement {
            target: Some(target),
            command,
            span,
        },
    ))
}

/// `command = name , { separator , argument } ;`
fn command(input: Input<'_>) -> Parsed<'_, Command> {
    let start = input;
    let (mut input, command_name) = match name(input) {
        Ok(parsed) => parsed,
        Err(_) => return recoverable(input, "a command name"),
    };
    let mut arguments = Vec::new();
    let mut end = input;
    while let Ok((after_separator, ())) = separator(input) {
        match argument(after_separator) {
            Ok((rest, parsed)) => {
                arguments.push(parsed);
                input = rest;
                end = rest;
            }
            Err(nom::Err::Error(_)) => break,
            Err(other) => return Err(other),
        }
    }
    let span = span_between(&start, &end);
    Ok((
        end,
        Command {
            name: command_name,
            arguments,
            span,
        },
    ))
}

/// `separator = white , { white } ;`
fn separator(input: Input<'_>) -> Parsed<'_, ()> {
    let (mut input, ()) = white(input)?;
    while let Ok((rest, ())) = white(input) {
        input = rest;
    }
    Ok((input, ()))
}

/// `white = " " | tab | continuation ;`
fn white(input: Input<'_>) -> Parsed<'_, ()> {
    match peek_char(&input) {
        Some(' ' | '\t') => Ok((input.take_from(1), ())),
        Some('\\') => continuation(input),
        _ => recoverable(input, "white space"),
    }
}

/// `continuation = "\" , spaces , [ comment ] , line_break ;`
fn continuation(input: Input<'_>) -> Parsed<'_, ()> {
    let (rest, ()) = literal(input, '\\', "`\\`")?;
    let (rest, ()) = spaces(rest)?;
    let (rest, ()) = optional_comment(rest)?;
    match peek_char(&rest) {
        Some('\n' | '\r') => line_break(rest),
        None => fatal(rest, "a line break after `\\` (it continues the statement)"),
        Some(_) => fatal(
            input,
            "`\\` only at the end of a line (it continues the statement)",
        ),
    }
}

/// `spaces = { " " | tab } ;`
fn spaces(input: Input<'_>) -> Parsed<'_, ()> {
    let (input, _) = take_while(|c| c == ' ' || c == '\t')(input)?;
    Ok((input, ()))
}

/// `line_break = LF | CR LF ;`
fn line_break(input: Input<'_>) -> Parsed<'_, ()> {
    let fragment = *input.fragment();
    if fragment.starts_with("\r\n") {
        Ok((input.take_from(2), ()))
    } else if fragment.starts_with('\n') {
        Ok((input.take_from(1), ()))
    } else {
        recoverable(input, "a line break")
    }
}

/// `comment = "#" , { any character except a line break } ;` (optional here)
fn optional_comment(input: Input<'_>) -> Parsed<'_, ()> {
    if peek_char(&input) == Some('#') {
        let (input, _) = take_while(|c| c != '\n' && c != '\r')(input)?;
        Ok((input, ()))
    } else {
        Ok((input, ()))
    }
}

/// `argument = keyword_argument | value ;`
fn argument(input: Input<'_>) -> Parsed<'_, Argument> {
    match keyword_argument(input) {
        Ok(parsed) => Ok(parsed),
        Err(nom::Err::Error(_)) => {
            let (rest, parsed) = value(input)?;
            Ok((rest, Argument::Positional(parsed)))
        }
        Err(other) => Err(other),
    }
}

/// `keyword_argument = name , spaces , "=" , spaces , value ;`
fn keyword_argument(input: Input<'_>) -> Parsed<'_, Argument> {
    let (input, key) = name(input)?;
    let (input, ()) = spaces(input)?;
    let (input, ()) = literal(input, '=', "`=`")?;
    let (input, ()) = spaces(input)?;
    match value(input) {
        Ok((rest, parsed)) => Ok((rest, Argument::Keyword { key, value: parsed })),
        Err(nom::Err::Error(_)) => {
            let description = format!("a value after `{}=`", key.text);
            fatal(input, &description)
        }
        Err(other) => Err(other),
    }
}

// ---------- Values ----------

/// `value = formula | list | term ;` (a term followed by `+` is a formula, an atom by `,` a list)
fn value(input: Input<'_>) -> Parsed<'_, Value> {
    let start = input;
    let (rest, first) = term(input)?;
    let (after_spaces, ()) = spaces(rest)?;
    match peek_char(&after_spaces) {
        Some('+') => formula(start, first, after_spaces),
        Some(',') => match first {
            Term::Atom(atom) => list(start, atom, after_spaces),
            Term::Call { .. } => fatal(
                after_spaces,
                "`+` between formula terms (a list holds plain words)",
            ),
        },
        _ => Ok((rest, Value::Term(first))),
    }
}

/// `formula = term , spaces , "+" , wrap , term , { spaces , "+" , wrap , term } ;`
/// Called with the first term parsed and `input` at the first `+`.
fn formula<'a>(start: Input<'a>, first: Term, mut input: Input<'a>) -> Parsed<'a, Value> {
    let mut terms = vec![first];
    let mut end;
    loop {
        let (rest, ()) = literal(input, '+', "`+`")?;
        let (rest, ()) = wrap(rest)?;
        let (rest, next) = match term(rest) {
            Ok(parsed) => parsed,
            Err(nom::Err::Error(_)) => return fatal(rest, "a term after `+`"),
            Err(other) => return Err(other),
        };
        terms.push(next);
        end = rest;
        let (after_spaces, ()) = spaces(rest)?;
        if peek_char(&after_spaces) != Some('+') {
            break;
        }
        input = after_spaces;
    }
    let span = span_between(&start, &end);
    Ok((end, Value::Formula { terms, span }))
}

/// `list = atom , spaces , "," , wrap , atom , { spaces , "," , wrap , atom } ;`
/// Called with the first atom parsed and `input` at the first `,`.
fn list<'a>(start: Input<'a>, first: Atom, mut input: Input<'a>) -> Parsed<'a, Value> {
    let mut items = vec![first];
    let mut end;
    loop {
        let (rest, ()) = literal(input, ',', "`,`")?;
        let (rest, ()) = wrap(rest)?;
        let (rest, next) = match atom(rest) {
            Ok(parsed) => parsed,
            Err(nom::Err::Error(_)) => return fatal(rest, "a value after `,`"),
            Err(other) => return Err(other),
        };
        items.push(next);
        end = rest;
        let (after_spaces, ()) = spaces(rest)?;
        if peek_char(&after_spaces) != Some(',') {
            break;
        }
        input = after_spaces;
    }
    let span = span_between(&start, &end);
    Ok((end, Value::List { items, span }))
}

/// `wrap = { white | line_break | comment } ;`
fn wrap(mut input: Input<'_>) -> Parsed<'_, ()> {
    loop {
        let (rest, ()) = spaces(input)?;
        let (rest, ()) = optional_comment(rest)?;
        input = match peek_char(&rest) {
            Some('\n' | '\r') => line_break(rest)?.0,
            Some('\\') => continuation(rest)?.0,
            _ => return Ok((rest, ())),
        };
    }
}

/// `term = call | atom ;`
fn term(input: Input<'_>) -> Parsed<'_, Term> {
    match call(input) {
        Ok(parsed) => Ok(parsed),
        Err(nom::Err::Error(_)) => {
            let (rest, parsed) = atom(input)?;
            Ok((rest, Term::Atom(parsed)))
        }
        Err(other) => Err(other),
    }
}

/// `call = name , "(" , spaces , atom , spaces , ")" ;`
fn call(input: Input<'_>) -> Parsed<'_, Term> {
    let start = input;
    let (input, function) = name(input)?;
    let (input, ()) = literal(input, '(', "`(`")?;
    let (input, ()) = spaces(input)?;
    let (input, argument) = match atom(input) {
        Ok(parsed) => parsed,
        Err(nom::Err::Error(_)) => return fatal(input, "a column name inside `(...)`"),
        Err(other) => return Err(other),
    };
    let (input, ()) = spaces(input)?;
    let (input, ()) = match literal(input, ')', "`)`") {
        Ok(parsed) => parsed,
        Err(_) => return fatal(input, "`)`"),
    };
    let span = span_between(&start, &input);
    Ok((
        input,
        Term::Call {
            function,
            argument,
            span,
        },
    ))
}

/// `atom = string | bare ;`
fn atom(input: Input<'_>) -> Parsed<'_, Atom> {
    if peek_char(&input) == Some('"') {
        string(input)
    } else {
        bare(input)
    }
}

/// `bare = bare_character , { bare_character } ;` then classified by [`classify`].
fn bare(input: Input<'_>) -> Parsed<'_, Atom> {
    let length = bare_length(input.fragment());
    if length == 0 {
        return recoverable(input, "a value");
    }
    let (rest, word) = (input.take_from(length), input.take(length));
    let text = word.fragment().to_string();
    let span = Span::new(offset(&word), offset(&word) + length);
    Ok((
        rest,
        Atom {
            kind: classify(&text),
            text,
            span,
        },
    ))
}

/// `string = '"' , { string_character | escape } , '"' ;`
fn string(input: Input<'_>) -> Parsed<'_, Atom> {
    let start = input;
    let (mut rest, ()) = literal(input, '"', "`\"`")?;
    let mut text = String::new();
    loop {
        let Some(c) = peek_char(&rest) else {
            return Err(nom::Err::Failure(unterminated_string(&start)));
        };
        match c {
            '"' => {
                rest = rest.take_from(1);
                break;
            }
            '\n' | '\r' => return Err(nom::Err::Failure(unterminated_string(&start))),
            '\\' => {
                let escaped = rest.fragment()[1..].chars().next();
                let replacement = match escaped {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    _ => return fatal(rest, "an escape: `\\\"`, `\\\\`, `\\n` or `\\t`"),
                };
                text.push(replacement);
                rest = rest.take_from(2);
            }
            other => {
                text.push(other);
                rest = rest.take_from(other.len_utf8());
            }
        }
    }
    let span = span_between(&start, &rest);
    Ok((
        rest,
        Atom {
            kind: AtomKind::String,
            text,
            span,
        },
    ))
}

fn unterminated_string(start: &Input<'_>) -> SyntaxError {
    let line = start.fragment();
    let length = line.find(['\n', '\r']).unwrap_or(line.len());
    SyntaxError {
        span: Span::new(offset(start), offset(start) + length),
        expected: "a closing `\"` on the same line".to_string(),
    }
}

/// `name = ( letter | "_" ) , { letter | digit | "_" } ;`
fn name(input: Input<'_>) -> Parsed<'_, Name> {
    let fragment = *input.fragment();
    let starts_well = fragment
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts_well {
        return recoverable(input, "a name");
    }
    let length = fragment
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(fragment.len());
    // A name is a whole word: `glcm_*` or `P0007.nii` are bare words, not names.
    if fragment[length..].starts_with(|c: char| !is_delimiter(c)) {
        return recoverable(input, "a name");
    }
    let (rest, word) = (input.take_from(length), input.take(length));
    Ok((
        rest,
        Name {
            text: word.fragment().to_string(),
            span: Span::new(offset(&word), offset(&word) + length),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(source: &str) -> String {
        parse(source).unwrap().to_string()
    }

    #[test]
    fn a_command_with_keyword_and_positional_arguments() {
        assert_eq!(
            tree("extract glcm bins=32"),
            "(command extract@0..7 (word \"glcm\"@8..12) (key bins@13..17 (number 32@18..20)))\n"
        );
    }

    #[test]
    fn an_assignment_with_a_formula_across_lines() {
        assert_eq!(
            tree("m = fit grade +\n  factor(er)"),
            "(assign m@0..1 (command fit@4..7 (formula@8..28 (word \"grade\"@8..13) \
             (call@18..28 factor@18..24 (word \"er\"@25..27)))))\n"
        );
    }

    #[test]
    fn a_missing_value_is_reported_after_the_equals_sign() {
        let error = parse("lasso cv=").unwrap_err();
        assert_eq!(error.span, Span::new(9, 9));
        assert_eq!(error.expected, "a value after `cv=`");
    }

    #[test]
    fn statements_split_on_semicolons_newlines_and_comments() {
        let script = parse("load cohort; # first\n\nsegment phase=2 # then\nextract").unwrap();
        let names: Vec<_> = script
            .statements
            .iter()
            .map(|s| s.command.name.text.as_str())
            .collect();
        assert_eq!(names, ["load", "segment", "extract"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The parser never panics, and an error always points inside the text.
        #[test]
        fn never_panics_and_errors_stay_in_bounds(source in "[ -~\t\n\r\"\\\\;=+,#()é]{0,60}") {
            match parse(&source) {
                Ok(script) => for statement in script.statements {
                    proptest::prop_assert!(statement.span.end <= source.len());
                },
                Err(error) => {
                    proptest::prop_assert!(error.span.start <= error.span.end);
                    proptest::prop_assert!(error.span.end <= source.len());
                    proptest::prop_assert!(source.is_char_boundary(error.span.start));
                    proptest::prop_assert!(source.is_char_boundary(error.span.end));
                }
            }
        }

        /// Any Unicode at all, not only the language's own characters.
        #[test]
        fn never_panics_on_arbitrary_unicode(source in "\\PC{0,40}") {
            let _ = parse(&source);
        }
    }
}

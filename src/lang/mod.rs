//! The radnomo language: text in, syntax tree out (`grammar/radnomo.ebnf` is the authority).
//!
//! Owns lexing, parsing, spans, highlighting classes and the rendering of an error under its
//! source line. Must not evaluate anything or know what a command means.

pub mod ast;
pub mod diagnostic;
pub mod highlight;
pub mod lexical;
pub mod parser;
pub mod span;
pub mod suggest;
pub mod syntax_error;

pub use ast::{Argument, Atom, AtomKind, Command, Name, Script, Statement, Term, Value};
pub use parser::parse;
pub use span::Span;
pub use syntax_error::SyntaxError;

/// True when `text` ends in a way that asks for another line: a trailing `+`, `,` or `\`
/// (after any comment), or a string left open. The REPL's validator and the kernel's
/// `is_complete` both ask this.
pub fn needs_more_input(text: &str) -> bool {
    let text = text.trim_end_matches(['\n', '\r']);
    let last_line = text.rsplit('\n').next().unwrap_or("");
    if highlight::tokens(last_line)
        .iter()
        .any(|(_, class)| *class == highlight::TokenClass::Invalid)
    {
        return true;
    }
    let code = strip_comment(last_line).trim_end();
    code.ends_with('+') || code.ends_with(',') || code.ends_with('\\')
}

/// The line without a trailing `# comment` (a `#` inside a string does not count).
fn strip_comment(line: &str) -> &str {
    let comment = highlight::tokens(line)
        .into_iter()
        .find(|(_, class)| *class == highlight::TokenClass::Comment);
    match comment {
        Some((span, _)) => &line[..span.start],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::needs_more_input;

    #[test]
    fn continuation_marks_and_open_strings_ask_for_more() {
        assert!(needs_more_input("univariate age +"));
        assert!(needs_more_input("lasso features=a, # more\n"));
        assert!(needs_more_input("load table \"my file"));
        assert!(needs_more_input("describe \\"));
        assert!(!needs_more_input("describe by=aln # plus + signs"));
        assert!(!needs_more_input("load table \"a+\""));
    }
}

//! The syntax tree of a radnomo script. Every node keeps its span; nothing here knows what a
//! command means (that is the command table's job in `session`).

use super::span::Span;
use std::fmt::{self, Write};

/// A whole script: `load cohort; segment phase=2` (a REPL line, a notebook cell, a .rad file).
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub statements: Vec<Statement>,
}

/// One statement: `lasso cv=10`, or with a target, `combined = fit grade+rad`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The name in `name = command`, if the result is stored.
    pub target: Option<Name>,
    pub command: Command,
    pub span: Span,
}

/// `describe by=aln`: a command word and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub name: Name,
    pub arguments: Vec<Argument>,
    pub span: Span,
}

/// `cv=10` (keyword) or `glcm` (positional).
#[derive(Debug, Clone, PartialEq)]
pub enum Argument {
    /// `glcm`, `examples/data/demo.csv`, `age+size`
    Positional(Value),
    /// `cv=10`, `features=original_*,wavelet_*`
    Keyword { key: Name, value: Value },
}

impl Argument {
    pub fn span(&self) -> Span {
        match self {
            Argument::Positional(value) => value.span(),
            Argument::Keyword { key, value } => key.span.join(value.span()),
        }
    }
}

/// What an argument carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `10`, `min`, `"my file.csv"`, `factor(grade)`
    Term(Term),
    /// `original_*,wavelet_*`
    List { items: Vec<Atom>, span: Span },
    /// `grade+multifocal+lnmri+rad`
    Formula { terms: Vec<Term>, span: Span },
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Term(term) => term.span(),
            Value::List { span, .. } | Value::Formula { span, .. } => *span,
        }
    }
}

/// One term of a formula: a word, or a call such as `factor(grade)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Atom(Atom),
    /// `factor(grade)`
    Call {
        function: Name,
        argument: Atom,
        span: Span,
    },
}

impl Term {
    pub fn span(&self) -> Span {
        match self {
            Term::Atom(atom) => atom.span,
            Term::Call { span, .. } => *span,
        }
    }
}

/// A single word or string, with its shape decided by the parser and its original text kept
/// (a string's text is its content, unquoted and unescaped).
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub kind: AtomKind,
    pub text: String,
    pub span: Span,
}

/// The shape of an atom (grammar productions `range`, `percentage`, `number`, `boolean`, `word`,
/// `string`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AtomKind {
    /// `0.01..0.99`
    Range(f64, f64),
    /// `95%` (the number as written, 95)
    Percentage(f64),
    /// `10`, `-0.3`, `1e-3`
    Number(f64),
    /// `yes`, `no`, `true`, `false`
    Boolean(bool),
    /// `glcm`, `P0007`, `data/demo.csv`
    Word,
    /// `"a string"`
    String,
}

/// An identifier: a command word, an argument key or a stored result's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

// ---------- The compact printed tree used by the corpus and parser tests ----------

impl fmt::Display for Script {
    /// One statement per line, as S-expressions with spans: `(command fit@0..3 (word "a"@4..5))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for statement in &self.statements {
            writeln!(f, "{statement}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Some(target) => write!(f, "(assign {} {})", name(target), self.command),
            None => write!(f, "{}", self.command),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(command {}", name(&self.name))?;
        for argument in &self.arguments {
            match argument {
                Argument::Positional(value) => write!(f, " {value}")?,
                Argument::Keyword { key, value } => write!(f, " (key {} {value})", name(key))?,
            }
        }
        f.write_char(')')
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Term(term) => write!(f, "{term}"),
            Value::List { items, span } => {
                write!(f, "(list@{span}")?;
                for item in items {
                    write!(f, " {item}")?;
                }
                f.write_char(')')
            }
            Value::Formula { terms, span } => {
                write!(f, "(formula@{span}")?;
                for term in terms {
                    write!(f, " {term}")?;
                }
                f.write_char(')')
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Atom(atom) => write!(f, "{atom}"),
            Term::Call {
                function,
                argument,
                span,
            } => write!(f, "(call@{span} {} {argument})", name(function)),
        }
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = self.span;
        match self.kind {
            AtomKind::Range(low, high) => write!(f, "(range {low} {high}@{span})"),
            AtomKind::Percentage(x) => write!(f, "(percent {x}@{span})"),
            AtomKind::Number(x) => write!(f, "(number {x}@{span})"),
            AtomKind::Boolean(b) => write!(f, "(boolean {b}@{span})"),
            AtomKind::Word => write!(f, "(word {:?}@{span})", self.text),
            AtomKind::String => write!(f, "(string {:?}@{span})", self.text),
        }
    }
}

fn name(name: &Name) -> String {
    format!("{}@{}", name.text, name.span)
}

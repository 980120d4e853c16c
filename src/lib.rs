//! radnomo: a small language for radiomics nomogram studies, from DCE-MRI and clinical data to a
//! validated nomogram, with tables and plots inline in a terminal or a notebook.
//!
//! Data flow one way: [`lang`] (text → syntax tree) → [`session`] (state and command dispatch) →
//! the science modules ([`data`], [`imaging`], [`stats`]) → [`output`] (typed results) → [`render`] →
//! [`frontend`]. `src/README.md` is the map; `HOW_IT_WORKS.md` follows one command through it.

pub mod calendar;
pub mod data;
pub mod error;
pub mod features;
pub mod frontend;
pub mod imaging;
pub mod invisible;
pub mod lang;
pub mod output;
pub mod portable;
pub mod preprocess;
pub mod render;
pub mod rng;
pub mod session;
pub mod stats;

pub use error::{Error, ErrorKind};
pub use output::{Item, Output};
pub use session::Session;

/// The name of the record radnomo keeps in every folder it writes to (`session/files.rs`); readers
/// pass over it as radnomo's own.
pub const FILES_RECORD: &str = ".radnomo-files";

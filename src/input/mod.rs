//! The three files a run starts from — `sites.txt`, `indicators.yaml` and the evaluators'
//! cases file — parsed into typed values and validated. Every problem found is a
//! [`Diagnostic`] naming the file, the line and (for YAML) the column, and all of a file's
//! problems are reported together, so an evaluator fixes a file in one round.

pub mod cases;
pub mod diagnostic;
pub mod indicators;
pub mod sites;
pub mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics, InputError};

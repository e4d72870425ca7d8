//! Parsing and validation of Microkit system descriptions (system.xml).

mod model;
mod parse;

pub use model::*;
pub use parse::{parse, parse_file};

//! The hosted platform's kernel side: shared objects, PD processes and
//! the supervisor that plays the Microkit monitor.

mod objects;
mod runner;
mod spawn;

pub use runner::{run, Fault, OutputLine, RunError, RunOptions, RunOutcome, StopReason};
pub use spawn::resolve_program_image;

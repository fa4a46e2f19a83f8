//! sitrep: a static-site generator for an SRE community of practice.
//!
//! The pipeline is load -> index -> render -> write ([`build::build`]); the command line in
//! [`cli`] is a thin layer over it, and the tests use the same functions.

pub mod build;
pub mod chart;
pub mod cli;
mod cli_serve;
pub mod config;
pub mod diagnostics;
pub mod domain;
pub mod highlight;
pub mod index;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod new;
pub mod output;
pub mod rebuild;
pub mod render;
pub mod serve;
pub mod suggest;
pub mod url;
pub mod yaml;

pub use build::{BuildError, BuildOptions, BuildReport, build, check};
pub use diagnostics::{Diagnostic, Severity};

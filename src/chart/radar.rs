//! Radar charts (the six Westrum aspects with the generative target drawn in). Reserved for
//! the culture pages; see `line.rs` for the conventions.

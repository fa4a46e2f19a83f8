//! Bar charts (grouped or stacked bars over categories, e.g. postmortems per severity per
//! quarter). Reserved for the postmortem library; see `line.rs` for the conventions.

//! Render: every page is a pure function of (its job, the site index, the templates); pages
//! render in parallel and each is handed to a sink (the staging folder, or nothing for `check`)
//! as soon as it is ready, so rendered pages are not all held in memory at once.

pub mod pages;
pub mod theme;
pub mod views;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::index::SiteIndex;
use crate::output::OutputError;
pub use pages::PageJob;
pub use theme::Theme;

#[derive(Debug)]
pub enum RenderError {
    Template(Diagnostic),
    Output(OutputError),
}

/// Renders one page to HTML.
/// `site` is [`pages::site`], computed once per build.
pub fn render_page(
    index: &SiteIndex,
    theme: &Theme,
    job: &PageJob,
    site: &serde_json::Value,
) -> Result<String, Diagnostic> {
    let (template, ctx) = pages::context(index, job, site);
    let context = tera::Context::from_value(ctx)
        .map_err(|e| theme::diagnostic_for(format!("<template {template}>"), &e))?;
    theme.tera.render(&template, &context).map_err(|e| {
        theme::diagnostic_for(
            format!("themes/{}/templates/{template}", index.config.theme),
            &e,
        )
    })
}

/// Renders every page and the static files, in parallel, passing each to `sink`. Returns the
/// number of files produced, or every error.
pub fn render_all<F>(index: &SiteIndex, theme: &Theme, sink: F) -> Result<usize, Vec<RenderError>>
where
    F: Fn(&str, &[u8]) -> Result<(), OutputError> + Sync,
{
    let jobs = pages::jobs(index);
    let site = pages::site(index);
    let mut errors: Vec<RenderError> = jobs
        .par_iter()
        .filter_map(|job| {
            let html = match render_page(index, theme, job, &site) {
                Ok(h) => h,
                Err(d) => return Some(RenderError::Template(d)),
            };
            sink(&pages::output_path(index, job), html.as_bytes())
                .err()
                .map(RenderError::Output)
        })
        .collect();
    for (path, bytes) in &theme.static_files {
        if let Err(e) = sink(path, bytes) {
            errors.push(RenderError::Output(e));
        }
    }
    if errors.is_empty() {
        Ok(jobs.len() + theme.static_files.len())
    } else {
        Err(errors)
    }
}

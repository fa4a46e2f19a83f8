//! Render: every page is a pure function of (its job, the site index, the templates); pages
//! render in parallel and each is handed to a sink (the staging folder, or nothing for `check`)
//! as soon as it is ready, so rendered pages are not all held in memory at once. The non-HTML
//! outputs ([`outputs`]) are jobs too, rendered alongside; the search index ([`search`]) is built
//! from the documents on its own thread meanwhile, and timed.

pub mod chrome;
pub mod outputs;
pub mod pages;
pub mod search;
pub mod theme;
pub mod views;

use std::time::Duration;

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
/// `shared` is [`pages::Shared`], made once per build; `base` is a [`BaseContext`] of it.
pub fn render_page(
    index: &SiteIndex,
    theme: &Theme,
    job: &PageJob,
    shared: &pages::Shared,
    base: &mut BaseContext,
) -> Result<String, Diagnostic> {
    let (template, ctx) = pages::context(index, job, shared);
    render_context(index, theme, &template, ctx, base)
}

/// The part of the template context every page has (`site`: the site's name, navigation and
/// addresses). Tera renders from a context it owns, so each page used to get a copy of it, made
/// and dropped again around every page; a `BaseContext` keeps it, and each page's own values are
/// moved in for its render and taken out after. One per thread (or rayon task). It also hands
/// each page its [`chrome::Chrome`].
pub struct BaseContext<'a> {
    context: tera::Context,
    chrome: &'a chrome::Chrome<'a>,
}

impl<'a> BaseContext<'a> {
    pub fn new(shared: &pages::Shared, chrome: &'a chrome::Chrome<'a>) -> BaseContext<'a> {
        let mut context = tera::Context::new();
        context.insert(pages::SITE_KEY, &shared.site);
        BaseContext { context, chrome }
    }
}

/// Renders a page from its template and context (as [`pages::context`] makes them: an object
/// of the page's own values), on top of `base`.
pub fn render_context(
    index: &SiteIndex,
    theme: &Theme,
    template: &str,
    mut ctx: serde_json::Value,
    base: &mut BaseContext,
) -> Result<String, Diagnostic> {
    if ctx.is_object() {
        ctx["chrome"] = base.chrome.for_page(index, theme, &ctx)?;
    }
    let keys: Vec<String> = match &ctx {
        serde_json::Value::Object(fields) if !fields.contains_key(pages::SITE_KEY) => {
            fields.keys().cloned().collect()
        }
        // Not a page's own values: rendered alone, as they are (an error if not an object).
        _ => return render_value(index, theme, template, ctx),
    };
    let page = context_of(template, ctx)?;
    base.context.extend(page);
    let html = render_with(index, theme, template, &base.context);
    for key in &keys {
        base.context.remove(key);
    }
    html
}

/// A Tera context from a JSON object (anything else is an error naming the template).
fn context_of(template: &str, ctx: serde_json::Value) -> Result<tera::Context, Diagnostic> {
    tera::Context::from_value(ctx)
        .map_err(|e| theme::diagnostic_for(format!("<template {template}>"), &e))
}

/// Renders `template` from a whole context given as a JSON object.
pub(crate) fn render_value(
    index: &SiteIndex,
    theme: &Theme,
    template: &str,
    ctx: serde_json::Value,
) -> Result<String, Diagnostic> {
    render_with(index, theme, template, &context_of(template, ctx)?)
}

/// Renders `template` from a whole context, naming the template in an error.
fn render_with(
    index: &SiteIndex,
    theme: &Theme,
    template: &str,
    context: &tera::Context,
) -> Result<String, Diagnostic> {
    theme.tera.render(template, context).map_err(|e| {
        theme::diagnostic_for(
            format!("themes/{}/templates/{template}", index.config.theme),
            &e,
        )
    })
}

/// The search index's share of a build.
#[derive(Debug, Clone, Copy)]
pub struct SearchReport {
    pub documents: usize,
    /// Files of the whole index.
    pub files: usize,
    /// Shards of the index, and how many were indexed this time ([`search::SearchIndexer`]).
    pub shards: usize,
    pub reindexed: usize,
    pub elapsed: Duration,
}

impl SearchReport {
    pub fn new(built: &search::SearchIndex) -> SearchReport {
        SearchReport {
            documents: built.documents,
            files: built.all_files.len(),
            shards: built.shards,
            reindexed: built.reindexed,
            elapsed: built.elapsed,
        }
    }
}

#[derive(Debug)]
pub struct RenderReport {
    /// Files produced: pages, other outputs, static files and the search index.
    pub files: usize,
    pub search: Option<SearchReport>,
    /// Files of the search index that the indexer did not produce again because their shard's
    /// records did not change (relative to the output root): the caller carries them over
    /// from where the indexer's last call put them. Empty for a fresh indexer.
    pub search_kept: Vec<String>,
}

fn sink_errors<F>(files: Vec<(String, Vec<u8>)>, sink: &F) -> (usize, Vec<RenderError>)
where
    F: Fn(&str, &[u8]) -> Result<(), OutputError> + Sync,
{
    let n = files.len();
    let errors = files
        .iter()
        .filter_map(|(p, b)| sink(p, b).err().map(RenderError::Output))
        .collect();
    (n, errors)
}

/// The files of the index that this call did not produce (both lists are sorted).
fn kept_files(built: &search::SearchIndex) -> Vec<String> {
    let produced: std::collections::HashSet<&str> =
        built.files.iter().map(|(p, _)| p.as_str()).collect();
    built
        .all_files
        .iter()
        .filter(|p| !produced.contains(p.as_str()))
        .cloned()
        .collect()
}

/// Pages one rayon task renders at most (see [`render_all`]).
const PAGES_PER_TASK: usize = 16;

/// Renders every page, every other output and the static files, in parallel, passing each file
/// to `sink`, and with an indexer the search index (`check` passes none: it validates content,
/// and the index cannot fail on content). Returns what was produced, or every error.
pub fn render_all<F>(
    index: &SiteIndex,
    theme: &Theme,
    search: Option<&mut search::SearchIndexer>,
    sink: F,
) -> Result<RenderReport, Vec<RenderError>>
where
    F: Fn(&str, &[u8]) -> Result<(), OutputError> + Sync,
{
    let jobs = pages::jobs(index);
    let shared = pages::Shared::new(index);
    let chrome = chrome::Chrome::new(index, theme, &shared.site)
        .map_err(|d| vec![RenderError::Template(d)])?;
    let out_ctx = outputs::OutputContext::new(index);
    let out_jobs = outputs::jobs(index, theme, &out_ctx);
    let ((mut errors, out_files), search) = rayon::join(
        || {
            rayon::join(
                || {
                    // Small chunks: rayon folds a chunk on one thread without splitting it
                    // further, so a chunk holding the long lists (hundreds of ms each at
                    // 10,000 documents) would finish alone after the other thread ran dry.
                    jobs.par_iter()
                        .with_max_len(PAGES_PER_TASK)
                        .map_init(
                            || BaseContext::new(&shared, &chrome),
                            |base, job| {
                                let html = match render_page(index, theme, job, &shared, base) {
                                    Ok(h) => h,
                                    Err(d) => return Some(RenderError::Template(d)),
                                };
                                sink(&pages::output_path(index, job), html.as_bytes())
                                    .err()
                                    .map(RenderError::Output)
                            },
                        )
                        .flatten()
                        .collect::<Vec<_>>()
                },
                || {
                    out_jobs
                        .par_iter()
                        .with_max_len(1)
                        .map(|job| match outputs::render(index, job, &out_ctx) {
                            Ok(files) => sink_errors(files, &sink),
                            Err(d) => (0, vec![RenderError::Template(d)]),
                        })
                        .reduce(
                            || (0, Vec::new()),
                            |mut a, b| {
                                a.0 += b.0;
                                a.1.extend(b.1);
                                a
                            },
                        )
                },
            )
        },
        || search.map(|indexer| indexer.index(index)),
    );
    let (out_count, out_errors) = out_files;
    errors.extend(out_errors);
    let mut files = jobs.len() + out_count;
    let mut search_kept = Vec::new();
    let search = match search {
        Some(Ok(built)) => {
            let report = SearchReport::new(&built);
            search_kept = kept_files(&built);
            files += search_kept.len();
            let (n, e) = sink_errors(built.files, &sink);
            files += n;
            errors.extend(e);
            Some(report)
        }
        Some(Err(d)) => {
            errors.push(RenderError::Template(d));
            None
        }
        None => None,
    };
    for (path, bytes) in &theme.static_files {
        if let Err(e) = sink(path, bytes) {
            errors.push(RenderError::Output(e));
        }
    }
    files += theme.static_files.len();
    if errors.is_empty() {
        Ok(RenderReport {
            files,
            search,
            search_kept,
        })
    } else {
        Err(errors)
    }
}

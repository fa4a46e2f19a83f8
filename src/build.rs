//! The pipeline, load -> index -> render -> write, as the library's entry points for `build` and
//! `check`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{self, Config, ConfigError};
use crate::diagnostics::{self, Diagnostic};
use crate::index::{self, IndexOptions, SiteIndex};
use crate::load::{self, LoadOptions};
use crate::manifest::{self, Manifest};
use crate::output::Staging;
use crate::render::{self, RenderError, SearchReport, Theme};

/// Options shared by `build` and `check`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where to write the site; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from sitrep.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// "Today"; default: `SOURCE_DATE_EPOCH` when set, else the current date.
    pub build_date: Option<Date>,
}

/// What went wrong, with the exit status the command line should use.
#[derive(Debug)]
pub enum BuildError {
    /// Content errors (exit 1). All of them, with warnings, sorted.
    Content(Vec<Diagnostic>),
    /// Usage or environment problem (exit 2): not a portal, output not writable, ...
    Environment(String),
}

#[derive(Debug)]
pub struct BuildReport {
    /// Files written (pages and static files).
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// The search index: documents, files and build time (part of `elapsed`; it is built in
    /// parallel with the pages).
    pub search: Option<SearchReport>,
    /// Nothing changed since the last build into this output: nothing was built or written
    /// ([`crate::manifest`]); `files` and `diagnostics` are that build's.
    pub up_to_date: bool,
}

impl BuildReport {
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - diagnostics::count_errors(&self.diagnostics)
    }
}

/// The build date: `SOURCE_DATE_EPOCH` (reproducible builds) or today, in UTC.
pub fn default_build_date() -> Date {
    let ts = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// A loaded, indexed site with its theme, ready to render; what `check` and `build` share.
pub struct Prepared {
    pub index: SiteIndex,
    /// Shared: watch mode keeps the theme between rebuilds when no template changed.
    pub theme: Arc<Theme>,
    pub diagnostics: Vec<Diagnostic>,
}

fn load_config(root: &Path) -> Result<(Config, Vec<Diagnostic>), BuildError> {
    config::load(root).map_err(|e| match e {
        ConfigError::Missing(p) => BuildError::Environment(format!(
            "{} not found: run sitrep in a portal folder or pass --root",
            p.display()
        )),
        ConfigError::Invalid(d) => BuildError::Content(d),
    })
}

/// The portal's configuration with the command line's overrides.
pub(crate) fn configure(opts: &BuildOptions) -> Result<(Config, Vec<Diagnostic>), BuildError> {
    let root = &opts.root;
    if !root.is_dir() {
        return Err(BuildError::Environment(format!(
            "{} is not a folder",
            root.display()
        )));
    }
    let (mut config, diags) = load_config(root)?;
    if let Some(base) = &opts.base_url {
        config.base_url = base.clone();
    }
    Ok((config, diags))
}

/// Indexes what was loaded and pairs it with the theme: the site ready to render, or every
/// error (with the warnings), sorted.
pub(crate) fn assemble(
    opts: &BuildOptions,
    config: &Config,
    loaded: load::Loaded,
    theme: Result<Arc<Theme>, Vec<Diagnostic>>,
    mut diags: Vec<Diagnostic>,
) -> Result<Prepared, BuildError> {
    diags.extend(loaded.diagnostics);
    let (index, index_diags) = index::build(
        loaded.docs,
        &loaded.failed,
        config,
        &IndexOptions {
            drafts: opts.drafts,
            build_date: opts.build_date.unwrap_or_else(default_build_date),
            base_path: config.base_path(),
        },
    );
    diags.extend(index_diags);
    let theme = match theme {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    diagnostics::sort(&mut diags);
    match theme {
        Some(theme) if diagnostics::count_errors(&diags) == 0 => Ok(Prepared {
            index,
            theme,
            diagnostics: diags,
        }),
        _ => Err(BuildError::Content(diags)),
    }
}

/// Load and index; errors anywhere are collected, not returned early.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, BuildError> {
    let (config, diags) = configure(opts)?;
    // The theme's templates are parsed while the content loads: one thread's worth of work
    // that would otherwise wait for the slowest file.
    let (loaded, theme) = rayon::join(
        || {
            load::load(&LoadOptions {
                root: &opts.root,
                config: &config,
                base_path: &config.base_path(),
            })
        },
        || render::theme::load(&opts.root, &config.theme).map(Arc::new),
    );
    assemble(opts, &config, loaded, theme, diags)
}

fn render_errors(errors: Vec<RenderError>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let mut env = None;
    for e in errors {
        match e {
            RenderError::Template(d) => diags.push(d),
            RenderError::Output(o) => env = env.or(Some(o.to_string())),
        }
    }
    env
}

/// Validates everything (rendering every page in memory) and writes nothing.
pub fn check(opts: &BuildOptions) -> Result<Vec<Diagnostic>, BuildError> {
    let prepared = prepare(opts)?;
    let mut diags = prepared.diagnostics;
    if let Err(errors) = render::render_all(&prepared.index, &prepared.theme, None, |_, _| Ok(())) {
        render_errors(errors, &mut diags);
        diagnostics::sort(&mut diags);
        return Err(BuildError::Content(diags));
    }
    Ok(diags)
}

/// Carries the search index's unchanged files over from the previous output, each as `last`
/// recorded it: `Ok(false)` when one no longer is.
fn carry_over(
    staging: &Staging,
    kept: &[String],
    last: Option<&Manifest>,
) -> Result<bool, crate::output::OutputError> {
    if kept.is_empty() {
        return Ok(true);
    }
    let Some(last) = last else {
        return Ok(false);
    };
    kept.par_iter()
        .try_fold(
            || true,
            |all, rel| match last.recorded(rel) {
                Some(expected) => Ok(staging.keep(rel, expected)? && all),
                None => Ok(false),
            },
        )
        .try_reduce(|| true, |a, b| Ok(a && b))
}

/// Builds the site into the output folder, atomically: with any error nothing is written.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(opts, true)
}

/// [`build`], continuing the previous build's search index when `continue_index` allows.
fn build_with(opts: &BuildOptions, continue_index: bool) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    let manifest_path = Manifest::path_for(&output);
    let build_date = opts.build_date.unwrap_or_else(default_build_date);
    let inputs = manifest::fingerprint(opts, &output, build_date);
    let last = Manifest::read(&manifest_path);
    if let (Some(inputs), Some(last)) = (inputs, &last)
        && last.up_to_date(inputs, &output)
    {
        return Ok(BuildReport {
            files: last.files(),
            diagnostics: last.warnings(),
            elapsed: started.elapsed(),
            search: None,
            up_to_date: true,
        });
    }
    let opts = &BuildOptions {
        build_date: Some(build_date),
        ..opts.clone()
    };
    let prepared = prepare(opts)?;
    // The search index continues the previous build's where its files are intact: only the
    // shards whose documents changed are indexed again, the others carried over.
    let mut indexer = prepared.index.config.search.then(|| {
        last.as_ref()
            .filter(|_| continue_index)
            .and_then(|m| m.resume_search(&output))
            .unwrap_or_default()
    });
    let staging = Staging::begin(&output).map_err(|e| BuildError::Environment(e.to_string()))?;
    let mut diags = prepared.diagnostics;
    let rendered = match render::render_all(
        &prepared.index,
        &prepared.theme,
        indexer.as_mut(),
        |path, bytes| staging.write(path, bytes),
    ) {
        Ok(r) => r,
        Err(errors) => {
            let env = render_errors(errors, &mut diags);
            drop(staging);
            return Err(match env {
                Some(msg) if diagnostics::count_errors(&diags) == 0 => BuildError::Environment(msg),
                _ => {
                    diagnostics::sort(&mut diags);
                    BuildError::Content(diags)
                }
            });
        }
    };
    let carried = carry_over(&staging, &rendered.search_kept, last.as_ref())
        .map_err(|e| BuildError::Environment(e.to_string()))?;
    if !carried {
        // A file of the previous index changed since it was checked (something wrote into the
        // output meanwhile): build again without continuing that index.
        drop(staging);
        return build_with(opts, false);
    }
    // The manifest goes first: if the swap fails half way, no manifest claims the output.
    let _ = std::fs::remove_file(&manifest_path);
    let written = staging.written();
    staging
        .commit()
        .map_err(|e| BuildError::Environment(e.to_string()))?;
    // A cache only: without it the next build builds.
    if let (Some(inputs), Some(files)) = (inputs, written) {
        let search = indexer.map(|i| i.state());
        let _ = Manifest::new(inputs, files, &diags, search).write(&manifest_path);
    }
    Ok(BuildReport {
        files: rendered.files,
        diagnostics: diags,
        elapsed: started.elapsed(),
        search: rendered.search,
        up_to_date: false,
    })
}

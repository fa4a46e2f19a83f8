//! Watch mode's builds. The first is a whole build, written atomically like `sitrep build`.
//! Each later one re-reads only the files that changed ([`LoadCache`]), indexes the site again
//! (cheap next to rendering), re-renders only the pages an edit can reach ([`deps`]), writes
//! only the files whose bytes changed and removes the ones that are gone. The output folder
//! then holds byte for byte what a clean `sitrep build` of the same sources writes;
//! `tests/rebuild.rs` checks that after random edits, additions, renames and deletions.
//!
//! A change to sitrep.yaml or to the build date renders everything again, staged and swapped
//! in like a clean build.
//!
//! The search index of a rebuild is updated in a second step ([`Rebuilder::update_search`]):
//! only the pages decide when a preview can reload, and re-indexing is the slowest part of
//! a rebuild. [`Rebuilder::rebuild`] does both.

pub mod deps;
mod plan;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;
use serde_json::Value;

use crate::build::{self, BuildError, BuildOptions, default_build_date};
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::index::SiteIndex;
use crate::load::{Changes, LoadCache, LoadOptions};
use crate::output::{InPlace, OutputError, Staging};
use crate::render::search::SearchIndexer;
use crate::render::{self, RenderError, SearchReport, Theme, pages};
use deps::PageRecord;
use plan::{Plan, Produced, Sink};

/// What one build (first or later) did.
#[derive(Debug)]
pub struct RebuildReport {
    /// Every page was rendered: the first build, or sitrep.yaml or the date changed.
    pub full: bool,
    /// Source files read and parsed.
    pub parsed: usize,
    /// Pages of the site, and how many of them were rendered.
    pub pages: usize,
    pub rendered: usize,
    /// Files of the site; files written because their bytes changed; files removed.
    pub files: usize,
    pub written: usize,
    pub removed: usize,
    /// Warnings.
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Time of each step, in order (load, index, plan, render, write; search when it ran).
    pub phases: Vec<(&'static str, Duration)>,
    pub search: Option<SearchReport>,
}

/// The last good build, which the next one is measured against.
struct Last {
    config: Config,
    build_date: Date,
    index: SiteIndex,
    theme: Arc<Theme>,
    site: Value,
    pages: rustc_hash::FxHashMap<String, PageRecord>,
    /// The files each non-page output produced, by [`deps::output_key`].
    outputs: HashMap<String, Vec<String>>,
    search: Vec<String>,
    /// Every file of the output and the hash of its bytes.
    files: HashMap<String, blake3::Hash>,
}

/// Keeps what the last build knew, for the next one.
pub struct Rebuilder {
    opts: BuildOptions,
    output: PathBuf,
    cache: LoadCache,
    last: Option<Last>,
    /// The last theme load failed: the theme is loaded again whatever changed, so a broken
    /// template fails every rebuild until fixed, as it fails `sitrep build`.
    theme_failed: bool,
    /// The search index, kept so that an update re-indexes only what changed.
    indexer: SearchIndexer,
    /// Searchable documents changed since the index was last written.
    search_stale: bool,
}

impl Rebuilder {
    pub fn new(opts: BuildOptions) -> Rebuilder {
        let output = opts
            .output
            .clone()
            .unwrap_or_else(|| opts.root.join("public"));
        Rebuilder {
            opts,
            output,
            cache: LoadCache::new(),
            last: None,
            theme_failed: false,
            indexer: SearchIndexer::new(),
            search_stale: false,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Builds what `changes` can have changed since the last good build (everything the first
    /// time), search index included. On error the output and the last good build are left as
    /// they were.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<RebuildReport, BuildError> {
        let mut report = self.rebuild_pages(changes)?;
        if let Some(search) = self.update_search()? {
            report.phases.push(("search", search.elapsed));
            report.search = Some(search);
        }
        Ok(report)
    }

    /// [`Rebuilder::rebuild`] but for the search index of a rebuild, which then waits for
    /// [`Rebuilder::update_search`] (a first or full build writes its index with the pages).
    pub fn rebuild_pages(&mut self, changes: &Changes) -> Result<RebuildReport, BuildError> {
        let started = Instant::now();
        let mut phases = Phases::new();
        let (config, config_diags) = build::configure(&self.opts)?;
        let build_date = self.opts.build_date.unwrap_or_else(default_build_date);
        let same_setting = self
            .last
            .as_ref()
            .is_some_and(|l| l.config == config && l.build_date == build_date);
        let changes = if same_setting {
            changes.clone()
        } else {
            // Loaded documents depend on the configuration (base path, markdown options).
            self.cache = LoadCache::new();
            Changes::All
        };
        let base_path = config.base_path();
        let (loaded, stats) = self.cache.load(
            &LoadOptions {
                root: &self.opts.root,
                config: &config,
                base_path: &base_path,
            },
            &changes,
        );
        phases.end("load");
        let theme_touched = match &changes {
            Changes::All => true,
            Changes::Paths(paths) => paths
                .iter()
                .any(|p| p.starts_with("themes") || p.starts_with("static")),
        };
        let theme_touched = theme_touched || self.theme_failed;
        let theme = match &self.last {
            Some(last) if !theme_touched => Ok(last.theme.clone()),
            _ => render::theme::load(&self.opts.root, &config.theme).map(Arc::new),
        };
        self.theme_failed = theme.is_err();
        let prepared = build::assemble(&self.opts, &config, loaded, theme, config_diags)?;
        let (index, theme) = (prepared.index, prepared.theme);
        phases.end("index");
        let shared = pages::Shared::new(&index);
        let jobs = pages::jobs(&index);
        let paths: Vec<String> = jobs
            .par_iter()
            .map(|j| pages::output_path(&index, j))
            .collect();
        let previous = self
            .last
            .as_ref()
            .filter(|l| same_setting && l.site == shared.site);
        let plan = Plan::new(
            &index,
            &theme,
            &shared,
            &jobs,
            &paths,
            previous,
            theme_touched,
        );
        phases.end("plan");

        let sink = match previous {
            Some(_) => Sink::Memory,
            None => Sink::Staged(
                Staging::begin(&self.output).map_err(|e| BuildError::Environment(e.to_string()))?,
            ),
        };
        let full = previous.is_none();
        // A full build indexes from scratch into an indexer of its own, kept only if the build
        // succeeds: the indexer must describe the index on disk, not one that was never
        // written. (A rebuild leaves search to `update_search`.)
        let mut fresh = SearchIndexer::new();
        let produced = plan
            .render(&sink, &mut fresh)
            .map_err(|errors| failure(errors, &prepared.diagnostics))?;
        phases.end("render");
        let (written, removed, files) = match sink {
            Sink::Staged(staging) => {
                staging
                    .commit()
                    .map_err(|e| BuildError::Environment(e.to_string()))?;
                let files: HashMap<String, blake3::Hash> =
                    produced.hashes.iter().cloned().collect();
                (files.len(), 0, files)
            }
            Sink::Memory => match self.write_in_place(&produced, &paths, &plan.all_output_keys) {
                Ok(done) => done,
                Err(e) => {
                    // The output may now be a mix of two builds: the next one starts over.
                    self.last = None;
                    return Err(BuildError::Environment(e.to_string()));
                }
            },
        };
        phases.end("write");
        self.search_stale = !full && (self.search_stale || plan.docs_changed);

        let last = self.last.take().filter(|_| !full);
        let (mut page_records, mut outputs, search_files) = match last {
            Some(l) => (l.pages, l.outputs, l.search),
            None => Default::default(),
        };
        let live: HashSet<&String> = paths.iter().collect();
        page_records.retain(|p, _| live.contains(p));
        let rendered = produced.pages.len();
        for (path, record, _) in produced.pages {
            page_records.insert(path, record);
        }
        let current: HashSet<&String> = plan.all_output_keys.iter().collect();
        outputs.retain(|k, _| current.contains(k));
        outputs.extend(produced.outputs);
        let (search_files, search) = match produced.search {
            Some((files, report)) => (files, Some(report)),
            None => (search_files, None),
        };
        let report = RebuildReport {
            full,
            parsed: stats.parsed,
            pages: jobs.len(),
            rendered,
            files: files.len(),
            written,
            removed,
            diagnostics: prepared.diagnostics,
            elapsed: started.elapsed(),
            phases: phases.done,
            search,
        };
        if full {
            self.indexer = fresh;
        }
        self.last = Some(Last {
            config,
            build_date,
            index,
            theme,
            site: shared.site,
            pages: page_records,
            outputs,
            search: search_files,
            files,
        });
        Ok(report)
    }

    /// Brings the search index up to date with the last good build, re-indexing only what
    /// changed; `None` when it was up to date. On error the pages stay as they are and the
    /// next call tries again.
    pub fn update_search(&mut self) -> Result<Option<SearchReport>, BuildError> {
        if !self.search_stale {
            return Ok(None);
        }
        let Some(last) = self.last.as_mut() else {
            return Ok(None);
        };
        let started = Instant::now();
        let index = self.indexer.index(&last.index).map_err(|d| {
            let mut diags = vec![d];
            diagnostics::sort(&mut diags);
            BuildError::Content(diags)
        })?;
        let writer = InPlace::new(&self.output);
        let mut write = || -> Result<(), OutputError> {
            for (path, bytes) in &index.files {
                write_if_changed(&writer, &mut last.files, path, bytes, blake3::hash(bytes))?;
            }
            let now: HashSet<&String> = index.all_files.iter().collect();
            for gone in last.search.iter().filter(|p| !now.contains(p)) {
                writer.remove(gone)?;
                last.files.remove(gone);
            }
            Ok(())
        };
        if let Err(e) = write() {
            // The index on disk may be half old, half new: the next build starts over.
            self.last = None;
            return Err(BuildError::Environment(e.to_string()));
        }
        let report = SearchReport {
            elapsed: started.elapsed(),
            ..SearchReport::new(&index)
        };
        last.search = index.all_files;
        self.search_stale = false;
        Ok(Some(report))
    }

    /// Writes the files whose bytes changed and removes those no longer produced. Returns
    /// (written, removed, every file of the site with its hash).
    fn write_in_place(
        &self,
        produced: &Produced,
        paths: &[String],
        output_keys: &[String],
    ) -> Result<(usize, usize, HashMap<String, blake3::Hash>), OutputError> {
        let writer = InPlace::new(&self.output);
        let last = self.last.as_ref();
        let mut files = last.map(|l| l.files.clone()).unwrap_or_default();
        let mut written = 0;
        for (path, bytes, hash) in &produced.pending {
            if write_if_changed(&writer, &mut files, path, bytes, *hash)? {
                written += 1;
            }
        }
        // What the site is made of now: every page, each output's files (new or kept), the
        // search index and the static files.
        let mut live: HashSet<&str> = paths.iter().map(String::as_str).collect();
        let fresh: HashMap<&str, &Vec<String>> = produced
            .outputs
            .iter()
            .map(|(k, f)| (k.as_str(), f))
            .collect();
        if let Some(last) = last {
            // Outputs not produced again keep their files, unless the output itself is gone
            // (a deleted session's calendar).
            for key in output_keys
                .iter()
                .filter(|k| !fresh.contains_key(k.as_str()))
            {
                if let Some(kept) = last.outputs.get(key) {
                    live.extend(kept.iter().map(String::as_str));
                }
            }
        }
        live.extend(fresh.values().flat_map(|f| f.iter().map(String::as_str)));
        match (&produced.search, last) {
            (Some((search, _)), _) => live.extend(search.iter().map(String::as_str)),
            (None, Some(l)) => live.extend(l.search.iter().map(String::as_str)),
            (None, None) => {}
        }
        if let (false, Some(l)) = (produced.statics, last) {
            live.extend(l.theme.static_files.iter().map(|(p, _)| p.as_str()));
        }
        live.extend(produced.hashes.iter().map(|(p, _)| p.as_str()));
        let mut gone: Vec<String> = files
            .keys()
            .filter(|p| !live.contains(p.as_str()))
            .cloned()
            .collect();
        gone.sort();
        for path in &gone {
            writer.remove(path)?;
            files.remove(path);
        }
        Ok((written, gone.len(), files))
    }
}

/// Writes a file of the output unless the last build wrote the same bytes there; notes its
/// hash. Returns whether it wrote.
fn write_if_changed(
    writer: &InPlace,
    files: &mut HashMap<String, blake3::Hash>,
    path: &str,
    bytes: &[u8],
    hash: blake3::Hash,
) -> Result<bool, OutputError> {
    if files.get(path) == Some(&hash) {
        return Ok(false);
    }
    writer.write(path, bytes)?;
    files.insert(path.to_string(), hash);
    Ok(true)
}

/// Times the steps of a build as they end.
struct Phases {
    since: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            since: Instant::now(),
            done: Vec::new(),
        }
    }

    fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.since));
        self.since = now;
    }
}

/// The errors of a failed build, with its warnings, as `sitrep build` reports them.
fn failure(errors: Vec<RenderError>, warnings: &[Diagnostic]) -> BuildError {
    let mut diags = warnings.to_vec();
    let mut environment = None;
    for e in errors {
        match e {
            RenderError::Template(d) => diags.push(d),
            RenderError::Output(o) => environment = environment.or(Some(o.to_string())),
        }
    }
    match environment {
        Some(msg) if diagnostics::count_errors(&diags) == 0 => BuildError::Environment(msg),
        _ => {
            diagnostics::sort(&mut diags);
            BuildError::Content(diags)
        }
    }
}

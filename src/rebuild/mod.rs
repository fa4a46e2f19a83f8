//! Watch mode's builds. The first is a whole build, written atomically like `sitrep build`.
//! Each later one re-reads only the files that changed ([`LoadCache`]), indexes the site again
//! (cheap next to rendering), re-renders only the pages an edit can reach ([`deps`]), writes
//! only the files whose bytes changed and removes the ones that are gone. The output folder
//! then holds byte for byte what a clean `sitrep build` of the same sources writes;
//! `tests/rebuild.rs` checks that after random edits, additions, renames and deletions.
//!
//! A change to sitrep.yaml or to the build date renders everything again, staged and swapped
//! in like a clean build.

pub mod deps;

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
use crate::render::outputs::OutputJob;
use crate::render::{self, PageJob, RenderError, SearchReport, Theme, outputs, pages, search};
use deps::PageRecord;

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
    pub search: Option<SearchReport>,
}

/// The last good build, which the next one is measured against.
struct Last {
    config: Config,
    build_date: Date,
    index: SiteIndex,
    theme: Arc<Theme>,
    site: Value,
    pages: HashMap<String, PageRecord>,
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
}

/// What one build decided to produce.
struct Plan<'a> {
    index: &'a SiteIndex,
    theme: &'a Theme,
    site: &'a Value,
    jobs: &'a [PageJob],
    paths: &'a [String],
    /// Pages to render (positions in `jobs`).
    pages: Vec<usize>,
    /// Non-page outputs to produce, with their keys.
    outputs: Vec<(String, OutputJob)>,
    /// The keys of every non-page output of this build, produced or not.
    all_output_keys: Vec<String>,
    output_context: outputs::OutputContext,
    search: bool,
    statics: bool,
}

/// Files produced by one build: handed to the staging folder as they come (first and full
/// builds), or kept to be written once everything rendered without error (rebuilds).
#[derive(Default)]
struct Produced {
    pages: Vec<(String, PageRecord, blake3::Hash)>,
    outputs: Vec<(String, Vec<String>)>,
    search: Option<(Vec<String>, SearchReport)>,
    /// Hash of every file produced (pages included).
    hashes: Vec<(String, blake3::Hash)>,
    /// Bytes not yet written (rebuilds only).
    pending: Vec<(String, Vec<u8>)>,
    /// The static files were produced.
    statics: bool,
}

enum Sink {
    Staged(Staging),
    Memory,
}

impl Sink {
    /// Takes one file: written now when staged, kept for later otherwise.
    fn take(&self, path: &str, bytes: Vec<u8>, produced: &mut Produced) -> Result<(), RenderError> {
        produced
            .hashes
            .push((path.to_string(), blake3::hash(&bytes)));
        match self {
            Sink::Staged(staging) => staging.write(path, &bytes).map_err(RenderError::Output),
            Sink::Memory => {
                produced.pending.push((path.to_string(), bytes));
                Ok(())
            }
        }
    }
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
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Builds what `changes` can have changed since the last good build (everything the first
    /// time). On error the output and the last good build are left as they were.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<RebuildReport, BuildError> {
        let started = Instant::now();
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
        let site = pages::site(&index);
        let jobs = pages::jobs(&index);
        let paths: Vec<String> = jobs.iter().map(|j| pages::output_path(&index, j)).collect();
        let previous = self
            .last
            .as_ref()
            .filter(|l| same_setting && l.site == site);
        let plan = Plan::new(
            &index,
            &theme,
            &site,
            &jobs,
            &paths,
            previous,
            theme_touched,
        );

        let sink = match previous {
            Some(_) => Sink::Memory,
            None => Sink::Staged(
                Staging::begin(&self.output).map_err(|e| BuildError::Environment(e.to_string()))?,
            ),
        };
        let produced = plan
            .render(&sink)
            .map_err(|errors| failure(errors, &prepared.diagnostics))?;
        let full = previous.is_none();
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
            search,
        };
        self.last = Some(Last {
            config,
            build_date,
            index,
            theme,
            site,
            pages: page_records,
            outputs,
            search: search_files,
            files,
        });
        Ok(report)
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
        for (path, bytes) in &produced.pending {
            let hash = blake3::hash(bytes);
            if files.get(path) != Some(&hash) {
                writer.write(path, bytes)?;
                files.insert(path.clone(), hash);
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

impl<'a> Plan<'a> {
    /// Decides what to produce: everything without a previous build to compare with, else
    /// what [`deps`] says the changes reach.
    fn new(
        index: &'a SiteIndex,
        theme: &'a Theme,
        site: &'a Value,
        jobs: &'a [PageJob],
        paths: &'a [String],
        previous: Option<&Last>,
        theme_touched: bool,
    ) -> Plan<'a> {
        let output_context = outputs::OutputContext::new(index);
        let output_jobs = outputs::jobs(index, theme, &output_context);
        let all_output_keys: Vec<String> = output_jobs
            .iter()
            .map(|j| deps::output_key(j, index))
            .collect();
        let Some(last) = previous else {
            return Plan {
                index,
                theme,
                site,
                jobs,
                paths,
                pages: (0..jobs.len()).collect(),
                outputs: all_output_keys.iter().cloned().zip(output_jobs).collect(),
                all_output_keys,
                output_context,
                search: true,
                statics: true,
            };
        };
        let changed = deps::changed_docs(&last.index, index);
        let templates = deps::changed_templates(&last.theme.sources, &theme.sources);
        let pages: Vec<usize> = (0..jobs.len())
            .filter(|&i| {
                deps::must_render(
                    &jobs[i],
                    index,
                    last.pages.get(&paths[i]),
                    &changed,
                    &templates,
                )
            })
            .collect();
        let pages_changed =
            paths.len() != last.pages.len() || paths.iter().any(|p| !last.pages.contains_key(p));
        let outputs = all_output_keys
            .iter()
            .cloned()
            .zip(output_jobs)
            .filter(|(key, job)| {
                !last.outputs.contains_key(key)
                    || deps::output_needed(job, index, &changed, pages_changed)
            })
            .collect();
        Plan {
            index,
            theme,
            site,
            jobs,
            paths,
            pages,
            outputs,
            all_output_keys,
            output_context,
            search: !changed.is_empty(),
            statics: theme_touched,
        }
    }

    /// Renders what the plan says, in parallel, handing each file to the sink.
    fn render(&self, sink: &Sink) -> Result<Produced, Vec<RenderError>> {
        let urls = deps::url_map(self.index);
        let (pages, (outputs, search)) = rayon::join(
            || {
                self.pages
                    .par_iter()
                    .map(|&i| self.page(i, &urls))
                    .collect::<Vec<_>>()
            },
            || {
                rayon::join(
                    || {
                        self.outputs
                            .par_iter()
                            .map(|(key, job)| {
                                outputs::render(self.index, job, &self.output_context)
                                    .map(|files| (key.clone(), files))
                            })
                            .collect::<Vec<_>>()
                    },
                    || self.search.then(|| search::build(self.index)),
                )
            },
        );
        let mut errors = Vec::new();
        let mut produced = Produced::default();
        let collect =
            |path: &str, bytes: Vec<u8>, produced: &mut Produced| sink.take(path, bytes, produced);
        for page in pages {
            match page {
                Ok((path, record, html)) => {
                    let hash = blake3::hash(html.as_bytes());
                    produced.pages.push((path.clone(), record, hash));
                    errors.extend(collect(&path, html.into_bytes(), &mut produced).err());
                }
                Err(d) => errors.push(RenderError::Template(d)),
            }
        }
        for output in outputs {
            match output {
                Ok((key, files)) => {
                    let names = files.iter().map(|(p, _)| p.clone()).collect();
                    for (path, bytes) in files {
                        errors.extend(collect(&path, bytes, &mut produced).err());
                    }
                    produced.outputs.push((key, names));
                }
                Err(d) => errors.push(RenderError::Template(d)),
            }
        }
        match search {
            Some(Ok(index)) => {
                let report = SearchReport::new(&index);
                let names = index.all_files;
                for (path, bytes) in index.files {
                    errors.extend(collect(&path, bytes, &mut produced).err());
                }
                produced.search = Some((names, report));
            }
            Some(Err(d)) => errors.push(RenderError::Template(d)),
            None => {}
        }
        if self.statics {
            for (path, bytes) in &self.theme.static_files {
                errors.extend(collect(path, bytes.clone(), &mut produced).err());
            }
            produced.statics = true;
        }
        if errors.is_empty() {
            Ok(produced)
        } else {
            Err(errors)
        }
    }

    /// Renders one page and notes the documents it showed.
    fn page(
        &self,
        i: usize,
        urls: &HashMap<String, usize>,
    ) -> Result<(String, PageRecord, String), Diagnostic> {
        let (template, ctx) = pages::context(self.index, &self.jobs[i], self.site);
        let shows = deps::shown_docs(&ctx, urls, self.index);
        let html = render::render_context(self.index, self.theme, &template, ctx)?;
        Ok((self.paths[i].clone(), PageRecord { template, shows }, html))
    }
}

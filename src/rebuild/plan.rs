//! What one rebuild produces: the pages and outputs an edit reaches ([`deps`]), rendered in
//! parallel and handed to a [`Sink`].

use rayon::prelude::*;

use super::Last;
use super::deps::{self, PageRecord};
use crate::diagnostics::Diagnostic;
use crate::index::SiteIndex;
use crate::output::Staging;
use crate::render::outputs::OutputJob;
use crate::render::search::SearchIndexer;
use crate::render::{self, PageJob, RenderError, SearchReport, Theme, outputs, pages};

/// What one build decided to produce.
pub(super) struct Plan<'a> {
    index: &'a SiteIndex,
    theme: &'a Theme,
    shared: &'a pages::Shared,
    jobs: &'a [PageJob],
    paths: &'a [String],
    /// Pages to render (positions in `jobs`).
    pages: Vec<usize>,
    /// Non-page outputs to produce, with their keys.
    outputs: Vec<(String, OutputJob)>,
    /// The keys of every non-page output of this build, produced or not.
    pub(super) all_output_keys: Vec<String>,
    output_context: outputs::OutputContext,
    /// Build the search index with the pages: first and full builds, whose output is swapped
    /// in whole. Rebuilds update it afterwards ([`super::Rebuilder::update_search`]).
    search: bool,
    /// Searchable documents may have changed (rebuilds).
    pub(super) docs_changed: bool,
    statics: bool,
}

/// Files produced by one build: handed to the staging folder as they come (first and full
/// builds), or kept to be written once everything rendered without error (rebuilds).
#[derive(Default)]
pub(super) struct Produced {
    pub(super) pages: Vec<(String, PageRecord, blake3::Hash)>,
    pub(super) outputs: Vec<(String, Vec<String>)>,
    pub(super) search: Option<(Vec<String>, SearchReport)>,
    /// Hash of every file produced (pages included).
    pub(super) hashes: Vec<(String, blake3::Hash)>,
    /// Bytes not yet written (rebuilds only).
    pub(super) pending: Vec<(String, Vec<u8>, blake3::Hash)>,
    /// The static files were produced.
    pub(super) statics: bool,
}

pub(super) enum Sink {
    Staged(Staging),
    Memory,
}

impl Sink {
    /// Takes one file: written now when staged, kept for later otherwise.
    /// Returns the hash of the bytes, computed once here for every later comparison.
    pub(super) fn take(
        &self,
        path: &str,
        bytes: Vec<u8>,
        produced: &mut Produced,
    ) -> Result<blake3::Hash, RenderError> {
        let hash = blake3::hash(&bytes);
        produced.hashes.push((path.to_string(), hash));
        match self {
            Sink::Staged(staging) => staging.write(path, &bytes).map_err(RenderError::Output)?,
            Sink::Memory => produced.pending.push((path.to_string(), bytes, hash)),
        }
        Ok(hash)
    }
}

impl<'a> Plan<'a> {
    /// Decides what to produce: everything without a previous build to compare with, else
    /// what [`deps`] says the changes reach.
    pub(super) fn new(
        index: &'a SiteIndex,
        theme: &'a Theme,
        shared: &'a pages::Shared,
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
                shared,
                jobs,
                paths,
                pages: (0..jobs.len()).collect(),
                outputs: all_output_keys.iter().cloned().zip(output_jobs).collect(),
                all_output_keys,
                output_context,
                search: index.config.search,
                docs_changed: true,
                statics: true,
            };
        };
        let changed = deps::changed_docs(&last.index, index);
        let templates = deps::changed_templates(&last.theme.sources, &theme.sources);
        // The partials are on every page (render::chrome).
        let partial_changed = templates
            .iter()
            .any(|t| t.starts_with(render::chrome::PARTIALS));
        let pages: Vec<usize> = (0..jobs.len())
            .into_par_iter()
            .filter(|&i| {
                partial_changed
                    || deps::must_render(
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
            shared,
            jobs,
            paths,
            pages,
            outputs,
            all_output_keys,
            output_context,
            search: false,
            docs_changed: !changed.is_empty() && index.config.search,
            statics: theme_touched,
        }
    }

    /// Renders what the plan says, in parallel, handing each file to the sink.
    pub(super) fn render(
        &self,
        sink: &Sink,
        indexer: &mut SearchIndexer,
    ) -> Result<Produced, Vec<RenderError>> {
        let urls = deps::url_map(self.index);
        let chrome = render::chrome::Chrome::new(self.index, self.theme, &self.shared.site)
            .map_err(|d| vec![RenderError::Template(d)])?;
        let (pages, (outputs, search)) = rayon::join(
            || {
                self.pages
                    .par_iter()
                    .map_init(
                        || render::BaseContext::new(self.shared, &chrome),
                        |base, &i| self.page(i, &urls, base),
                    )
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
                    || self.search.then(|| indexer.index(self.index)),
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
                    match collect(&path, html.into_bytes(), &mut produced) {
                        Ok(hash) => produced.pages.push((path, record, hash)),
                        Err(e) => errors.push(e),
                    }
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
        urls: &rustc_hash::FxHashMap<String, usize>,
        base: &mut render::BaseContext,
    ) -> Result<(String, PageRecord, String), Diagnostic> {
        let (template, ctx) = pages::context(self.index, &self.jobs[i], self.shared);
        let shows = deps::shown_docs(&ctx, urls, self.index);
        let html = render::render_context(self.index, self.theme, &template, ctx, base)?;
        Ok((self.paths[i].clone(), PageRecord { template, shows }, html))
    }
}

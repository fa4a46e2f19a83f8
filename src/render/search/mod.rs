//! The search index, built with Pagefind's Rust API: the index is split into chunks (word index,
//! fragments, filters) that the browser fetches on demand, so a 10,000-document portal does not
//! ship one file that grows with the site. Searching needs no server: `pagefind/pagefind.js` and
//! the chunks are static files.
//!
//! Each published document is one [`Record`] ([`record`] decides what is searchable). The
//! records are split into shards by a hash of their URL ([`shard::shard_of`]), each shard a
//! Pagefind index of its own: shard 0 in `pagefind/`, shard k in `pagefind/shard-<k>/`, and
//! `pagefind/shards.json` lists the others for the browser, which merges them into the first
//! (Pagefind's `mergeIndex`). Watch mode then re-indexes only the shards whose records changed
//! ([`SearchIndexer`]): an edit costs one shard of a few hundred records, not the whole site;
//! `sitrep build` does the same from the state the build manifest kept ([`SearchState`]).
//! A shard's files depend on its records alone, so a sequence of incremental calls leaves the
//! same bytes as one call over the final site.

mod record;
pub mod shard;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use record::{Record, record, searchable};
pub use shard::{MAX_SHARDS, shard_count, shard_of};

use crate::diagnostics::Diagnostic;
use crate::index::SiteIndex;

/// The folder of the index below the output root.
pub const DIR: &str = "pagefind";

/// The list of shards after the first, for the browser: `{"shards": ["shard-1/", ...]}`, the
/// folders relative to `pagefind/`, in order. Shards without a record are left out.
pub const MANIFEST: &str = "pagefind/shards.json";

/// Records per shard aimed at: small enough that re-indexing one shard after an edit takes a
/// fraction of a second, large enough that a 10,000-document portal needs only 32 shards.
pub const RECORDS_PER_SHARD: usize = 250;

/// Overrides [`RECORDS_PER_SHARD`] for [`SearchIndexer::new`] (and so for `sitrep build` and
/// `sitrep serve`): a test knob, so that a small portal is split into several shards (the
/// browser suite builds the sample portal with 2).
pub const SHARD_DOCS_ENV: &str = "SITREP_SEARCH_SHARD_DOCS";

pub struct SearchIndex {
    /// Files of the shards indexed by this call (all of them the first time), and
    /// `pagefind/shards.json` when it changed, relative to the output root.
    pub files: Files,
    /// Every file of the whole index now (written this time or before), sorted.
    pub all_files: Vec<String>,
    /// Searchable documents.
    pub documents: usize,
    /// Shards of the index, and how many of them were indexed by this call.
    pub shards: usize,
    pub reindexed: usize,
    pub elapsed: Duration,
}

/// Files as (path relative to the output root, bytes).
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// What the last successful call knew of one shard.
#[derive(Debug, Clone)]
struct Shard {
    /// Digest of the shard's records in order ([`Record::digest`]).
    digest: blake3::Hash,
    /// Its files, relative to the output root.
    files: Vec<String>,
}

/// Builds the search index, and again after changes, re-indexing only the shards whose
/// records changed.
#[derive(Debug, Clone)]
pub struct SearchIndexer {
    records_per_shard: usize,
    /// The shards of the last successful call; empty before the first.
    shards: Vec<Shard>,
    /// `shards.json` as last produced.
    manifest: Vec<u8>,
}

/// What a [`SearchIndexer`] knew after its last call, as the build manifest stores it: the next
/// `sitrep build` into the same output resumes from it, re-indexes only the shards whose records
/// changed and carries the others' files over from the previous output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchState {
    records_per_shard: usize,
    /// Per shard: the digest of its records (hex) and its files.
    shards: Vec<(String, Vec<String>)>,
    /// `shards.json` as last produced.
    manifest: String,
}

impl SearchState {
    /// Every file of the index it describes, relative to the output root.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.shards
            .iter()
            .flat_map(|(_, files)| files.iter().map(String::as_str))
            .chain([MANIFEST])
    }
}

impl Default for SearchIndexer {
    fn default() -> SearchIndexer {
        SearchIndexer::new()
    }
}

pub(crate) fn failed(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        format!("{DIR}/"),
        "search-index",
        format!("could not build the search index: {e}"),
    )
}

impl SearchIndexer {
    /// An indexer aiming at [`RECORDS_PER_SHARD`] records per shard, or at the number in
    /// [`SHARD_DOCS_ENV`] when that is set to a positive whole number.
    pub fn new() -> SearchIndexer {
        let per = std::env::var(SHARD_DOCS_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(RECORDS_PER_SHARD);
        SearchIndexer::with_shard_docs(per)
    }

    /// An indexer aiming at `records_per_shard` records per shard (at least 1); see
    /// [`shard_count`].
    pub fn with_shard_docs(records_per_shard: usize) -> SearchIndexer {
        SearchIndexer {
            records_per_shard: records_per_shard.max(1),
            shards: Vec::new(),
            manifest: Vec::new(),
        }
    }

    /// The state to resume from in a later build ([`SearchIndexer::resume`]).
    pub fn state(&self) -> SearchState {
        SearchState {
            records_per_shard: self.records_per_shard,
            shards: self
                .shards
                .iter()
                .map(|s| (s.digest.to_hex().to_string(), s.files.clone()))
                .collect(),
            manifest: String::from_utf8_lossy(&self.manifest).into_owned(),
        }
    }

    /// This indexer continuing from `state`, as if it had made the index `state` describes;
    /// `None` when the state was made with another shard size (the layout would differ) or
    /// does not read. The caller vouches that the index's files are still there, unchanged.
    pub fn resume(self, state: &SearchState) -> Option<SearchIndexer> {
        let fresh = self;
        if state.records_per_shard != fresh.records_per_shard || state.shards.is_empty() {
            return None;
        }
        let shards = state
            .shards
            .iter()
            .map(|(digest, files)| {
                Some(Shard {
                    digest: blake3::Hash::from_hex(digest).ok()?,
                    files: files.clone(),
                })
            })
            .collect::<Option<_>>()?;
        Some(SearchIndexer {
            shards,
            manifest: state.manifest.clone().into_bytes(),
            ..fresh
        })
    }

    /// Indexes the site again: only shards whose records (compared by content) changed since
    /// the last successful call are re-indexed, in parallel; all of them the first time and
    /// whenever the shard count changes. On error the indexer keeps its previous state.
    pub fn index(&mut self, index: &SiteIndex) -> Result<SearchIndex, Diagnostic> {
        let started = Instant::now();
        // Only the URLs first: they decide the shards. Each shard then makes its own records
        // inside its task and drops them once indexed, so a 10,000-document portal never holds
        // a second copy of every body at once (tens of MiB at the build's peak).
        let urls: Vec<(String, usize)> = index
            .docs
            .par_iter()
            .enumerate()
            .filter(|(_, d)| searchable(d))
            .map(|(i, d)| (record::url(d), i))
            .collect();
        let documents = urls.len();
        let mut count = shard_count(documents, self.records_per_shard);
        // The browser starts from shard 0, and Pagefind cannot start from an index without a
        // record: with very few records per shard (a test setting; at 250 it takes odds below
        // e^-170) the count is halved until shard 0 holds one. Still a function of the records.
        while count > 1 && !urls.iter().any(|(url, _)| shard_of(url, count) == 0) {
            count /= 2;
        }
        let mut groups: Vec<Vec<(String, usize)>> = (0..count).map(|_| Vec::new()).collect();
        for (url, i) in urls {
            let k = shard_of(&url, count);
            groups[k].push((url, i));
        }
        let same_layout = self.shards.len() == count;
        let previous = &self.shards;
        // Each shard's digest, and its files when it was indexed this time.
        let built: Vec<(blake3::Hash, Option<Files>)> = on_own_threads(groups, |k, mut group| {
            // In URL order, so a shard's digest and files depend on its records alone, not on
            // the order the documents were loaded in.
            group.sort_by(|a, b| a.0.cmp(&b.0));
            let records: Vec<Record> = group
                .iter()
                .filter_map(|(_, i)| record(&index.docs[*i]))
                .collect();
            let digest = digest(&records);
            if same_layout && previous[k].digest == digest {
                return Ok((digest, None));
            }
            // Shard 0 is always built: the browser loads Pagefind from it.
            let files = if k > 0 && records.is_empty() {
                Vec::new()
            } else {
                shard::index(k, records)?
            };
            Ok((digest, Some(files)))
        })
        .into_iter()
        .collect::<Result<_, Diagnostic>>()?;
        let reindexed = built.iter().filter(|(_, f)| f.is_some()).count();

        let mut files = Vec::new();
        let shards: Vec<Shard> = built
            .into_iter()
            .enumerate()
            .map(|(k, (digest, built))| {
                let names = match built {
                    Some(shard_files) => {
                        let names = shard_files.iter().map(|(p, _)| p.clone()).collect();
                        files.extend(shard_files);
                        names
                    }
                    None => previous[k].files.clone(),
                };
                Shard {
                    digest,
                    files: names,
                }
            })
            .collect();
        let manifest = manifest(&shards);
        if manifest != self.manifest {
            files.push((MANIFEST.to_string(), manifest.clone()));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut all_files: Vec<String> = shards
            .iter()
            .flat_map(|s| s.files.iter().cloned())
            .chain([MANIFEST.to_string()])
            .collect();
        all_files.sort();
        self.shards = shards;
        self.manifest = manifest;
        Ok(SearchIndex {
            files,
            all_files,
            documents,
            shards: count,
            reindexed,
            elapsed: started.elapsed(),
        })
    }
}

/// Runs `work` on each shard on threads of this module's own, as many as there are cores, and
/// returns the results in shard order. Not on rayon's workers: Pagefind parallelises with rayon
/// inside each shard's tokio runtime, and a worker waiting there for that work takes any queued
/// job meanwhile, another shard of this or a concurrent build among them; starting that
/// shard's runtime inside the first panics in tokio ("Cannot start a runtime from within a
/// runtime"). While it waits, a calling worker keeps running rayon's queued jobs (Pagefind's
/// among them), so that callers on every worker at once cannot leave those jobs without a
/// thread.
fn on_own_threads<T: Send, R: Send>(items: Vec<T>, work: impl Fn(usize, T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.len().max(1));
    let queue = Mutex::new(items.into_iter().enumerate());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some((k, item)) = next else { break };
                        let result = work(k, item);
                        results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((k, result));
                    }
                })
            })
            .collect();
        while !handles.iter().all(|h| h.is_finished()) {
            if rayon::yield_now() != Some(rayon::Yield::Executed) {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(k, _)| *k);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The digest of one shard's records, in order.
fn digest(records: &[Record]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(records.len() as u64).to_le_bytes());
    for r in records {
        r.digest(&mut hasher);
    }
    hasher.finalize()
}

/// `shards.json`: the folders of the shards after the first that have files.
fn manifest(shards: &[Shard]) -> Vec<u8> {
    let folders: Vec<String> = (1..shards.len())
        .filter(|&k| !shards[k].files.is_empty())
        .map(shard::subfolder)
        .collect();
    let mut bytes = serde_json::to_vec(&serde_json::json!({ "shards": folders }))
        .unwrap_or_else(|_| b"{\"shards\":[]}".to_vec());
    bytes.push(b'\n');
    bytes
}

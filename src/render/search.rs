//! The search index, built with Pagefind's Rust API: the index is split into chunks (word index,
//! fragments, filters) that the browser fetches on demand, so a 10,000-document portal does not
//! ship one file that grows with the site. Searching needs no server: `pagefind/pagefind.js` and
//! the chunks are static files.
//!
//! Each published document is one record: its title, summary, tags and body text (as plain text,
//! escaped), with its kind and tags as filters and its title, kind and summary as metadata for
//! the result list. Records are built from the documents, not scraped from the pages, so what is
//! indexed is decided here: no draft (even in a `--drafts` build), and for culture assessments
//! only the title and tags, never a score or a note (the anonymity rule; scores of shown groups
//! are figures on their pages, not words anyone searches for).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::index::{SiteIndex, is_draft};
use crate::model::{Document, KindData};
use crate::url;

/// The folder of the index below the output root.
pub const DIR: &str = "pagefind";

/// Files Pagefind writes for its own UI and playground; the theme has its own small UI.
const UNUSED_PREFIXES: [&str; 4] = [
    "pagefind-ui",
    "pagefind-modular-ui",
    "pagefind-component-ui",
    "playground",
];

pub struct SearchIndex {
    /// Files indexed by this call, relative to the output root.
    pub files: Vec<(String, Vec<u8>)>,
    /// Every file of the whole index now, sorted.
    pub all_files: Vec<String>,
    pub documents: usize,
    pub elapsed: Duration,
}

/// Keeps the search index between watch mode's rebuilds.
#[derive(Default)]
pub struct SearchIndexer {}

impl SearchIndexer {
    pub fn new() -> SearchIndexer {
        SearchIndexer {}
    }

    /// Indexes the site again.
    pub fn index(&mut self, index: &SiteIndex) -> Result<SearchIndex, Diagnostic> {
        build(index)
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What Pagefind indexes for one document. `content` is HTML-escaped (Pagefind's excerpts are
/// HTML with `<mark>`); `meta` and `filters` are plain text for the page script to show as text.
pub struct Record {
    /// The document's path below the site root (`/postmortems/x/`); Pagefind's `baseUrl`
    /// option adds the base path in the browser.
    pub url: String,
    pub content: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The record of one document, or `None` when it must not be searchable.
pub fn record(doc: &Document) -> Option<Record> {
    if is_draft(doc) {
        return None;
    }
    let mut parts: Vec<&str> = vec![&doc.title];
    if let Some(s) = &doc.summary {
        parts.push(s);
    }
    let tags = doc.tags.join(", ");
    parts.push(&tags);
    let speakers;
    match &doc.data {
        KindData::Assessment(_) => {}
        KindData::Session(s) => {
            speakers = s.speakers.join(", ");
            parts.push(&speakers);
            parts.push(&doc.body_text);
        }
        _ => parts.push(&doc.body_text),
    }
    let content = escape(&parts.join("\n"));
    let mut meta = BTreeMap::from([
        ("title".to_string(), doc.title.clone()),
        ("kind".to_string(), doc.key.kind.singular().to_string()),
        ("kind_label".to_string(), doc.key.kind.label().to_string()),
    ]);
    if let Some(s) = &doc.summary {
        meta.insert("summary".into(), s.clone());
    }
    let mut filters = BTreeMap::from([(
        "kind".to_string(),
        vec![doc.key.kind.singular().to_string()],
    )]);
    if !doc.tags.is_empty() {
        filters.insert("tag".into(), doc.tags.clone());
    }
    Some(Record {
        url: url::doc_url("/", &doc.key),
        content,
        meta,
        filters,
    })
}

fn failed(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        format!("{DIR}/"),
        "search-index",
        format!("could not build the search index: {e}"),
    )
}

/// Builds the index of every searchable document.
pub fn build(index: &SiteIndex) -> Result<SearchIndex, Diagnostic> {
    let started = Instant::now();
    let records: Vec<Record> = index.docs.iter().filter_map(|d| record(d)).collect();
    let documents = records.len();
    // Pagefind's API is async; a single-threaded runtime of our own keeps it inside this call.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language("en".to_string())
            .build();
        let mut pf = PagefindIndex::new(Some(options)).map_err(failed)?;
        for r in records {
            pf.add_custom_record(
                r.url,
                r.content,
                "en".into(),
                Some(r.meta),
                Some(r.filters),
                None,
            )
            .await
            .map_err(failed)?;
        }
        pf.get_files().await.map_err(failed)
    })?;
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .filter(|(name, _)| !UNUSED_PREFIXES.iter().any(|p| name.starts_with(p)))
        .map(|(name, bytes)| (format!("{DIR}/{name}"), bytes))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(SearchIndex {
        all_files: files.iter().map(|(p, _)| p.clone()).collect(),
        files,
        documents,
        elapsed: started.elapsed(),
    })
}

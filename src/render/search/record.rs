//! What the search index holds for each document. Records are built from the documents, not
//! scraped from the pages, so what is indexed is decided here: no draft (even in a `--drafts`
//! build), and for culture assessments only the title and tags, never a score or a note (the
//! anonymity rule; scores of shown groups are figures on their pages, not words anyone searches
//! for).

use std::collections::BTreeMap;

use crate::index::is_draft;
use crate::model::{Document, KindData};
use crate::url;

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

/// Whether a document is searchable: drafts never are.
pub fn searchable(doc: &Document) -> bool {
    !is_draft(doc)
}

/// The URL a document's record has.
pub fn url(doc: &Document) -> String {
    url::doc_url("/", &doc.key)
}

/// The record of one document, or `None` when it must not be searchable.
pub fn record(doc: &Document) -> Option<Record> {
    if !searchable(doc) {
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
        url: url(doc),
        content,
        meta,
        filters,
    })
}

impl Record {
    /// A digest of everything Pagefind is given for this record: a shard whose records have the
    /// same digests, in the same order, indexes to the same bytes, so it need not be indexed
    /// again. Every field is length-prefixed, so no two different records feed the same bytes.
    pub fn digest(&self, hasher: &mut blake3::Hasher) {
        let mut field = |s: &str| {
            hasher.update(&(s.len() as u64).to_le_bytes());
            hasher.update(s.as_bytes());
        };
        field(&self.url);
        field(&self.content);
        field(&self.meta.len().to_string());
        for (k, v) in &self.meta {
            field(k);
            field(v);
        }
        field(&self.filters.len().to_string());
        for (k, values) in &self.filters {
            field(k);
            field(&values.len().to_string());
            for v in values {
                field(v);
            }
        }
    }
}

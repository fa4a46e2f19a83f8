//! Index: the read-only picture of the whole site that every page renders from. Ids per kind,
//! references checked and turned into backlinks, tags, and the computed figures.

pub mod figures;

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{DocKey, Document, Kind, KindData, PostmortemStatus};
use crate::url;

pub struct IndexOptions {
    /// Include drafts (and postmortems in draft or in review).
    pub drafts: bool,
    /// "Today" for upcoming sessions, overdue items and ages; fixed for reproducible builds.
    pub build_date: Date,
    pub base_path: String,
}

/// A document's position in [`SiteIndex::docs`].
pub type DocIdx = usize;

#[derive(Debug, Clone)]
pub struct TagEntry {
    pub name: String,
    pub slug: String,
    pub docs: Vec<DocIdx>,
}

pub struct SiteIndex {
    pub config: Config,
    pub base_path: String,
    pub build_date: Date,
    /// The documents that are published in this build, sorted by kind then id. Shared with the
    /// loader's cache in watch mode, so a rebuild does not copy the documents it did not read.
    pub docs: Vec<Arc<Document>>,
    /// Fx hashing: looked up for every reference of every document, where SipHash's
    /// flooding resistance buys nothing (the keys are the portal's own file names).
    by_key: FxHashMap<DocKey, DocIdx>,
    /// Documents of each kind in their listing order.
    pub by_kind: BTreeMap<Kind, Vec<DocIdx>>,
    /// For each document, the documents that reference it (front matter or body link).
    pub backlinks: Vec<Vec<DocIdx>>,
    /// Tags by slug.
    pub tags: BTreeMap<String, TagEntry>,
    pub figures: figures::Figures,
}

/// True when a document stays out of a build without `--drafts`.
pub fn is_draft(doc: &Document) -> bool {
    doc.draft
        || matches!(
            &doc.data,
            KindData::Postmortem(p) if matches!(p.status, PostmortemStatus::Draft | PostmortemStatus::InReview)
        )
}

impl SiteIndex {
    pub fn get(&self, key: &DocKey) -> Option<DocIdx> {
        self.by_key.get(key).copied()
    }

    pub fn find(&self, kind: Kind, id: &str) -> Option<&Document> {
        self.get(&DocKey::new(kind, id)).map(|i| &*self.docs[i])
    }

    pub fn of_kind(&self, kind: Kind) -> &[DocIdx] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }

    pub fn url(&self, idx: DocIdx) -> String {
        url::doc_url(&self.base_path, &self.docs[idx].key)
    }

    /// Documents of `kind` that reference `idx` (its backlinks of one kind).
    pub fn referrers(&self, idx: DocIdx, kind: Kind) -> impl Iterator<Item = DocIdx> + '_ {
        self.backlinks[idx]
            .iter()
            .copied()
            .filter(move |&i| self.docs[i].key.kind == kind)
    }
}

/// Checks ids and references over all loaded documents (drafts included, so `check` validates
/// them), then builds the index of the documents this build publishes.
pub fn build<D: Into<Arc<Document>>>(
    all: Vec<D>,
    failed: &[DocKey],
    config: &Config,
    opts: &IndexOptions,
) -> (SiteIndex, Vec<Diagnostic>) {
    let all: Vec<Arc<Document>> = all.into_iter().map(Into::into).collect();
    // Checking references and ids reads what indexing reads: one beside the other.
    let (mut diags, (docs, by_key, backlinks, tags)) = rayon::join(
        || {
            let mut diags = duplicate_ids(&all);
            diags.extend(check_references(&all, failed, opts.drafts));
            diags
        },
        || {
            let mut docs: Vec<Arc<Document>> = all
                .iter()
                .filter(|d| opts.drafts || !is_draft(d))
                .cloned()
                .collect();
            docs.sort_by(|a, b| a.key.cmp(&b.key));
            docs.dedup_by(|a, b| a.key == b.key);
            let by_key: FxHashMap<DocKey, DocIdx> = docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.key.clone(), i))
                .collect();

            let mut backlinks: Vec<Vec<DocIdx>> = vec![Vec::new(); docs.len()];
            for (from, doc) in docs.iter().enumerate() {
                for r in &doc.refs {
                    if let Some(&to) = by_key.get(&r.target)
                        && to != from
                    {
                        backlinks[to].push(from);
                    }
                }
            }
            for list in &mut backlinks {
                list.sort_unstable();
                list.dedup();
            }

            let mut tags: BTreeMap<String, TagEntry> = BTreeMap::new();
            // A portal has far fewer tags than tagged documents: each is slugified once.
            let mut slugs: FxHashMap<&str, String> = FxHashMap::default();
            for (i, doc) in docs.iter().enumerate() {
                for tag in &doc.tags {
                    let slug = slugs
                        .entry(tag.as_str())
                        .or_insert_with(|| url::slugify(tag))
                        .clone();
                    if slug.is_empty() {
                        continue;
                    }
                    let entry = tags.entry(slug.clone()).or_insert_with(|| TagEntry {
                        name: tag.clone(),
                        slug,
                        docs: Vec::new(),
                    });
                    if entry.docs.last() != Some(&i) {
                        entry.docs.push(i);
                    }
                }
            }
            (docs, by_key, backlinks, tags)
        },
    );

    let mut index = SiteIndex {
        config: config.clone(),
        base_path: opts.base_path.clone(),
        build_date: opts.build_date,
        docs,
        by_key,
        by_kind: BTreeMap::new(),
        backlinks,
        tags,
        figures: figures::Figures::default(),
    };
    let (figures, figure_diags) = figures::compute(&index);
    index.figures = figures;
    diags.extend(figure_diags);
    index.by_kind = listing_order(&index);
    (index, diags)
}

/// Listing order per kind: newest first for dated kinds, by title otherwise, pages by weight.
fn listing_order(index: &SiteIndex) -> BTreeMap<Kind, Vec<DocIdx>> {
    let mut by_kind: BTreeMap<Kind, Vec<DocIdx>> = BTreeMap::new();
    for (i, d) in index.docs.iter().enumerate() {
        by_kind.entry(d.key.kind).or_default().push(i);
    }
    for (kind, list) in by_kind.iter_mut() {
        let docs = &index.docs;
        match kind {
            Kind::Postmortem | Kind::Session | Kind::Assessment => list.sort_by(|&a, &b| {
                date_of(&docs[b])
                    .cmp(&date_of(&docs[a]))
                    .then_with(|| docs[a].key.cmp(&docs[b].key))
            }),
            Kind::Page => list.sort_by(|&a, &b| {
                let w = |i: usize| match &docs[i].data {
                    KindData::Page(p) => p.weight.unwrap_or(i64::MAX),
                    _ => i64::MAX,
                };
                w(a).cmp(&w(b))
                    .then_with(|| docs[a].title.cmp(&docs[b].title))
            }),
            _ => list.sort_by(|&a, &b| {
                docs[a]
                    .title
                    .to_lowercase()
                    .cmp(&docs[b].title.to_lowercase())
            }),
        }
    }
    by_kind
}

pub fn date_of(doc: &Document) -> Option<Date> {
    match &doc.data {
        KindData::Postmortem(p) => p.date,
        KindData::Session(s) => s.date,
        KindData::Assessment(a) => Some(a.date),
        _ => None,
    }
}

/// Two documents of a kind with the same id, or ids that differ only in letter case (which
/// clash on case-insensitive file systems and hosts): an error on each, naming the other.
fn duplicate_ids(docs: &[Arc<Document>]) -> Vec<Diagnostic> {
    // Ids are mostly lowercase already: those are keys as they are, without a copy.
    let mut groups: FxHashMap<(Kind, Cow<str>), Vec<&Document>> = FxHashMap::default();
    groups.reserve(docs.len());
    for d in docs {
        let id = &d.key.id;
        // Exactly when `to_lowercase` would change it (titlecase letters too, not only
        // uppercase ones).
        let folded = if id.chars().any(|c| c.to_lowercase().ne([c])) {
            Cow::Owned(id.to_lowercase())
        } else {
            Cow::Borrowed(id.as_str())
        };
        groups.entry((d.key.kind, folded)).or_default().push(d);
    }
    let mut diags = Vec::new();
    for ((kind, _), group) in groups {
        if group.len() < 2 {
            continue;
        }
        for d in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| !std::ptr::eq(**o, *d))
                .map(|o| format!("{} ({})", o.source.display(), o.key.id))
                .collect();
            let same_case = group.iter().all(|o| o.key.id == d.key.id);
            let message = if same_case {
                format!(
                    "duplicate {} id `{}`, also defined in {}",
                    kind.singular(),
                    d.key.id,
                    others.join(", ")
                )
            } else {
                format!(
                    "{} id `{}` differs only in letter case from {}: they clash on case-insensitive hosts",
                    kind.singular(),
                    d.key.id,
                    others.join(", ")
                )
            };
            diags.push(
                Diagnostic::error(&d.source, "duplicate-id", message).with_help(
                    "rename one of the files (the id is the path below the kind folder)",
                ),
            );
        }
    }
    diags
}

fn check_references(docs: &[Arc<Document>], failed: &[DocKey], drafts: bool) -> Vec<Diagnostic> {
    let mut ids: HashMap<Kind, Vec<&str>> = HashMap::new();
    let mut by_key: FxHashMap<&DocKey, &Document> = FxHashMap::default();
    by_key.reserve(docs.len());
    for d in docs {
        ids.entry(d.key.kind).or_default().push(&d.key.id);
        by_key.insert(&d.key, d);
    }
    let mut diags = Vec::new();
    // Named only in a diagnostic: watch mode checks every reference on every edit.
    let what = |r: &crate::model::Reference| match r.via {
        crate::model::Via::Link => "link".to_string(),
        crate::model::Via::Field(f) => format!("`{f}`"),
    };
    for doc in docs {
        for r in &doc.refs {
            match by_key.get(&r.target) {
                Some(target) => {
                    if !drafts && is_draft(target) && !is_draft(doc) {
                        diags.push(
                            Diagnostic::error(
                                &doc.source,
                                "link-to-draft",
                                format!("{} points to `{}`, which is a draft and is left out of this build", what(r), r.target),
                            )
                            .at(r.pos.line, r.pos.column)
                            .with_help("publish the target, remove the reference, or build with --drafts"),
                        );
                    }
                }
                // Its own file's errors are already reported.
                None if failed.contains(&r.target) => {}
                None => {
                    let candidates = ids.get(&r.target.kind).map(Vec::as_slice).unwrap_or(&[]);
                    let help =
                        match crate::suggest::nearest(&r.target.id, candidates.iter().copied()) {
                            Some(n) => format!("did you mean `{n}`?"),
                            None if candidates.is_empty() => {
                                format!("there are no {} yet", r.target.kind.dir())
                            }
                            None => format!("no {} has a similar id", r.target.kind.singular()),
                        };
                    diags.push(
                        Diagnostic::error(
                            &doc.source,
                            "broken-reference",
                            format!(
                                "{} points to {} `{}`, which does not exist",
                                what(r),
                                r.target.kind.singular(),
                                r.target.id
                            ),
                        )
                        .at(r.pos.line, r.pos.column)
                        .with_help(help),
                    );
                }
            }
        }
    }
    diags
}

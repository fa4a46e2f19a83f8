//! Which pages an edit can change. Plain functions over two indexes (the last good build's and
//! the new one) and what each page was made from when it was last rendered: no I/O.
//!
//! A page is rendered again when something it was made from changed. What it was made from is
//! recorded from its template context when it is rendered: every document whose URL the context
//! holds (a page shows another document through a link to it: title, status, figures beside
//! it). On top of that recording, rules cover what a recording cannot see in advance: a
//! document's own page and its neighbours in the reference graph, lists that a changed document
//! joins (a tag, a postmortem facet, its kind's index), and the site-wide pages (home, culture,
//! ladder, reports) whenever any document changed. A template change re-renders the pages whose
//! template uses it. Rendering a page that did not need it costs time, never correctness; the
//! rebuild tests compare every file with a clean build after random edits to keep the rules
//! honest.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;

use crate::index::figures::postmortem_library::Facet;
use crate::index::{DocIdx, SiteIndex};
use crate::model::{DocKey, Document, Kind};
use crate::render::PageJob;
use crate::render::outputs::OutputJob;
use crate::url;

/// What a page was made from, recorded when it was rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecord {
    pub template: String,
    /// Documents whose URL its context held, sorted.
    pub shows: Vec<DocKey>,
}

/// The documents that differ between two builds: edited, added or removed, or whose computed
/// figures moved (an SLO whose spike a new postmortem now covers, the assessment after an
/// edited one).
#[derive(Debug, Default)]
pub struct Changed {
    pub keys: FxHashSet<DocKey>,
    pub kinds: HashSet<Kind>,
    /// Tag slugs of changed documents, before and after the change.
    pub tags: HashSet<String>,
    /// Documents next to a changed one in the reference graph, before or after: their pages
    /// list it (references, backlinks), and what its references reference (a team's page
    /// sums up its services' SLOs).
    pub neighbours: FxHashSet<DocKey>,
    /// Postmortem facet pages a changed postmortem is listed on now.
    pub facets: HashSet<(Facet, String)>,
    /// The facet values or their counts changed: every facet page lists them all.
    pub facet_values: bool,
    /// Documents whose body text alone changed (same front matter, same links, same figures). A body is shown only on its own page, in the feeds (an excerpt stands
    /// in for a missing summary) and in the search index, so the pages that list the
    /// document stay as they are: the common edit while writing costs one page, not every
    /// aggregate that lists the document.
    pub bodies: FxHashSet<DocKey>,
}

impl Changed {
    /// Nothing changed, not even a body.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.bodies.is_empty()
    }

    /// Something beyond bodies changed: what lists or sums up documents may have changed.
    pub fn beyond_bodies(&self) -> bool {
        !self.keys.is_empty()
    }

    fn note_body(&mut self, doc: &Document) {
        self.bodies.insert(doc.key.clone());
    }

    fn note(&mut self, index: &SiteIndex, i: DocIdx) {
        let doc = &index.docs[i];
        self.keys.insert(doc.key.clone());
        self.kinds.insert(doc.key.kind);
        self.tags.extend(
            doc.tags
                .iter()
                .map(|t| url::slugify(t))
                .filter(|s| !s.is_empty()),
        );
        self.neighbours
            .extend(doc.refs.iter().map(|r| r.target.clone()));
        // Two steps up: a team's page lists the SLOs of its services.
        for r in &doc.refs {
            if let Some(t) = index.get(&r.target) {
                self.neighbours
                    .extend(index.docs[t].refs.iter().map(|r| r.target.clone()));
            }
        }
        self.neighbours.extend(
            index.backlinks[i]
                .iter()
                .map(|&b| index.docs[b].key.clone()),
        );
    }
}

/// Compares the documents of two builds, with the figures computed for each.
pub fn changed_docs(old: &SiteIndex, new: &SiteIndex) -> Changed {
    enum Status {
        Same,
        Body,
        Changed(DocIdx),
        Added,
    }
    // Compared in parallel (every document, on every rebuild), noted in order.
    let status: Vec<Status> = new
        .docs
        .par_iter()
        .enumerate()
        .map(|(ni, doc)| match old.get(&doc.key) {
            Some(oi) if same(old, oi, new, ni) => Status::Same,
            Some(oi) if same_figures(old, oi, new, ni) && same_but_body(&old.docs[oi], doc) => {
                Status::Body
            }
            Some(oi) => Status::Changed(oi),
            None => Status::Added,
        })
        .collect();
    let mut changed = Changed::default();
    for (ni, status) in status.into_iter().enumerate() {
        match status {
            Status::Same => {}
            Status::Body => changed.note_body(&new.docs[ni]),
            Status::Changed(oi) => {
                changed.note(old, oi);
                changed.note(new, ni);
            }
            Status::Added => changed.note(new, ni),
        }
    }
    for (oi, doc) in old.docs.iter().enumerate() {
        if new.get(&doc.key).is_none() {
            changed.note(old, oi);
        }
    }
    changed.facet_values = facet_summary(old) != facet_summary(new);
    for (facet, values) in &new.figures.postmortem_library.facets {
        for v in values {
            if v.docs
                .iter()
                .any(|&i| changed.keys.contains(&new.docs[i].key))
            {
                changed.facets.insert((*facet, v.slug.clone()));
            }
        }
    }
    changed
}

/// One facet value as every facet page shows it: slug, label and count.
type FacetEntry<'a> = (&'a str, &'a str, usize);

/// What every facet page shows of the others.
fn facet_summary(index: &SiteIndex) -> Vec<(Facet, Vec<FacetEntry<'_>>)> {
    index
        .figures
        .postmortem_library
        .facets
        .iter()
        .map(|(f, values)| {
            let values = values
                .iter()
                .map(|v| (v.slug.as_str(), v.label.as_str(), v.docs.len()))
                .collect();
            (*f, values)
        })
        .collect()
}

/// The same document with the same figures.
fn same(old: &SiteIndex, oi: DocIdx, new: &SiteIndex, ni: DocIdx) -> bool {
    // Documents from files the loader did not read again are the very same ones.
    (std::sync::Arc::ptr_eq(&old.docs[oi], &new.docs[ni]) || old.docs[oi] == new.docs[ni])
        && same_figures(old, oi, new, ni)
}

/// Everything but the body is the same: front matter, and the links of the body in the same
/// order to the same documents (where they are written may move with the text).
fn same_but_body(a: &Document, b: &Document) -> bool {
    // Spelled out field by field, so that a new field of Document has to be placed here.
    let Document {
        key,
        source,
        title,
        summary,
        tags,
        draft,
        body_html: _,
        body_text: _,
        refs,
        data,
    } = a;
    *key == b.key
        && *source == b.source
        && *title == b.title
        && *summary == b.summary
        && *tags == b.tags
        && *draft == b.draft
        && *data == b.data
        && refs.len() == b.refs.len()
        && refs
            .iter()
            .zip(&b.refs)
            .all(|(x, y)| x.target == y.target && x.via == y.via)
}

/// The same computed figures. Figures that name other documents by position are compared by
/// key, since an added document shifts positions without changing anything shown.
fn same_figures(old: &SiteIndex, oi: DocIdx, new: &SiteIndex, ni: DocIdx) -> bool {
    let (of, nf) = (&old.figures, &new.figures);
    let keys = |index: &SiteIndex, list: &[DocIdx]| -> Vec<DocKey> {
        list.iter().map(|&i| index.docs[i].key.clone()).collect()
    };
    let spikes_same = match (of.slo_spikes.get(&oi), nf.slo_spikes.get(&ni)) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x.date == y.date
                        && x.consumed == y.consumed
                        && keys(old, &x.postmortems) == keys(new, &y.postmortems)
                })
        }
        _ => false,
    };
    spikes_same
        && of.slo_reports.get(&oi) == nf.slo_reports.get(&ni)
        && of.durations.get(&oi) == nf.durations.get(&ni)
        && of.culture_visible.get(&oi) == nf.culture_visible.get(&ni)
        && of.culture.get(&oi) == nf.culture.get(&ni)
        && of.ladder_evidence.get(&oi) == nf.ladder_evidence.get(&ni)
}

/// Document URLs of an index, for [`shown_docs`].
pub fn url_map(index: &SiteIndex) -> FxHashMap<String, DocIdx> {
    (0..index.docs.len()).map(|i| (index.url(i), i)).collect()
}

/// The documents a template context shows: every string in it that is a document's URL (an
/// anchor after `#` ignored). The `site` part that every page shares (navigation) is left out:
/// it is compared as a whole, and a change there renders every page.
pub fn shown_docs(ctx: &Value, urls: &FxHashMap<String, DocIdx>, index: &SiteIndex) -> Vec<DocKey> {
    let mut found = HashSet::new();
    let mut stack: Vec<&Value> = match ctx {
        Value::Object(o) => o
            .iter()
            .filter(|(k, _)| k.as_str() != "site")
            .map(|(_, v)| v)
            .collect(),
        other => vec![other],
    };
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                let s = s.split('#').next().unwrap_or(s);
                if let Some(&i) = urls.get(s) {
                    found.insert(i);
                }
            }
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    let mut keys: Vec<DocKey> = found
        .into_iter()
        .map(|i| index.docs[i].key.clone())
        .collect();
    keys.sort();
    keys
}

/// Whether a page must be rendered again, given what it was made from last time (`None`: it
/// is new). `templates` are the templates that changed, with every template that uses them.
pub fn must_render(
    job: &PageJob,
    index: &SiteIndex,
    last: Option<&PageRecord>,
    changed: &Changed,
    templates: &HashSet<String>,
) -> bool {
    let Some(last) = last else { return true };
    if templates.contains(&last.template) {
        return true;
    }
    if changed.is_empty() {
        return false;
    }
    if last.shows.iter().any(|k| changed.keys.contains(k)) {
        return true;
    }
    match job {
        PageJob::Doc(i) => {
            let key = &index.docs[*i].key;
            changed.keys.contains(key)
                || changed.bodies.contains(key)
                || changed.neighbours.contains(key)
        }
        PageJob::KindIndex(kind) => changed.kinds.contains(kind),
        PageJob::Tag(slug) => changed.tags.contains(slug),
        PageJob::PostmortemFacet(facet, slug) => {
            // A value's label can be a service's or a team's title.
            changed.facet_values
                || changed.facets.contains(&(*facet, slug.clone()))
                || (matches!(facet, Facet::Service) && changed.kinds.contains(&Kind::Service))
                || (matches!(facet, Facet::Team) && changed.kinds.contains(&Kind::Team))
        }
        // Home, the tag list, culture, ladder, reports, search, data: small in number, and
        // each sums up many documents (but no body).
        _ => changed.beyond_bodies(),
    }
}

/// Whether a non-page output must be produced again after `changed` (the output existed last
/// time; a new one always is). `pages_changed`: pages were added or removed.
pub fn output_needed(
    job: &OutputJob,
    index: &SiteIndex,
    changed: &Changed,
    pages_changed: bool,
) -> bool {
    match job {
        OutputJob::SessionCalendar(i) => {
            let key = &index.docs[*i].key;
            changed.keys.contains(key) || changed.neighbours.contains(key)
        }
        OutputJob::Feed(Some(kind)) => {
            changed.kinds.contains(kind) || changed.bodies.iter().any(|k| k.kind == *kind)
        }
        // The feeds show an excerpt of the body where a document has no summary.
        OutputJob::Feed(None) => !changed.is_empty(),
        OutputJob::Calendar => changed.beyond_bodies(),
        // Exports cover SLOs, postmortems, action items, culture and teams, with the services
        // and teams they name; plain pages are in none of them.
        OutputJob::Data(_) => changed.kinds.iter().any(|k| *k != Kind::Page),
        OutputJob::Sitemap => pages_changed,
        // The schemas, robots.txt and the highlighting stylesheet depend on the configuration
        // and the theme's files only: a change there builds everything.
        OutputJob::DataSchema(_) | OutputJob::Robots | OutputJob::HighlightCss => false,
    }
}

/// A name for an output job that stays the same across builds (positions of documents do not).
pub fn output_key(job: &OutputJob, index: &SiteIndex) -> String {
    match job {
        OutputJob::SessionCalendar(i) => format!("calendar:{}", index.docs[*i].key),
        other => format!("{other:?}"),
    }
}

/// Templates that changed between two themes (by name and text), with every template that
/// names one of them (extends, import, include: all take a quoted name), repeatedly.
pub fn changed_templates(old: &[(String, String)], new: &[(String, String)]) -> HashSet<String> {
    let before: HashMap<&str, &str> = old.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let after: HashMap<&str, &str> = new.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut changed: HashSet<String> = before
        .iter()
        .filter(|(n, t)| after.get(*n) != Some(*t))
        .chain(after.iter().filter(|(n, t)| before.get(*n) != Some(*t)))
        .map(|(n, _)| n.to_string())
        .collect();
    loop {
        let grown: Vec<String> = after
            .iter()
            .filter(|(n, _)| !changed.contains(**n))
            .filter(|(_, text)| {
                changed
                    .iter()
                    .any(|c| text.contains(&format!("\"{c}\"")) || text.contains(&format!("'{c}'")))
            })
            .map(|(n, _)| n.to_string())
            .collect();
        if grown.is_empty() {
            return changed;
        }
        changed.extend(grown);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tpl(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn a_changed_template_reaches_every_template_that_uses_it() {
        let old = tpl(&[
            ("base.html", "<html>{% block body %}{% endblock %}</html>"),
            ("macros.html", "{% macro x() %}x{% endmacro %}"),
            (
                "team.html",
                "{% extends \"base.html\" %}{% import 'macros.html' as m %}",
            ),
            ("list.html", "{% extends \"base.html\" %}"),
            ("feed.xml", "plain"),
        ]);
        let mut new = old.clone();
        new[1].1 = "{% macro x() %}y{% endmacro %}".into();
        let changed = changed_templates(&old, &new);
        let mut names: Vec<&str> = changed.iter().map(String::as_str).collect();
        names.sort();
        assert_eq!(names, ["macros.html", "team.html"]);

        new[0].1 = "<html lang=en>{% block body %}{% endblock %}</html>".into();
        let mut names: Vec<String> = changed_templates(&old, &new).into_iter().collect();
        names.sort();
        assert_eq!(
            names,
            ["base.html", "list.html", "macros.html", "team.html"]
        );
    }

    #[test]
    fn an_added_or_removed_template_counts_as_changed() {
        let old = tpl(&[("a.html", "a")]);
        let new = tpl(&[("a.html", "a"), ("b.html", "{% include \"a.html\" %}")]);
        assert_eq!(
            changed_templates(&old, &new),
            HashSet::from(["b.html".to_string()])
        );
        assert_eq!(
            changed_templates(&new, &old),
            HashSet::from(["b.html".to_string()])
        );
    }
}

//! Atom feeds (RFC 4287): `/atom.xml` and `/<kind>/atom.xml`.
//!
//! Every URL is absolute (from `base_url`), as feed readers fetch the feed out of the site's
//! context. An entry is dated by its document's date (postmortem, session, assessment); kinds
//! without a date (teams, services, SLOs, pages) are stamped with the build date, so the site-wide
//! feed lists only the dated kinds: "what happened", not "what exists". Each feed holds the
//! [`MAX_ENTRIES`] newest entries. Entries carry the title, the summary and the tags; no figures,
//! so no culture score can reach a feed.

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use jiff::civil::Date;

use crate::index::{DocIdx, SiteIndex, date_of};
use crate::model::{Kind, KindData};
use crate::url;

pub const MAX_ENTRIES: usize = 50;

/// The output path of a feed: `atom.xml` or `<kind>/atom.xml`.
pub fn path(kind: Option<Kind>) -> String {
    match kind {
        None => "atom.xml".into(),
        Some(k) => format!("{}/atom.xml", k.dir()),
    }
}

/// `published` is the documents this feed may show (drafts already left out).
pub fn feed(index: &SiteIndex, kind: Option<Kind>, published: &[DocIdx]) -> String {
    let base_url = &index.config.base_url;
    let abs = |path: &str| url::absolute(base_url, path);
    let mut docs: Vec<(Date, DocIdx)> = published
        .iter()
        .copied()
        .filter(|&i| match kind {
            Some(k) => index.docs[i].key.kind == k,
            None => date_of(&index.docs[i]).is_some(),
        })
        .map(|i| (date_of(&index.docs[i]).unwrap_or(index.build_date), i))
        .collect();
    // Newest first; same day: by id, for a stable file.
    docs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    docs.truncate(MAX_ENTRIES);

    let (title, page) = match kind {
        None => (index.config.title.clone(), index.base_path.clone()),
        Some(k) => (
            format!("{}: {}", index.config.title, k.label()),
            url::kind_url(&index.base_path, k),
        ),
    };
    let self_url = abs(&format!("{}{}", index.base_path, path(kind)));
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(self_url.clone());
    f.set_updated(timestamp(
        docs.first().map_or(index.build_date, |(d, _)| *d),
    ));
    f.set_authors(vec![person(&index.config.title)]);
    f.set_links(vec![
        link(&self_url, "self", Some("application/atom+xml")),
        link(&abs(&page), "alternate", Some("text/html")),
    ]);
    f.set_generator(Some(atom_syndication::Generator {
        value: "sitrep".into(),
        uri: None,
        version: Some(env!("CARGO_PKG_VERSION").into()),
    }));
    f.set_lang(Some("en".to_string()));
    f.set_entries(
        docs.into_iter()
            .map(|(date, i)| entry(index, i, date))
            .collect::<Vec<_>>(),
    );
    f.to_string()
}

fn entry(index: &SiteIndex, i: DocIdx, date: Date) -> Entry {
    let doc = &index.docs[i];
    let page = url::absolute(&index.config.base_url, &index.url(i));
    let mut e = Entry::default();
    e.set_title(Text::plain(doc.title.clone()));
    e.set_id(page.clone());
    e.set_updated(timestamp(date));
    if date_of(doc).is_some() {
        e.set_published(Some(timestamp(date)));
    }
    e.set_links(vec![link(&page, "alternate", Some("text/html"))]);
    let summary = doc.summary.clone().or_else(|| excerpt(&doc.body_text));
    // An assessment's notes are not published when its group is too small: keep them out.
    let summary = match &doc.data {
        KindData::Assessment(_) => doc.summary.clone(),
        _ => summary,
    };
    e.set_summary(summary.map(Text::plain));
    let authors: &[String] = match &doc.data {
        KindData::Postmortem(p) => &p.authors,
        KindData::Session(s) => &s.speakers,
        _ => &[],
    };
    e.set_authors(authors.iter().map(|a| person(a)).collect::<Vec<_>>());
    let mut categories = vec![category(
        doc.key.kind.singular(),
        Some(doc.key.kind.label()),
    )];
    categories.extend(
        doc.tags
            .iter()
            .filter(|t| !url::slugify(t).is_empty())
            .map(|t| category(t, None)),
    );
    e.set_categories(categories);
    e
}

/// The first words of a body, for entries without a summary.
fn excerpt(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().take(40).collect();
    if words.is_empty() {
        return None;
    }
    let mut s = words.join(" ");
    if text.split_whitespace().nth(40).is_some() {
        s.push_str(" …");
    }
    Some(s)
}

/// Midnight UTC of `d`: the date is all the content model knows. (Years before 0 are not RFC 3339:
/// they fall back to the epoch rather than fail the build.)
fn timestamp(d: Date) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&format!("{d}T00:00:00Z")).unwrap_or_default()
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l
}

fn person(name: &str) -> Person {
    let mut p = Person::default();
    p.set_name(name);
    p
}

fn category(term: &str, label: Option<&str>) -> Category {
    let mut c = Category::default();
    c.set_term(term);
    c.set_label(label.map(str::to_string));
    c
}

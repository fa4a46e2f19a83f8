//! Session pages.

use serde_json::{Value, json};

use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::render::views::*;
use crate::url;

pub(super) fn session_view(index: &SiteIndex, i: DocIdx, s: &Session) -> Value {
    json!({
        "ics": s.date.map(|_| format!("{}session.ics", index.url(i))),
        "fm": s,
        "date": s.date.map(|d| d.to_string()),
        "upcoming": s.date.is_some_and(|d| d >= index.build_date),
        "teams": links_to(index, Kind::Team, &s.teams),
        "related": s.related.iter().filter_map(|r| DocKey::parse(r.trim_start_matches('@'))).filter_map(|k| index.get(&k)).map(|j| link(index, j)).collect::<Vec<_>>(),
        "slides": s.slides.as_deref().map(url::neutralize),
        "recording": s.recording.as_deref().map(url::neutralize),
    })
}

/// The sessions index: upcoming ones soonest first, past ones by year, newest first.
pub(super) fn sessions_index(index: &SiteIndex, ctx: &mut Value) {
    let rows = session_rows(index, index.of_kind(Kind::Session).iter().copied());
    let (mut upcoming, past): (Vec<_>, Vec<_>) = rows.into_iter().partition(|s| s.upcoming);
    upcoming.reverse();
    ctx["upcoming"] = json!(upcoming);
    ctx["past_years"] = json!(by_year(past));
    ctx["calendar"] = json!(format!("{}sessions/calendar.ics", index.base_path));
    ctx["feed"] = json!(format!("{}sessions/atom.xml", index.base_path));
}

/// The search page: the search form, and every way to browse for readers without JavaScript.
pub(super) fn search_page(index: &SiteIndex) -> Value {
    let tags: Vec<Value> = index
        .tags
        .values()
        .map(|t| json!({"name": t.name, "url": url::tag_url(&index.base_path, &t.name), "count": t.docs.len()}))
        .collect();
    json!({"page_title": "Search", "tags": tags})
}

/// The `/data/` page: each export with its schema.
pub(super) fn data_page(index: &SiteIndex) -> Value {
    let base = &index.base_path;
    let files: Vec<Value> = crate::render::outputs::data::FILES
        .iter()
        .map(|(name, _)| json!({"name": name, "url": format!("{base}data/{name}"), "schema": format!("{base}data/schema/{name}")}))
        .collect();
    json!({"page_title": "Data export", "files": files, "version": crate::render::outputs::data::VERSION})
}

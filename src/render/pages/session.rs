//! Session pages.

use serde_json::{Value, json};

use crate::index::SiteIndex;
use crate::model::*;
use crate::render::views::*;
use crate::url;

pub(super) fn session_view(index: &SiteIndex, s: &Session) -> Value {
    json!({
        "fm": s,
        "date": s.date.map(|d| d.to_string()),
        "upcoming": s.date.is_some_and(|d| d >= index.build_date),
        "teams": links_to(index, Kind::Team, &s.teams),
        "related": s.related.iter().filter_map(|r| DocKey::parse(r.trim_start_matches('@'))).filter_map(|k| index.get(&k)).map(|j| link(index, j)).collect::<Vec<_>>(),
        "slides": s.slides.as_deref().map(url::neutralize),
        "recording": s.recording.as_deref().map(url::neutralize),
    })
}

//! Session rows.

use serde::Serialize;

use super::{Link, link};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub link: Link,
    pub date: String,
    pub upcoming: bool,
    pub speakers: Vec<String>,
}

pub fn session_rows(index: &SiteIndex, ids: impl IntoIterator<Item = DocIdx>) -> Vec<SessionRow> {
    let mut rows: Vec<SessionRow> = ids
        .into_iter()
        .filter_map(|i| match &index.docs[i].data {
            KindData::Session(s) => Some(SessionRow {
                link: link(index, i),
                date: s.date.map(|d| d.to_string()).unwrap_or_default(),
                upcoming: s.date.is_some_and(|d| d >= index.build_date),
                speakers: s.speakers.clone(),
            }),
            _ => None,
        })
        .collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date));
    rows
}

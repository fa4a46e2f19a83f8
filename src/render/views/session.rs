//! Session rows.

use serde::Serialize;

use super::{Link, link, links_to};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub link: Link,
    pub date: String,
    pub upcoming: bool,
    pub speakers: Vec<String>,
    pub teams: Vec<Link>,
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
                teams: links_to(index, Kind::Team, &s.teams),
            }),
            _ => None,
        })
        .collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date));
    rows
}

/// Sessions grouped by the year of their date, in the rows' order (newest year first).
#[derive(Debug, Clone, Serialize)]
pub struct SessionYear {
    pub year: String,
    pub sessions: Vec<SessionRow>,
}

pub fn by_year(rows: Vec<SessionRow>) -> Vec<SessionYear> {
    let mut years: Vec<SessionYear> = Vec::new();
    for row in rows {
        let year = row.date.get(..4).unwrap_or("").to_string();
        match years.last_mut() {
            Some(y) if y.year == year => y.sessions.push(row),
            _ => years.push(SessionYear {
                year,
                sessions: vec![row],
            }),
        }
    }
    years
}

//! Postmortem rows, severities, action items and incident durations as shown.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Link, link, links_to, tag_links};
use crate::domain::{duration, incident};
use crate::index::figures::postmortem_library::Facet;
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::url;

#[derive(Debug, Clone, Serialize)]
pub struct SeverityView {
    pub id: String,
    pub label: String,
    pub rank: usize,
    pub color: Option<String>,
}

pub fn severity(index: &SiteIndex, id: &str) -> SeverityView {
    let rank = index.config.severity_rank(id).unwrap_or(usize::MAX);
    let level = index.config.severities.get(rank);
    SeverityView {
        id: id.to_string(),
        label: level.map_or_else(|| id.to_string(), |l| l.label.clone()),
        rank: rank.min(99) + 1,
        color: level.and_then(|l| l.color.clone()),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PostmortemRow {
    pub link: Link,
    pub date: String,
    pub year: Option<i16>,
    pub severity: SeverityView,
    /// The severity's library page.
    pub severity_url: String,
    pub status: PostmortemStatus,
    pub time_to_detect: Option<String>,
    pub time_to_resolve: Option<String>,
    pub open_items: usize,
    /// Services, teams and tags, each linking to its library page (and to its own page).
    pub services: Vec<FacetLink>,
    pub teams: Vec<FacetLink>,
    pub tags: Vec<FacetLink>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetLink {
    pub title: String,
    /// The facet value's library page.
    pub url: String,
    /// The document's or tag's own page.
    pub page: String,
}

fn facet_links(index: &SiteIndex, facet: Facet, kind: Kind, ids: &[String]) -> Vec<FacetLink> {
    links_to(index, kind, ids)
        .into_iter()
        .map(|l| FacetLink {
            url: facet_url(&index.base_path, facet, &l.id),
            title: l.title,
            page: l.url,
        })
        .collect()
}

/// The page of one facet value of the postmortem library: `/postmortems/<facet>/<slug>/`.
pub fn facet_url(base_path: &str, facet: Facet, slug: &str) -> String {
    format!(
        "{base_path}postmortems/{}/{}/",
        facet.as_str(),
        url::encode_path(slug)
    )
}

pub fn postmortem_row(index: &SiteIndex, i: DocIdx) -> Option<PostmortemRow> {
    let KindData::Postmortem(p) = &index.docs[i].data else {
        return None;
    };
    let d = index.figures.durations.get(&i);
    Some(PostmortemRow {
        link: link(index, i),
        date: p.date.map(|d| d.to_string()).unwrap_or_default(),
        year: p.date.map(|d| d.year()),
        severity: severity(index, &p.severity),
        severity_url: facet_url(
            &index.base_path,
            Facet::Severity,
            &url::slugify(&p.severity),
        ),
        services: facet_links(index, Facet::Service, Kind::Service, &p.services),
        teams: facet_links(index, Facet::Team, Kind::Team, &p.teams),
        tags: tag_links(index, &index.docs[i].tags)
            .into_iter()
            .map(|t| FacetLink {
                url: facet_url(&index.base_path, Facet::Tag, &url::slugify(&t.name)),
                title: t.name,
                page: t.url,
            })
            .collect(),
        summary: index.docs[i].summary.clone(),
        status: p.status,
        time_to_detect: d.and_then(|d| d.to_detect).map(duration::human),
        time_to_resolve: d.and_then(|d| d.to_resolve).map(duration::human),
        open_items: p
            .action_items
            .iter()
            .filter(|a| !a.status.is_closed())
            .count(),
    })
}

/// A postmortem's row as templates see it, with what lists sort and group rows by.
#[derive(Debug)]
pub struct RowValue {
    pub date: String,
    pub year: Option<i16>,
    pub value: Value,
}

/// Every postmortem's row, made on first use and then shared by every page of the build that
/// lists it. A postmortem shows up on the library, on a facet page per year, severity, service,
/// team and tag, on its services', teams' and SLOs' pages and in the root-cause index: made
/// once per page, its row (links, facet URLs, durations) was made about eight times over, and
/// the facet pages' contexts were two fifths of their rendering time.
#[derive(Debug, Default)]
pub struct PostmortemRows {
    rows: Vec<OnceLock<Option<RowValue>>>,
}

impl PostmortemRows {
    pub fn new(index: &SiteIndex) -> PostmortemRows {
        PostmortemRows {
            rows: (0..index.docs.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The row of document `i`, when it is a postmortem.
    pub fn get(&self, index: &SiteIndex, i: DocIdx) -> Option<&RowValue> {
        self.rows
            .get(i)?
            .get_or_init(|| {
                postmortem_row(index, i).map(|row| RowValue {
                    date: row.date.clone(),
                    year: row.year,
                    value: json!(row),
                })
            })
            .as_ref()
    }

    /// The rows of the postmortems among `ids`, newest first (then by id).
    pub fn sorted(
        &self,
        index: &SiteIndex,
        ids: impl IntoIterator<Item = DocIdx>,
    ) -> Vec<&RowValue> {
        let mut rows: Vec<(DocIdx, &RowValue)> = ids
            .into_iter()
            .filter_map(|i| Some((i, self.get(index, i)?)))
            .collect();
        rows.sort_by(|(ia, a), (ib, b)| {
            b.date
                .cmp(&a.date)
                .then_with(|| index.docs[*ia].key.id.cmp(&index.docs[*ib].key.id))
        });
        rows.into_iter().map(|(_, r)| r).collect()
    }

    /// [`Self::sorted`] as a template value: an array of rows.
    pub fn values(&self, index: &SiteIndex, ids: impl IntoIterator<Item = DocIdx>) -> Value {
        Value::Array(
            self.sorted(index, ids)
                .into_iter()
                .map(|r| r.value.clone())
                .collect(),
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionItemView {
    pub title: String,
    pub owner: Option<String>,
    pub status: ItemStatus,
    pub due: Option<String>,
    pub link: Option<String>,
    pub overdue: bool,
    /// Days since the postmortem, for open items.
    pub age_days: Option<i64>,
    pub postmortem: Link,
}

pub fn action_items(index: &SiteIndex, i: DocIdx) -> Vec<ActionItemView> {
    let KindData::Postmortem(p) = &index.docs[i].data else {
        return Vec::new();
    };
    p.action_items
        .iter()
        .map(|a| ActionItemView {
            title: a.title.clone(),
            owner: a.owner.clone(),
            status: a.status,
            due: a.due.map(|d| d.to_string()),
            link: a.link.as_deref().map(url::neutralize).filter(|l| l != "#"),
            overdue: !a.status.is_closed() && a.due.is_some_and(|d| d < index.build_date),
            age_days: match (a.status.is_closed(), p.date) {
                (false, Some(d)) => index
                    .build_date
                    .since(d)
                    .ok()
                    .map(|s| i64::from(s.get_days())),
                _ => None,
            },
            postmortem: link(index, i),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct DurationsView {
    pub to_detect: Option<String>,
    pub to_mitigate: Option<String>,
    pub to_resolve: Option<String>,
}

pub fn durations_view(d: Option<&incident::Durations>) -> DurationsView {
    DurationsView {
        to_detect: d.and_then(|d| d.to_detect).map(duration::human),
        to_mitigate: d.and_then(|d| d.to_mitigate).map(duration::human),
        to_resolve: d.and_then(|d| d.to_resolve).map(duration::human),
    }
}

/// A timestamp as the author wrote it (their offset) and in the `datetime` attribute form.
#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    pub text: String,
    pub datetime: String,
    /// The same instant in UTC, when the author wrote another offset.
    pub utc: Option<String>,
}

pub fn time_view(at: Option<jiff::Timestamp>, offset: Option<i32>) -> Option<TimeView> {
    let at = at?;
    let offset = offset.unwrap_or(0);
    Some(TimeView {
        text: incident::as_written(at, offset),
        datetime: incident::datetime_attr(at, offset),
        utc: (offset != 0).then(|| incident::as_written(at, 0)),
    })
}

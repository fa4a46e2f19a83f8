//! SLO rows for every list of SLOs.

use serde::Serialize;

use super::{Link, link, link_to, percent};
use crate::domain::slo;
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;

/// A row in any list of SLOs.
#[derive(Debug, Clone, Serialize)]
pub struct SloRow {
    pub link: Link,
    pub service: Option<Link>,
    pub team: Option<Link>,
    pub objective: String,
    pub window: String,
    pub status: String,
    pub attainment: Option<String>,
    pub budget_remaining: Option<String>,
    /// For sorting: remaining budget (exhausted first).
    #[serde(skip)]
    pub remaining_sort: f64,
}

pub fn slo_row(index: &SiteIndex, i: DocIdx) -> Option<SloRow> {
    let KindData::Slo(s) = &index.docs[i].data else {
        return None;
    };
    let report = index.figures.slo_reports.get(&i);
    let service = link_to(index, Kind::Service, &s.service);
    let team = index
        .find(Kind::Service, &s.service)
        .and_then(|svc| match &svc.data {
            KindData::Service(svc) => link_to(index, Kind::Team, &svc.team),
            _ => None,
        });
    Some(SloRow {
        link: link(index, i),
        service,
        team,
        objective: format!("{}%", s.objective),
        window: s.window.clone(),
        status: report
            .map_or(slo::Status::NoData, |r| r.status)
            .as_str()
            .to_string(),
        attainment: report.and_then(|r| r.attainment).map(|a| percent(a, 3)),
        budget_remaining: report
            .and_then(|r| r.budget_remaining)
            .map(|b| percent(b, 1)),
        remaining_sort: report
            .and_then(|r| r.budget_remaining)
            .unwrap_or(f64::INFINITY),
    })
}

/// SLO rows sorted so that exhausted budgets come first.
pub fn slo_rows(index: &SiteIndex, ids: impl IntoIterator<Item = DocIdx>) -> Vec<SloRow> {
    let mut rows: Vec<SloRow> = ids.into_iter().filter_map(|i| slo_row(index, i)).collect();
    rows.sort_by(|a, b| {
        a.remaining_sort
            .total_cmp(&b.remaining_sort)
            .then_with(|| a.link.title.cmp(&b.link.title))
    });
    rows
}

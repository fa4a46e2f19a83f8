//! SLO rows for every list of SLOs, and how SLO figures read: percentages trimmed to the digits
//! that matter (0.1%, 99.95%), attainments never rounded up to an objective they missed.

use serde::Serialize;

use super::{Link, link, link_to};
use crate::domain::slo;
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;

/// A fraction as a percentage with at most `max_decimals` decimals and no trailing zeros:
/// 0.001 -> `0.1%`, 0.9995 -> `99.95%`, 1 -> `100%`, -0.5 -> `-50%`.
pub fn natural_percent(fraction: f64, max_decimals: usize) -> String {
    use std::fmt::Write;
    // One string, trimmed in place: an SLO page formats a few hundred of these.
    let mut text = String::with_capacity(12);
    let _ = write!(text, "{:.*}", max_decimals, fraction * 100.0);
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" {
        text.replace_range(.., "0");
    }
    text.push('%');
    text
}

/// An attainment with up to three decimals of a percent, rounded *down*: 0.99996 is `99.999%`,
/// not `100%`, so a page never shows an attainment that reaches an objective it missed.
pub fn attainment_percent(fraction: f64) -> String {
    // 1e-7 absorbs binary noise such as 0.999 * 1e5 = 99899.99999999999.
    let floored = ((fraction * 1e5) + 1e-7).floor() / 1e5;
    natural_percent(floored, 3)
}

/// A budget remaining (1 = untouched) with one decimal: `42.5%`, `-150%`.
pub fn budget_percent(fraction: f64) -> String {
    natural_percent(fraction, 1)
}

/// An objective or target given in percent (99.9 -> `99.9%`).
pub fn target_percent(percent: f64) -> String {
    natural_percent(percent / 100.0, 4)
}

/// The label of a window as written in an SLO (`28d`, `calendar month`).
pub fn window_label(spec: &str) -> String {
    slo::parse_window(spec).map_or_else(|_| spec.to_string(), |w| w.label())
}

/// A row in any list of SLOs.
#[derive(Debug, Clone, Serialize)]
pub struct SloRow {
    pub link: Link,
    pub service: Option<Link>,
    pub team: Option<Link>,
    pub objective: String,
    pub sla: Option<String>,
    pub window: String,
    pub status: String,
    pub attainment: Option<String>,
    pub budget_remaining: Option<String>,
    /// For sorting: exhausted, at risk, healthy, no data; then least budget first.
    #[serde(skip)]
    pub sort_key: (u8, f64),
}

fn status_rank(s: slo::Status) -> u8 {
    match s {
        slo::Status::Exhausted => 0,
        slo::Status::AtRisk => 1,
        slo::Status::Healthy => 2,
        slo::Status::NoData => 3,
    }
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
    let status = report.map_or(slo::Status::NoData, |r| r.status);
    let remaining = report.and_then(|r| r.budget_remaining);
    Some(SloRow {
        link: link(index, i),
        service,
        team,
        objective: target_percent(s.objective),
        sla: s.sla.map(target_percent),
        window: window_label(&s.window),
        status: status.as_str().to_string(),
        attainment: report.and_then(|r| r.attainment).map(attainment_percent),
        budget_remaining: remaining.map(budget_percent),
        sort_key: (status_rank(status), remaining.unwrap_or(f64::INFINITY)),
    })
}

/// SLO rows sorted so that exhausted budgets come first, then those at risk, then the least
/// budget left; SLOs without data last.
pub fn slo_rows(index: &SiteIndex, ids: impl IntoIterator<Item = DocIdx>) -> Vec<SloRow> {
    let mut rows: Vec<SloRow> = ids.into_iter().filter_map(|i| slo_row(index, i)).collect();
    rows.sort_by(|a, b| {
        a.sort_key
            .0
            .cmp(&b.sort_key.0)
            .then_with(|| a.sort_key.1.total_cmp(&b.sort_key.1))
            .then_with(|| a.link.title.cmp(&b.link.title))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(natural_percent(0.001, 4), "0.1%");
        assert_eq!(natural_percent(0.0005, 4), "0.05%");
        assert_eq!(natural_percent(1.0, 3), "100%");
        assert_eq!(natural_percent(-1.5, 1), "-150%");
        assert_eq!(natural_percent(-0.00001, 1), "0%");
        assert_eq!(target_percent(99.95), "99.95%");
        assert_eq!(target_percent(99.0), "99%");
        assert_eq!(budget_percent(0.4251), "42.5%");
        // Attainments round down: never up to an objective they missed.
        assert_eq!(attainment_percent(0.999996), "99.999%");
        assert_eq!(attainment_percent(0.999), "99.9%");
        assert_eq!(attainment_percent(0.99949), "99.949%");
        assert_eq!(attainment_percent(1.0), "100%");
        assert_eq!(window_label("calendar-month"), "calendar month");
        assert_eq!(window_label("4w"), "28d");
    }
}

//! SLO pages.

use serde_json::{Value, json};

use crate::domain::{duration, slo};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::render::views::*;

pub(super) fn slo_view(index: &SiteIndex, i: DocIdx, s: &Slo) -> Value {
    let report = index.figures.slo_reports.get(&i);
    let window = slo::parse_window(&s.window).ok();
    let budget = window.as_ref().map(|w| {
        let secs = slo::allowed_downtime_secs(s.objective, w, report.and_then(|r| r.as_of));
        json!({
            "fraction": percent(slo::allowed_bad_fraction(s.objective), 3),
            "downtime": duration::human_f(secs),
        })
    });
    json!({
        "fm": s,
        "row": slo_row(index, i),
        "service": link_to(index, Kind::Service, &s.service),
        "policy": s.error_budget_policy.as_deref().and_then(|p| link_to(index, Kind::Page, p)),
        "budget": budget,
        "report": report,
        "openslo": s.openslo.as_ref().and_then(|v| serde_json::to_string_pretty(v).ok()),
        "postmortems": postmortem_rows(index, index.referrers(i, Kind::Postmortem)),
    })
}

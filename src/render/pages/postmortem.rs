//! Postmortem pages and the action-items report.

use serde_json::{Value, json};

use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::render::views::*;

pub(super) fn postmortem_view(index: &SiteIndex, i: DocIdx, p: &Postmortem) -> Value {
    json!({
        "fm": p,
        "date": p.date.map(|d| d.to_string()),
        "severity": severity(index, &p.severity),
        "services": links_to(index, Kind::Service, &p.services),
        "teams": links_to(index, Kind::Team, &p.teams),
        "slos": links_to(index, Kind::Slo, &p.slos),
        "durations": durations_view(index.figures.durations.get(&i)),
        "times": {
            "started_at": p.started_at.map(|t| t.to_string()),
            "detected_at": p.detected_at.map(|t| t.to_string()),
            "mitigated_at": p.mitigated_at.map(|t| t.to_string()),
            "resolved_at": p.resolved_at.map(|t| t.to_string()),
        },
        "action_items": action_items(index, i),
        "sessions": session_rows(index, index.referrers(i, Kind::Session)),
    })
}

pub(super) fn action_items_page(index: &SiteIndex) -> Value {
    let items: Vec<ActionItemView> = index
        .of_kind(Kind::Postmortem)
        .iter()
        .flat_map(|&i| action_items(index, i))
        .collect();
    let open: Vec<&ActionItemView> = items.iter().filter(|a| !a.status.is_closed()).collect();
    json!({
        "page_title": "Action items",
        "items": items,
        "open": open.len(),
        "overdue": items.iter().filter(|a| a.overdue).count(),
        "done": items.iter().filter(|a| a.status.is_closed()).count(),
    })
}

//! Postmortem pages and the action-items report.

use serde_json::{Value, json};

use crate::index::figures::postmortem_library::Facet;
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
            "started_at": time_view(p.started_at, p.time_offsets[0]),
            "detected_at": time_view(p.detected_at, p.time_offsets[1]),
            "mitigated_at": time_view(p.mitigated_at, p.time_offsets[2]),
            "resolved_at": time_view(p.resolved_at, p.time_offsets[3]),
        },
        "year_url": p.date.map(|d| facet_url(&index.base_path, Facet::Year, &d.year().to_string())),
        "severity_url": facet_url(&index.base_path, Facet::Severity, &crate::url::slugify(&p.severity)),
        "root_causes": p.root_causes.iter().map(|c| json!({
            "text": c,
            "url": format!("{}postmortems/root-causes/#{}", index.base_path, cause_anchor(c)),
        })).collect::<Vec<_>>(),
        "action_items": action_items(index, i),
        "sessions": session_rows(index, index.referrers(i, Kind::Session)),
    })
}

/// The action-items report: every item across the published postmortems, grouped by status and
/// by team (the postmortem's teams; an item of a postmortem with two teams counts for both), with
/// counts and, for open items, their age.
pub(super) fn action_items_page(index: &SiteIndex) -> Value {
    let mut items: Vec<(Vec<Link>, ActionItemView)> = Vec::new();
    for &i in index.of_kind(Kind::Postmortem) {
        let teams = match &index.docs[i].data {
            KindData::Postmortem(p) => links_to(index, Kind::Team, &p.teams),
            _ => Vec::new(),
        };
        items.extend(
            action_items(index, i)
                .into_iter()
                .map(|a| (teams.clone(), a)),
        );
    }
    // Overdue first, then by due date (undated last), then oldest first.
    items.sort_by(|(_, a), (_, b)| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| a.due.is_none().cmp(&b.due.is_none()))
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| b.age_days.cmp(&a.age_days))
    });
    let counts = |list: &[&ActionItemView]| {
        let n = |s: ItemStatus| list.iter().filter(|a| a.status == s).count();
        json!({
            "open": n(ItemStatus::Open),
            "in_progress": n(ItemStatus::InProgress),
            "done": n(ItemStatus::Done),
            "wontfix": n(ItemStatus::Wontfix),
            "overdue": list.iter().filter(|a| a.overdue).count(),
            "not_closed": list.iter().filter(|a| !a.status.is_closed()).count(),
            "total": list.len(),
        })
    };
    let all: Vec<&ActionItemView> = items.iter().map(|(_, a)| a).collect();
    let statuses = [
        (ItemStatus::Open, "Open"),
        (ItemStatus::InProgress, "In progress"),
        (ItemStatus::Done, "Done"),
        (ItemStatus::Wontfix, "Won't fix"),
    ];
    let by_status: Vec<Value> = statuses
        .iter()
        .map(|(s, label)| {
            let list: Vec<&ActionItemView> = all.iter().copied().filter(|a| a.status == *s).collect();
            json!({"key": s, "label": label, "count": list.len(), "closed": s.is_closed(), "items": list})
        })
        .collect();
    // Teams in title order, then items of postmortems without a team.
    // Each team once before sorting: items carry their teams, so there are as many entries as
    // items, and comparing titles lowercased allocates twice a comparison.
    let mut seen = std::collections::HashSet::new();
    let mut teams: Vec<Link> = items
        .iter()
        .flat_map(|(t, _)| t.iter())
        .filter(|t| seen.insert(t.id.as_str()))
        .cloned()
        .collect();
    teams.sort_by_cached_key(|t| (t.title.to_lowercase(), t.id.clone()));
    let mut by_team: Vec<Value> = teams
        .iter()
        .map(|t| {
            let list: Vec<&ActionItemView> = items
                .iter()
                .filter(|(ts, _)| ts.iter().any(|x| x.id == t.id))
                .map(|(_, a)| a)
                .collect();
            let open: Vec<&ActionItemView> = list.iter().copied().filter(|a| !a.status.is_closed()).collect();
            json!({"team": t, "id": format!("team-{}", crate::url::slugify(&t.id)), "counts": counts(&list), "open_items": open})
        })
        .collect();
    let orphans: Vec<&ActionItemView> = items
        .iter()
        .filter(|(t, _)| t.is_empty())
        .map(|(_, a)| a)
        .collect();
    if !orphans.is_empty() {
        let open: Vec<&ActionItemView> = orphans
            .iter()
            .copied()
            .filter(|a| !a.status.is_closed())
            .collect();
        by_team.push(json!({"team": null, "id": "team-none", "counts": counts(&orphans), "open_items": open}));
    }
    let overdue: Vec<&ActionItemView> = all.iter().copied().filter(|a| a.overdue).collect();
    object([
        ("page_title", json!("Action items")),
        ("counts", counts(&all)),
        ("overdue_items", json!(overdue)),
        ("by_status", Value::Array(by_status)),
        ("by_team", Value::Array(by_team)),
    ])
}

/// The anchor of a root cause on the root-cause index: its key, slugified, so every spelling of
/// one cause lands on the same entry.
pub(super) fn cause_anchor(text: &str) -> String {
    format!(
        "c-{}",
        crate::url::slugify(&crate::domain::incident::cause_key(text))
    )
}

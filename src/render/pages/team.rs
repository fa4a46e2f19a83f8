//! Team and service pages.

use serde_json::{Value, json};

use crate::domain::duration;
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::render::views::*;
use crate::url;

pub(super) fn team_view(index: &SiteIndex, i: DocIdx, t: &Team, rows: &PostmortemRows) -> Value {
    let services: Vec<DocIdx> = index.referrers(i, Kind::Service).collect();
    let slos: Vec<DocIdx> = services
        .iter()
        .flat_map(|&s| index.referrers(s, Kind::Slo))
        .collect();
    let mut postmortems: Vec<DocIdx> = index.referrers(i, Kind::Postmortem).collect();
    for &s in &services {
        postmortems.extend(index.referrers(s, Kind::Postmortem));
    }
    postmortems.sort_unstable();
    postmortems.dedup();
    json!({
        "fm": t,
        "services": services.iter().map(|&s| {
            let tier = match &index.docs[s].data { KindData::Service(svc) => svc.tier.clone(), _ => None };
            json!({"link": link(index, s), "tier": tier})
        }).collect::<Vec<_>>(),
        "slos": slo_rows(index, slos),
        "postmortems": rows.values(index, postmortems),
        "sessions": session_rows(index, index.referrers(i, Kind::Session)),
        "culture": team_culture(index, &index.docs[i].key.id),
        "ladder": ladder_view(index, i),
        "escalation": t.escalation.iter().map(|s| json!({
            "after": s.after,
            "after_human": duration::parse_duration(&s.after).map(duration::human).unwrap_or_else(|_| s.after.clone()),
            "notify": s.notify,
        })).collect::<Vec<_>>(),
    })
}

pub(super) fn service_view(
    index: &SiteIndex,
    i: DocIdx,
    s: &Service,
    rows: &PostmortemRows,
) -> Value {
    let dependents: Vec<Link> = index
        .referrers(i, Kind::Service)
        .filter(|&d| matches!(&index.docs[d].data, KindData::Service(o) if o.depends_on.contains(&index.docs[i].key.id)))
        .map(|d| link(index, d))
        .collect();
    json!({
        "fm": s,
        "team": link_to(index, Kind::Team, &s.team),
        "runbook": s.runbook.as_deref().map(url::neutralize),
        "slos": slo_rows(index, index.referrers(i, Kind::Slo)),
        "postmortems": rows.values(index, index.referrers(i, Kind::Postmortem)),
        "depends_on": links_to(index, Kind::Service, &s.depends_on),
        "dependents": dependents,
    })
}

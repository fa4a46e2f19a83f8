//! The culture and adoption-ladder pages.

use serde_json::{Value, json};

use crate::domain::ladder;
use crate::index::SiteIndex;
use crate::model::*;
use crate::render::views::*;

pub(super) fn ladder_distribution(index: &SiteIndex) -> Vec<Value> {
    let steps: Vec<u8> = index
        .of_kind(Kind::Team)
        .iter()
        .filter_map(|&t| match &index.docs[t].data {
            KindData::Team(team) => team.adoption.as_ref().map(|a| a.step),
            _ => None,
        })
        .collect();
    let dist = ladder::distribution(&steps);
    ladder::STEPS
        .iter()
        .zip(dist)
        .map(|((n, name, _), count)| json!({"step": n, "name": name, "count": count}))
        .collect()
}

pub(super) fn culture_page(index: &SiteIndex) -> Value {
    let mut latest: std::collections::BTreeMap<String, AssessmentView> =
        std::collections::BTreeMap::new();
    for &a in index.of_kind(Kind::Assessment) {
        if let Some(v) = assessment_view(index, a) {
            let team = v.team.as_ref().map(|t| t.title.clone()).unwrap_or_default();
            match latest.get(&team) {
                Some(cur) if cur.date >= v.date => {}
                _ => {
                    latest.insert(team, v);
                }
            }
        }
    }
    json!({
        "page_title": "Culture",
        "latest": latest.into_values().collect::<Vec<_>>(),
        "org": index.figures.org_culture,
        "aspects": (0..6).map(|k| json!({
            "key": crate::domain::culture::ASPECTS[k],
            "label": crate::domain::culture::aspect_label(k),
            "meaning": crate::domain::culture::aspect_sre_meaning(k),
        })).collect::<Vec<_>>(),
    })
}

pub(super) fn ladder_page(index: &SiteIndex) -> Value {
    let teams: Vec<Value> = index
        .of_kind(Kind::Team)
        .iter()
        .map(|&t| json!({"team": link(index, t), "ladder": ladder_view(index, t)}))
        .collect();
    json!({
        "page_title": "SRE adoption ladder",
        "teams": teams,
        "steps": ladder::STEPS.iter().map(|(n, name, asks)| json!({"step": n, "name": name, "asks": asks})).collect::<Vec<_>>(),
        "distribution": ladder_distribution(index),
    })
}

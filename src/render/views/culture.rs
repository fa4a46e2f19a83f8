//! Culture assessments (with the anonymity rule applied) and adoption-ladder views.

use serde::Serialize;

use super::{Link, link, link_to};
use crate::domain::{culture, ladder};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;

/// One aspect's score as shown: only ever built for groups the anonymity rule lets through.
#[derive(Debug, Clone, Serialize)]
pub struct AspectView {
    pub key: &'static str,
    pub label: &'static str,
    pub meaning: &'static str,
    pub mean: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub link: Link,
    pub team: Option<Link>,
    pub date: String,
    pub respondents: usize,
    /// False when the group is below `culture.min_respondents`: no score is shown anywhere.
    pub visible: bool,
    pub aspects: Vec<AspectView>,
    pub overall: Option<String>,
    pub class: Option<String>,
    pub origin: AssessmentSource,
}

pub fn assessment_view(index: &SiteIndex, i: DocIdx) -> Option<AssessmentView> {
    let KindData::Assessment(a) = &index.docs[i].data else {
        return None;
    };
    let visible = index
        .figures
        .culture_visible
        .get(&i)
        .copied()
        .unwrap_or(false);
    let (aspects, overall, class) = if visible {
        let scores = culture::Scores {
            means: a.scores.as_array(),
        };
        let overall = culture::overall(&scores);
        let thresholds = culture::Thresholds {
            bureaucratic_from: index.config.culture.bureaucratic_from,
            generative_from: index.config.culture.generative_from,
        };
        let aspects = (0..6)
            .map(|k| AspectView {
                key: culture::ASPECTS[k],
                label: culture::aspect_label(k),
                meaning: culture::aspect_sre_meaning(k),
                mean: scores.means[k].map(|m| format!("{m:.2}")),
            })
            .collect();
        let class = overall.map(|o| culture::classify(o, &thresholds).as_str().to_string());
        (aspects, overall.map(|o| format!("{o:.2}")), class)
    } else {
        (Vec::new(), None, None)
    };
    Some(AssessmentView {
        link: link(index, i),
        team: link_to(index, Kind::Team, &a.team),
        date: a.date.to_string(),
        respondents: a.respondents,
        visible,
        aspects,
        overall,
        class,
        origin: a.origin,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct LadderView {
    pub step: u8,
    pub name: &'static str,
    pub since: Option<String>,
    pub next: Option<(u8, &'static str, &'static str)>,
    pub evidence: Vec<ladder::EvidenceItem>,
    pub gaps: usize,
}

pub fn ladder_view(index: &SiteIndex, team: DocIdx) -> Option<LadderView> {
    let KindData::Team(t) = &index.docs[team].data else {
        return None;
    };
    let adoption = t.adoption.as_ref()?;
    let evidence = index
        .figures
        .ladder_evidence
        .get(&team)
        .map(|e| ladder::evidence(adoption.step, e))
        .unwrap_or_default();
    Some(LadderView {
        step: adoption.step,
        name: ladder::step_name(adoption.step).unwrap_or(""),
        since: adoption.since.map(|d| d.to_string()),
        next: ladder::next_step(adoption.step),
        gaps: evidence.iter().filter(|e| !e.present).count(),
        evidence,
    })
}

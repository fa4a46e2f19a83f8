//! The computed figures of the site, worked out once per build from the documents by the pure
//! functions in `domain`: SLO reports, incident durations, culture scores with the anonymity rule
//! applied, and adoption-ladder evidence.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::domain::{culture, incident, ladder, slo};
use crate::model::{Kind, KindData};

use super::{DocIdx, SiteIndex};

#[derive(Debug, Default)]
pub struct Figures {
    pub slo_reports: HashMap<DocIdx, slo::SloReport>,
    pub durations: HashMap<DocIdx, incident::Durations>,
    /// Assessments whose group is large enough to show; the others are "not enough responses".
    pub culture_visible: HashMap<DocIdx, bool>,
    pub org_culture: Option<culture::OrgSummary>,
    /// Per team: what the portal can see for the evidence-backed ladder steps.
    pub ladder_evidence: HashMap<DocIdx, ladder::Evidence>,
}

pub fn compute(index: &SiteIndex) -> (Figures, Vec<Diagnostic>) {
    let mut f = Figures::default();
    let mut diags = Vec::new();
    let config = &index.config;
    let thresholds = culture::Thresholds {
        bureaucratic_from: config.culture.bureaucratic_from,
        generative_from: config.culture.generative_from,
    };
    let mut groups = Vec::new();
    for (i, doc) in index.docs.iter().enumerate() {
        match &doc.data {
            KindData::Slo(s) => {
                if let Ok(window) = slo::parse_window(&s.window) {
                    let opts = slo::SloOptions {
                        objective: s.objective,
                        sla: s.sla,
                        window,
                        spike_threshold: config.slo.budget_spike_threshold,
                    };
                    f.slo_reports
                        .insert(i, slo::analyze(&s.measurements, &opts));
                }
            }
            KindData::Postmortem(p) => {
                for item in &p.action_items {
                    if let Some(due) = item.due
                        && !item.status.is_closed()
                        && due < index.build_date
                    {
                        diags.push(
                            Diagnostic::warning(
                                &doc.source,
                                "overdue-action-item",
                                format!(
                                    "action item \"{}\" was due {due} and is not done",
                                    item.title
                                ),
                            )
                            .at_pos(item.pos)
                            .with_help(
                                "finish it, move its due date, or mark it `wontfix` with a reason",
                            ),
                        );
                    }
                }
                let t = incident::IncidentTimes {
                    started_at: p.started_at,
                    detected_at: p.detected_at,
                    mitigated_at: p.mitigated_at,
                    resolved_at: p.resolved_at,
                };
                f.durations.insert(i, incident::durations(&t));
            }
            KindData::Assessment(a) => {
                let shown = matches!(
                    culture::visibility(a.respondents, config.culture.min_respondents),
                    culture::Visibility::Shown
                );
                f.culture_visible.insert(i, shown);
                groups.push(culture::Group {
                    team: a.team.clone(),
                    date: a.date,
                    respondents: a.respondents,
                    scores: culture::Scores {
                        means: a.scores.as_array(),
                    },
                });
            }
            _ => {}
        }
    }
    f.org_culture = Some(culture::organization_summary(
        &groups,
        config.culture.min_respondents,
        &thresholds,
    ));
    for &team in index.of_kind_unsorted(Kind::Team).iter() {
        let services: Vec<DocIdx> = index.referrers(team, Kind::Service).collect();
        let slos: Vec<DocIdx> = services
            .iter()
            .flat_map(|&s| index.referrers(s, Kind::Slo))
            .filter(|&s| matches!(&index.docs[s].data, KindData::Slo(slo) if index.find(Kind::Service, &slo.service).is_some()))
            .collect();
        let has_escalation =
            matches!(&index.docs[team].data, KindData::Team(t) if !t.escalation.is_empty());
        let has_postmortems = index.referrers(team, Kind::Postmortem).next().is_some();
        let slos_name_policy = !slos.is_empty()
            && slos
                .iter()
                .all(|&s| matches!(&index.docs[s].data, KindData::Slo(slo) if slo.error_budget_policy.is_some()));
        f.ladder_evidence.insert(
            team,
            ladder::Evidence {
                has_slos: !slos.is_empty(),
                has_escalation,
                has_postmortems,
                slos_name_policy,
            },
        );
    }
    (f, diags)
}

impl SiteIndex {
    /// Documents of a kind before listing order is settled (figures are computed before it).
    pub(crate) fn of_kind_unsorted(&self, kind: Kind) -> Vec<DocIdx> {
        (0..self.docs.len())
            .filter(|&i| self.docs[i].key.kind == kind)
            .collect()
    }
}

//! Culture scores with the anonymity rule applied, and adoption-ladder evidence.

use crate::diagnostics::Diagnostic;
use crate::domain::{culture, ladder};
use crate::index::{DocIdx, SiteIndex};
use crate::model::{Kind, KindData};

use super::Figures;

pub(super) fn compute(index: &SiteIndex, f: &mut Figures, _diags: &mut Vec<Diagnostic>) {
    let config = &index.config;
    let thresholds = culture::Thresholds {
        bureaucratic_from: config.culture.bureaucratic_from,
        generative_from: config.culture.generative_from,
    };
    let mut groups = Vec::new();
    for (i, doc) in index.docs.iter().enumerate() {
        let KindData::Assessment(a) = &doc.data else {
            continue;
        };
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
    f.org_culture = Some(culture::organization_summary(
        &groups,
        config.culture.min_respondents,
        &thresholds,
    ));
    for &team in index.of_kind_unsorted(Kind::Team).iter() {
        f.ladder_evidence.insert(team, ladder_evidence(index, team));
    }
}

fn ladder_evidence(index: &SiteIndex, team: DocIdx) -> ladder::Evidence {
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
    ladder::Evidence {
        has_slos: !slos.is_empty(),
        has_escalation,
        has_postmortems,
        slos_name_policy,
    }
}

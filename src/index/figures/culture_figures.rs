//! Culture scores with the anonymity rule applied, and adoption-ladder evidence.
//!
//! Every assessment goes through [`culture::group_view`] here, once; pages and any other output
//! read the resulting views and never the raw scores of the documents.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;
use crate::domain::{culture, ladder};
use crate::index::{DocIdx, SiteIndex};
use crate::model::{Kind, KindData, Via};

use super::Figures;

/// The thresholds of sitrep.yaml as the domain wants them.
pub fn thresholds(index: &SiteIndex) -> culture::Thresholds {
    culture::Thresholds {
        bureaucratic_from: index.config.culture.bureaucratic_from,
        generative_from: index.config.culture.generative_from,
    }
}

pub(super) fn compute(index: &SiteIndex, f: &mut Figures, diags: &mut Vec<Diagnostic>) {
    let min = index.config.culture.min_respondents;
    let t = thresholds(index);
    let mut groups = Vec::new();
    let mut seen: HashMap<(String, Date), DocIdx> = HashMap::new();
    for (i, doc) in index.docs.iter().enumerate() {
        let KindData::Assessment(a) = &doc.data else {
            continue;
        };
        if let Some(&first) = seen.get(&(a.team.clone(), a.date)) {
            // Two results for one team on one day would make "latest" and "change since"
            // ambiguous, and usually mean a yaml summary of a survey whose rows are also here.
            let pos = doc
                .refs
                .iter()
                .find(|r| matches!(r.via, Via::Field("team")))
                .map(|r| r.pos);
            diags.push(
                Diagnostic::error(
                    &doc.source,
                    "duplicate-assessment",
                    format!(
                        "team `{}` has a second assessment on {}: `{}` is also in {}",
                        a.team,
                        a.date,
                        index.docs[first].key.id,
                        index.docs[first].source.display()
                    ),
                )
                .at_pos(pos)
                .with_help("keep one result per team and date: either the aggregated yaml or the raw survey rows"),
            );
            continue;
        }
        seen.insert((a.team.clone(), a.date), i);
        let group = culture::Group {
            team: a.team.clone(),
            date: a.date,
            respondents: a.respondents,
            scores: culture::Scores {
                means: a.scores.as_array(),
            },
            answers: a.answers,
        };
        let view = culture::group_view(&group, min, &t);
        f.culture_visible.insert(i, view.is_shown());
        f.culture.insert(i, view);
        groups.push(group);
    }
    // Where the organization stands now: each team's latest assessment. A team whose latest
    // group is suppressed counts as "not enough responses", not with an older result.
    let latest: Vec<culture::Group> = culture::latest_per_team(&groups)
        .into_iter()
        .cloned()
        .collect();
    f.org_culture = Some(culture::organization_summary(&latest, min, &t));
    for &team in index.of_kind_unsorted(Kind::Team).iter() {
        f.ladder_evidence.insert(team, ladder_evidence(index, team));
    }
}

fn ladder_evidence(index: &SiteIndex, team: DocIdx) -> ladder::Evidence {
    let services: Vec<DocIdx> = index.referrers(team, Kind::Service).collect();
    let slos: Vec<DocIdx> = services
        .iter()
        .flat_map(|&s| index.referrers(s, Kind::Slo))
        .filter(|&s| matches!(&index.docs[s].data, KindData::Slo(slo) if services.iter().any(|&sv| index.docs[sv].key.id == slo.service)))
        .collect();
    let has_escalation =
        matches!(&index.docs[team].data, KindData::Team(t) if !t.escalation.is_empty());
    // As on the team page: postmortems that name the team or one of its services.
    let has_postmortems = index.referrers(team, Kind::Postmortem).next().is_some()
        || services
            .iter()
            .any(|&s| index.referrers(s, Kind::Postmortem).next().is_some());
    let slos_with_policy = slos
        .iter()
        .filter(|&&s| matches!(&index.docs[s].data, KindData::Slo(slo) if slo.error_budget_policy.is_some()))
        .count();
    let slos_name_policy = !slos.is_empty() && slos_with_policy == slos.len();
    ladder::Evidence {
        has_slos: !slos.is_empty(),
        has_escalation,
        has_postmortems,
        slos_name_policy,
        slo_count: slos.len(),
        slos_with_policy,
    }
}

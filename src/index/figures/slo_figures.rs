//! SLO reports from the committed measurements, and the error-budget policy's evidence: each
//! budget spike with the postmortems that account for it, and a warning for each spike no
//! postmortem covers.

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::domain::{budget_policy, ser, slo};
use crate::index::{DocIdx, SiteIndex};
use crate::model::{Kind, KindData};

use super::Figures;

/// A day that consumed more than the spike threshold of the window's budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    #[serde(serialize_with = "ser::date")]
    pub date: Date,
    /// Share of a full window's budget that day consumed.
    pub consumed: f64,
    /// Postmortems that name the SLO and are dated within two days of the spike.
    #[serde(skip)]
    pub postmortems: Vec<DocIdx>,
}

pub(super) fn compute(index: &SiteIndex, f: &mut Figures, diags: &mut Vec<Diagnostic>) {
    let config = &index.config;
    for (i, doc) in index.docs.iter().enumerate() {
        let KindData::Slo(s) = &doc.data else {
            continue;
        };
        let Ok(window) = slo::parse_window(&s.window) else {
            continue;
        };
        let opts = slo::SloOptions {
            objective: s.objective,
            sla: s.sla,
            window,
            spike_threshold: config.slo.budget_spike_threshold,
        };
        let report = slo::analyze(&s.measurements, &opts);
        let postmortems: Vec<(DocIdx, Date)> = index
            .referrers(i, Kind::Postmortem)
            .filter_map(|p| match &index.docs[p].data {
                KindData::Postmortem(pm) if pm.slos.contains(&doc.key.id) => {
                    pm.date.map(|d| (p, d))
                }
                _ => None,
            })
            .collect();
        let spikes: Vec<Spike> = report
            .daily
            .iter()
            .filter(|p| p.spike)
            .map(|p| Spike {
                date: p.date,
                consumed: p.budget_consumed,
                postmortems: postmortems
                    .iter()
                    .filter(|(_, d)| budget_policy::covers(*d, p.date))
                    .map(|(pm, _)| *pm)
                    .collect(),
            })
            .collect();
        for spike in spikes.iter().filter(|s| s.postmortems.is_empty()) {
            let line = s
                .measurements
                .binary_search_by_key(&spike.date, |m| m.date)
                .ok()
                .and_then(|k| s.measurement_lines.get(k).copied());
            let file = s.measurements_file.as_ref().unwrap_or(&doc.source);
            diags.push(
                Diagnostic::warning(
                    file,
                    "postmortem-owed",
                    format!(
                        "on {} SLO `{}` consumed {:.0}% of its window's error budget, and no postmortem names it within {} days",
                        spike.date,
                        doc.key.id,
                        spike.consumed * 100.0,
                        budget_policy::COVER_DAYS
                    ),
                )
                .at_pos(line.map(|l| crate::diagnostics::Pos::new(l, 1)))
                .with_help(format!(
                    "the error-budget policy asks for a postmortem: write one dated within {} days of {} with `slos: [{}]`, or raise `slo.budget_spike_threshold` in sitrep.yaml",
                    budget_policy::COVER_DAYS,
                    spike.date,
                    doc.key.id
                )),
            );
        }
        f.slo_spikes.insert(i, spikes);
        f.slo_reports.insert(i, report);
    }
}

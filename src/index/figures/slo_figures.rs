//! SLO reports from the committed measurements.

use crate::diagnostics::Diagnostic;
use crate::domain::slo;
use crate::index::SiteIndex;
use crate::model::KindData;

use super::Figures;

pub(super) fn compute(index: &SiteIndex, f: &mut Figures, _diags: &mut Vec<Diagnostic>) {
    let config = &index.config;
    for (i, doc) in index.docs.iter().enumerate() {
        if let KindData::Slo(s) = &doc.data
            && let Ok(window) = slo::parse_window(&s.window)
        {
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
}

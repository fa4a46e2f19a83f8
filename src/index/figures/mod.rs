//! The computed figures of the site, worked out once per build from the documents by the pure
//! functions in `domain`: SLO reports, incident durations, culture scores with the anonymity rule
//! applied, and adoption-ladder evidence. One submodule per area; each fills its part of
//! [`Figures`] and may add warnings.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::domain::{culture, incident, ladder, slo};
use crate::model::Kind;

use super::{DocIdx, SiteIndex};

pub mod culture_figures;
mod postmortem_figures;
pub mod postmortem_library;
pub mod slo_figures;

#[derive(Debug, Default)]
pub struct Figures {
    pub slo_reports: HashMap<DocIdx, slo::SloReport>,
    /// Per SLO: its budget spikes and the postmortems that cover them.
    pub slo_spikes: HashMap<DocIdx, Vec<slo_figures::Spike>>,
    pub durations: HashMap<DocIdx, incident::Durations>,
    /// Assessments whose group is large enough to show; the others are "not enough responses".
    pub culture_visible: HashMap<DocIdx, bool>,
    /// Each assessment as it may be shown (the anonymity rule applied): the only source of
    /// culture scores for pages, feeds, search and exports.
    pub culture: HashMap<DocIdx, culture::GroupView>,
    /// Over each team's latest assessment; suppressed groups only counted.
    pub org_culture: Option<culture::OrgSummary>,
    /// Per team: what the portal can see for the evidence-backed ladder steps.
    pub ladder_evidence: HashMap<DocIdx, ladder::Evidence>,
    /// Facets, root causes and statistics of the published postmortems.
    pub postmortem_library: postmortem_library::Library,
}

pub fn compute(index: &SiteIndex) -> (Figures, Vec<Diagnostic>) {
    // SLO figures need nothing the others compute: they run beside them (watch mode computes
    // the figures on every rebuild, so this is on an edit's path).
    let ((slo, mut diags), (rest, rest_diags)) = rayon::join(
        || {
            let mut f = Figures::default();
            let mut diags = Vec::new();
            slo_figures::compute(index, &mut f, &mut diags);
            (f, diags)
        },
        || {
            let mut f = Figures::default();
            let mut diags = Vec::new();
            postmortem_figures::compute(index, &mut f, &mut diags);
            f.postmortem_library = postmortem_library::compute(index, &f.durations);
            culture_figures::compute(index, &mut f, &mut diags);
            (f, diags)
        },
    );
    diags.extend(rest_diags);
    let f = Figures {
        slo_reports: slo.slo_reports,
        slo_spikes: slo.slo_spikes,
        ..rest
    };
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

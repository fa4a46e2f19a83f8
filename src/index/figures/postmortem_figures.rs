//! Incident durations and overdue action items.

use crate::diagnostics::Diagnostic;
use crate::domain::incident;
use crate::index::SiteIndex;
use crate::model::KindData;

use super::Figures;

pub(super) fn compute(index: &SiteIndex, f: &mut Figures, diags: &mut Vec<Diagnostic>) {
    for (i, doc) in index.docs.iter().enumerate() {
        let KindData::Postmortem(p) = &doc.data else {
            continue;
        };
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
                    .with_help("finish it, move its due date, or mark it `wontfix` with a reason"),
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
}

//! The ten-step SRE adoption ladder: what each step asks, which declared steps the portal's own
//! content can back up, and how teams are spread over the steps.
//!
//! Teams declare their step themselves (`adoption: {step: 5}`). Four steps leave traces in the
//! portal (SLO documents, escalation policies, postmortems, error-budget policies), so the ladder
//! page can flag a declared step whose evidence is missing: a prompt for a conversation, not a
//! verdict, since evidence can live outside the portal.

use serde::Serialize;

/// `(number, short name, what the step asks)` for steps 1 to 10.
pub const STEPS: [(u8, &str, &str); 10] = [
    (
        1,
        "SRE on the list of big initiatives",
        "Leadership lists SRE among the organization's big initiatives, with a sponsor and time set aside for it.",
    ),
    (
        2,
        "SRE coaches established",
        "People experienced in SRE are named as coaches and help teams adopt the practices.",
    ),
    (
        3,
        "Initial SLOs set",
        "The team's services have SLOs with an objective and a window, agreed with their stakeholders.",
    ),
    (
        4,
        "Reacting to alerts on SLO breaches",
        "The team is alerted when an SLO is breached or its error budget burns fast, and acts on those alerts.",
    ),
    (
        5,
        "Alert escalation policies",
        "An escalation policy says who is notified, and after how long, when an alert is not acknowledged.",
    ),
    (
        6,
        "Incident classification",
        "Incidents get a severity from the agreed scale, which decides who is involved and whether a postmortem is due.",
    ),
    (
        7,
        "Incident postmortems",
        "Significant incidents get a blameless postmortem with root causes and tracked action items.",
    ),
    (
        8,
        "Error budget policies",
        "The team's SLOs name an error-budget policy that says what happens when the budget runs out.",
    ),
    (
        9,
        "Error-budget-based decision-making",
        "The remaining error budget decides between feature work and reliability work, in planning and releases.",
    ),
    (
        10,
        "Organizational structure for SRE",
        "The organization has a lasting structure for SRE (roles, teams or a platform), not only volunteers.",
    ),
];

/// The step numbered `n` (1..=10).
pub fn step(n: u8) -> Option<(u8, &'static str, &'static str)> {
    STEPS.iter().find(|s| s.0 == n).copied()
}

/// Short name of step `n`; `None` outside 1..=10.
pub fn step_name(n: u8) -> Option<&'static str> {
    step(n).map(|s| s.1)
}

/// The step after `n`, i.e. what a team on step `n` works on next. A team not on the ladder
/// yet (`n = 0`) is shown step 1; a team on step 10 (or beyond) has no next step.
pub fn next_step(n: u8) -> Option<(u8, &'static str, &'static str)> {
    step(n.checked_add(1)?)
}

/// What the portal's content says about a team (computed by the caller from its documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Evidence {
    /// The team's services have SLOs. How strict to be (every service, or at least one) is the
    /// caller's rule, since it depends on which services count for the team.
    pub has_slos: bool,
    /// The team document has an `escalation` policy.
    pub has_escalation: bool,
    /// The team has postmortems.
    pub has_postmortems: bool,
    /// The team's SLOs name an `error_budget_policy` (every one of them).
    pub slos_name_policy: bool,
    /// How many SLOs the team has, and how many of them name a policy: what the page says
    /// when only some do.
    pub slo_count: usize,
    pub slos_with_policy: usize,
}

/// Whether one evidence-backed step is backed by the portal's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    pub step: u8,
    pub what: &'static str,
    pub present: bool,
    /// Counts behind a partial answer ("3 of 5 SLOs").
    pub detail: Option<String>,
}

/// One item per evidence-backed step at or below `declared_step`, in step order: 3 (SLOs),
/// 5 (escalation policy), 7 (postmortems), 8 (error-budget policy). Steps above the declared one
/// are not listed: a team is not expected to show what it has not claimed yet.
pub fn evidence(declared_step: u8, e: &Evidence) -> Vec<EvidenceItem> {
    [
        (3, "the team's services have SLOs", e.has_slos),
        (5, "the team has an escalation policy", e.has_escalation),
        (7, "the team has postmortems", e.has_postmortems),
        (
            8,
            "the team's SLOs name an error-budget policy",
            e.slos_name_policy,
        ),
    ]
    .into_iter()
    .filter(|(step, _, _)| *step <= declared_step)
    .map(|(step, what, present)| EvidenceItem {
        step,
        what,
        present,
        detail: (step == 8 && e.slo_count > 0).then(|| {
            format!(
                "{} of {} SLO{} name{} one",
                e.slos_with_policy,
                e.slo_count,
                if e.slo_count == 1 { "" } else { "s" },
                if e.slos_with_policy == 1 { "s" } else { "" }
            )
        }),
    })
    .collect()
}

/// The items of [`evidence`] that are missing: declared steps the portal cannot back up.
pub fn gaps(declared_step: u8, e: &Evidence) -> Vec<EvidenceItem> {
    evidence(declared_step, e)
        .into_iter()
        .filter(|i| !i.present)
        .collect()
}

/// Number of teams on each step: index 0 is step 1. Steps outside 1..=10 are not counted.
pub fn distribution(steps: &[u8]) -> [usize; 10] {
    let mut out = [0usize; 10];
    for &s in steps {
        if let Some(slot) = usize::from(s).checked_sub(1).and_then(|i| out.get_mut(i)) {
            *slot += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn steps_are_numbered_in_order() {
        for (i, (n, name, asks)) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(*n), i + 1);
            assert!(!name.is_empty() && !asks.is_empty());
        }
        assert_eq!(step_name(1), Some("SRE on the list of big initiatives"));
        assert_eq!(step_name(3), Some("Initial SLOs set"));
        assert_eq!(step_name(10), Some("Organizational structure for SRE"));
        assert_eq!(step_name(0), None);
        assert_eq!(step_name(11), None);
    }

    #[test]
    fn next_steps() {
        assert_eq!(next_step(0).map(|s| s.0), Some(1));
        assert_eq!(next_step(4).map(|s| s.1), Some("Alert escalation policies"));
        assert_eq!(next_step(9).map(|s| s.0), Some(10));
        assert_eq!(next_step(10), None);
        assert_eq!(next_step(u8::MAX), None);
    }

    #[test]
    fn evidence_up_to_the_declared_step() {
        let e = Evidence {
            has_slos: true,
            has_escalation: false,
            has_postmortems: true,
            slos_name_policy: false,
            ..Evidence::default()
        };
        let steps =
            |v: Vec<EvidenceItem>| v.iter().map(|i| (i.step, i.present)).collect::<Vec<_>>();
        assert!(evidence(2, &e).is_empty());
        assert_eq!(steps(evidence(3, &e)), vec![(3, true)]);
        assert_eq!(steps(evidence(6, &e)), vec![(3, true), (5, false)]);
        assert_eq!(
            steps(evidence(10, &e)),
            vec![(3, true), (5, false), (7, true), (8, false)]
        );
        // Gaps: declared 8, escalation and policy missing.
        assert_eq!(steps(gaps(8, &e)), vec![(5, false), (8, false)]);
        assert_eq!(gaps(4, &e).len(), 0); // step 3 is backed, step 5 not claimed
        let all = Evidence {
            has_slos: true,
            has_escalation: true,
            has_postmortems: true,
            slos_name_policy: true,
            slo_count: 2,
            slos_with_policy: 2,
        };
        assert_eq!(
            evidence(8, &all)[3].detail.as_deref(),
            Some("2 of 2 SLOs name one")
        );
        let partial = Evidence {
            slos_name_policy: false,
            slos_with_policy: 1,
            slo_count: 3,
            ..all
        };
        assert_eq!(
            gaps(8, &partial)[0].detail.as_deref(),
            Some("1 of 3 SLOs names one")
        );
        assert_eq!(evidence(8, &all)[0].detail, None);
        assert!(gaps(10, &all).is_empty());
        assert_eq!(gaps(10, &Evidence::default()).len(), 4);
        assert_eq!(gaps(5, &e)[0].what, "the team has an escalation policy");
    }

    #[test]
    fn distribution_counts_teams_per_step() {
        // Steps 1, 3, 3, 10 and two invalid ones (0, 11).
        assert_eq!(
            distribution(&[3, 1, 0, 3, 10, 11]),
            [1, 0, 2, 0, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(distribution(&[]), [0; 10]);
    }

    proptest! {
        #[test]
        fn distribution_counts_every_valid_step(steps in prop::collection::vec(any::<u8>(), 0..50)) {
            let valid = steps.iter().filter(|s| (1..=10).contains(*s)).count();
            prop_assert_eq!(distribution(&steps).iter().sum::<usize>(), valid);
        }
    }
}

//! Tests of `culture.rs`, with the means worked out by hand in the comments.

use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn r(scores: [Option<u8>; 6]) -> Response {
    Response { scores }
}

fn uniform(v: f64) -> Scores {
    Scores {
        means: [Some(v); 6],
    }
}

fn group(team: &str, d: Date, respondents: usize, scores: Scores) -> Group {
    Group {
        team: team.to_string(),
        date: d,
        respondents,
        scores,
        answers: None,
    }
}

#[test]
fn labels_and_meanings() {
    assert_eq!(ASPECTS[0], "cooperation");
    assert_eq!(aspect_label(0), "High cooperation");
    assert_eq!(aspect_label(1), "Messengers are trained");
    assert_eq!(aspect_label(5), "Novelty is implemented");
    assert_eq!(aspect_label(6), "");
    assert!(aspect_sre_meaning(2).contains("SLO"));
    assert!(aspect_sre_meaning(4).contains("blameless"));
    assert_eq!(aspect_sre_meaning(usize::MAX), "");
    assert!((0..6).all(|i| !aspect_label(i).is_empty() && !aspect_sre_meaning(i).is_empty()));
}

#[test]
fn means_with_empty_cells_and_respondent_counting() {
    let responses = [
        r([Some(7), Some(5), None, Some(4), Some(6), Some(2)]),
        r([Some(5), None, None, Some(2), Some(6), Some(3)]),
        r([None; 6]), // skipped everything: still a respondent
        r([Some(3), Some(4), None, Some(3), Some(3), Some(1)]),
    ];
    let Aggregate {
        respondents: n,
        scores: s,
        answers,
    } = aggregate(&responses);
    assert_eq!(n, 4);
    assert_eq!(answers, [3, 2, 0, 3, 3, 3]);
    // cooperation (7+5+3)/3 = 5; messengers (5+4)/2 = 4.5; risks: nobody answered;
    // bridging (4+2+3)/3 = 3; failure (6+6+3)/3 = 5; novelty (2+3+1)/3 = 2.
    assert_eq!(
        s.means,
        [Some(5.0), Some(4.5), None, Some(3.0), Some(5.0), Some(2.0)]
    );
    // Overall over the five present aspects: 19.5 / 5 = 3.9 -> bureaucratic.
    assert_eq!(overall(&s), Some(3.9));
    assert_eq!(classify(3.9, &Thresholds::default()), Class::Bureaucratic);
}

#[test]
fn empty_inputs() {
    assert_eq!(aggregate(&[]), Aggregate::default());
    assert_eq!(overall(&Scores::default()), None);
    let a = aggregate(&[r([None; 6]), r([None; 6])]);
    assert_eq!(
        (a.respondents, overall(&a.scores), a.answers),
        (2, None, [0; 6])
    );
    // Out-of-range values (rejected by the loader) are ignored, not averaged in.
    let a = aggregate(&[r([Some(0), Some(8), Some(7), None, None, None])]);
    assert_eq!(a.scores.means[..3], [None, None, Some(7.0)]);
    assert_eq!(a.answers[..3], [0, 0, 1]);
}

#[test]
fn threshold_edges() {
    let t = Thresholds::default();
    assert_eq!((t.bureaucratic_from, t.generative_from), (3.0, 5.0));
    assert_eq!(classify(2.999, &t), Class::Pathological);
    assert_eq!(classify(3.0, &t), Class::Bureaucratic);
    assert_eq!(classify(4.999, &t), Class::Bureaucratic);
    assert_eq!(classify(5.0, &t), Class::Generative);
    assert_eq!(classify(1.0, &t), Class::Pathological);
    assert_eq!(classify(7.0, &t), Class::Generative);
    let custom = Thresholds {
        bureaucratic_from: 2.5,
        generative_from: 5.5,
    };
    assert_eq!(classify(2.5, &custom), Class::Bureaucratic);
    assert_eq!(classify(5.4, &custom), Class::Bureaucratic);
    assert_eq!(Class::Generative.as_str(), "generative");
}

#[test]
fn visibility_rule() {
    assert_eq!(visibility(4, 5), Visibility::Suppressed);
    assert_eq!(visibility(5, 5), Visibility::Shown);
    assert_eq!(visibility(0, 0), Visibility::Shown);
    let t = Thresholds::default();
    let small = group("beta", date(2026, 3, 1), 3, uniform(2.0));
    let v = group_view(&small, 5, &t);
    assert_eq!(v.visibility, Visibility::Suppressed);
    assert_eq!((v.scores, v.overall, v.class), (None, None, None));
    assert_eq!(v.respondents, 3);
    let big = group("alpha", date(2026, 3, 1), 8, uniform(6.0));
    let v = group_view(&big, 5, &t);
    assert_eq!(
        (v.scores, v.overall, v.class),
        (Some(uniform(6.0)), Some(6.0), Some(Class::Generative))
    );
}

#[test]
fn organization_summary_ignores_suppressed_groups() {
    let t = Thresholds::default();
    let d = date(2026, 6, 1);
    let alpha = group("alpha", d, 10, uniform(6.0));
    let beta = group("beta", d, 6, uniform(3.0));
    let gamma = group("gamma", d, 3, uniform(1.0)); // below 5: suppressed
    let with = organization_summary(&[alpha.clone(), beta.clone(), gamma], 5, &t);
    let without = organization_summary(&[alpha, beta], 5, &t);
    // Weighted by respondents: (6*10 + 3*6) / 16 = 78/16 = 4.875 -> bureaucratic.
    // Had gamma been included it would be (60 + 18 + 3) / 19 = 4.263, and gamma's scores
    // would follow by difference: (4.263*19 - 78) / 3 = 1.
    assert_eq!(with.means, uniform(4.875));
    assert_eq!(with.overall, Some(4.875));
    assert_eq!(with.class, Some(Class::Bureaucratic));
    assert_eq!(
        (with.generative, with.bureaucratic, with.pathological),
        (1, 1, 0)
    );
    assert_eq!(
        (with.groups_shown, with.suppressed, with.respondents),
        (2, 1, 16)
    );
    // Identical to the summary without gamma but for the number of suppressed groups.
    assert_eq!(
        OrgSummary {
            suppressed: 0,
            ..with
        },
        without
    );
}

#[test]
fn organization_summary_with_missing_aspects() {
    let t = Thresholds::default();
    let d = date(2026, 6, 1);
    let mut a = uniform(6.0);
    a.means[2] = None; // alpha's respondents all skipped "risks"
    let groups = [group("alpha", d, 10, a), group("beta", d, 6, uniform(3.0))];
    let s = organization_summary(&groups, 5, &t);
    assert_eq!(s.means.means[2], Some(3.0)); // only beta answered
    assert_eq!(s.means.means[0], Some(4.875)); // (60 + 18) / 16
    let huge = [
        group("a", d, usize::MAX, uniform(2.0)),
        group("b", d, 9, uniform(4.0)),
    ];
    assert_eq!(organization_summary(&huge, 5, &t).respondents, usize::MAX); // no overflow
    let nothing = organization_summary(&[], 5, &t);
    assert_eq!(
        (nothing.overall, nothing.class, nothing.groups_shown),
        (None, None, 0)
    );
}

#[test]
fn latest_per_team_and_deltas() {
    let groups = [
        group("alpha", date(2026, 1, 10), 5, uniform(4.0)),
        group("beta", date(2026, 3, 1), 5, uniform(3.0)),
        group("alpha", date(2026, 6, 10), 5, uniform(5.0)),
        group("alpha", date(2025, 12, 1), 5, uniform(2.0)),
    ];
    let latest: Vec<_> = latest_per_team(&groups)
        .iter()
        .map(|g| (g.team.as_str(), g.date))
        .collect();
    assert_eq!(
        latest,
        vec![("alpha", date(2026, 6, 10)), ("beta", date(2026, 3, 1))]
    );
    assert!(latest_per_team(&[]).is_empty());

    let prev = Scores {
        means: [Some(4.0), None, Some(5.0), Some(3.0), None, Some(2.5)],
    };
    let cur = Scores {
        means: [Some(5.5), Some(3.0), Some(4.5), Some(3.0), None, None],
    };
    // 5.5-4 = 1.5; missing before; 4.5-5 = -0.5; unchanged; missing both; missing now.
    assert_eq!(
        deltas(&prev, &cur),
        [Some(1.5), None, Some(-0.5), Some(0.0), None, None]
    );
}

fn arb_response() -> impl Strategy<Value = Response> {
    prop::array::uniform6(prop::option::of(1u8..=7)).prop_map(|scores| Response { scores })
}

proptest! {
    #[test]
    fn means_stay_on_the_scale(responses in prop::collection::vec(arb_response(), 0..30)) {
        let Aggregate { respondents: n, scores: s, .. } = aggregate(&responses);
        prop_assert_eq!(n, responses.len());
        for m in s.means.iter().flatten() {
            prop_assert!((1.0..=7.0).contains(m));
        }
        prop_assert!(overall(&s).is_none_or(|o| (1.0..=7.0).contains(&o)));
    }

    #[test]
    fn a_suppressed_group_cannot_change_the_summary(
        hidden in prop::array::uniform6(prop::option::of(1.0f64..=7.0)),
        respondents in 0usize..5,
    ) {
        let t = Thresholds::default();
        let d = date(2026, 6, 1);
        let shown = [group("alpha", d, 7, uniform(5.5)), group("beta", d, 5, uniform(2.0))];
        let base = organization_summary(&shown, 5, &t);
        let mut all = shown.to_vec();
        all.push(group("gamma", d, respondents, Scores { means: hidden }));
        let with = organization_summary(&all, 5, &t);
        prop_assert_eq!(OrgSummary { suppressed: 0, ..with }, base);
    }
}

/// The sample portal's suppressed group (data-platform, 2026-03-16): three rows, worked by hand.
fn data_platform_march() -> [Response; 3] {
    [
        r([Some(2), Some(1), Some(1), Some(3), Some(1), Some(2)]),
        r([Some(4), Some(2), Some(3), Some(4), Some(4), Some(5)]),
        r([Some(5), Some(4), Some(4), Some(5), Some(3), Some(4)]),
    ]
}

#[test]
fn hand_computed_group_and_its_suppression() {
    let a = aggregate(&data_platform_march());
    // cooperation 11/3, messengers 7/3, risks 8/3, bridging 12/3, failure 8/3, novelty 11/3.
    let expect = [11.0 / 3.0, 7.0 / 3.0, 8.0 / 3.0, 4.0, 8.0 / 3.0, 11.0 / 3.0];
    for (m, e) in a.scores.means.iter().zip(expect) {
        assert!((m.unwrap() - e).abs() < 1e-12);
    }
    // Overall: (11 + 7 + 8 + 12 + 8 + 11) / 3 / 6 = 57/18 = 3.1667 -> bureaucratic.
    let o = overall(&a.scores).unwrap();
    assert!((o - 57.0 / 18.0).abs() < 1e-12);
    assert_eq!(format_mean(o), "3.17");
    assert_eq!(classify(o, &Thresholds::default()), Class::Bureaucratic);
    let g = Group {
        team: "data-platform".into(),
        date: date(2026, 3, 16),
        respondents: a.respondents,
        scores: a.scores,
        answers: Some(a.answers),
    };
    let v = group_view(&g, 5, &Thresholds::default());
    assert!(!v.is_shown());
    assert_eq!(
        (v.scores, v.overall, v.class, v.withheld),
        (None, None, None, [false; 6])
    );
    // With a threshold of 3 the same group is shown.
    assert!(group_view(&g, 3, &Thresholds::default()).is_shown());
}

#[test]
fn aspects_with_too_few_answers_are_withheld() {
    // Five respondents; only two answered "risks" (a 1 and a 7), four answered "messengers".
    let responses = [
        r([Some(5), Some(4), Some(1), Some(5), Some(5), Some(5)]),
        r([Some(5), Some(4), Some(7), Some(5), Some(5), Some(5)]),
        r([Some(5), Some(4), None, Some(5), Some(5), Some(5)]),
        r([Some(5), Some(4), None, Some(5), Some(5), Some(5)]),
        r([Some(5), None, None, Some(5), Some(5), Some(5)]),
    ];
    let a = aggregate(&responses);
    assert_eq!(a.answers, [5, 4, 2, 5, 5, 5]);
    let g = Group {
        team: "alpha".into(),
        date: date(2026, 3, 1),
        respondents: 5,
        scores: a.scores,
        answers: Some(a.answers),
    };
    let t = Thresholds::default();
    let v = group_view(&g, 5, &t);
    assert!(v.is_shown());
    assert_eq!(
        v.scores.unwrap().means,
        [Some(5.0), None, None, Some(5.0), Some(5.0), Some(5.0)]
    );
    assert_eq!(v.withheld, [false, true, true, false, false, false]);
    // Overall over the four shown aspects only: 5.0. Over all six it would be
    // (5 + 4 + 4 + 5 + 5 + 5) / 6 = 4.667, from which the two withheld means' sum would follow.
    assert_eq!(v.overall, Some(5.0));
    assert_eq!(v.class, Some(Class::Generative));
    // Aggregated yaml has no answer counts: nothing is withheld.
    let yaml = Group {
        answers: None,
        ..g.clone()
    };
    assert_eq!(group_view(&yaml, 5, &t).withheld, [false; 6]);
    // The organization summary goes through the same gate and weighs by answers.
    let other = Group {
        team: "beta".into(),
        answers: None,
        respondents: 5,
        scores: uniform(3.0),
        ..g.clone()
    };
    let s = organization_summary(&[g, other], 5, &t);
    assert_eq!(s.means.means[2], Some(3.0)); // alpha's "risks" is not in it
    assert_eq!(s.means.means[1], Some(3.0)); // nor its "messengers"
    assert_eq!(s.means.means[0], Some(4.0)); // (5*5 + 3*5) / 10
}

#[test]
fn history_measures_change_from_the_previous_shown_assessment() {
    let t = Thresholds::default();
    let views: Vec<GroupView> = [
        group("alpha", date(2026, 9, 1), 6, uniform(4.5)),
        group("alpha", date(2026, 3, 1), 6, uniform(4.0)),
        group("alpha", date(2026, 6, 1), 3, uniform(1.0)), // suppressed
        group("alpha", date(2026, 12, 1), 2, uniform(7.0)), // suppressed
    ]
    .iter()
    .map(|g| group_view(g, 5, &t))
    .collect();
    let h = history(views);
    let dates: Vec<Date> = h.iter().map(|e| e.view.date).collect();
    assert_eq!(
        dates,
        [
            date(2026, 3, 1),
            date(2026, 6, 1),
            date(2026, 9, 1),
            date(2026, 12, 1)
        ]
    );
    assert_eq!((h[0].since, h[0].deltas), (None, [None; 6]));
    // The suppressed June group gets no change and is not a baseline: September compares
    // with March (4.5 - 4.0), not with June (which would give 4.5 - 1.0 = 3.5 and reveal 1.0).
    assert_eq!(
        (h[1].since, h[1].deltas, h[1].overall_delta),
        (None, [None; 6], None)
    );
    assert_eq!(h[2].since, Some(date(2026, 3, 1)));
    assert_eq!(h[2].deltas, [Some(0.5); 6]);
    assert_eq!(h[2].overall_delta, Some(0.5));
    assert_eq!((h[3].since, h[3].overall_delta), (None, None));
    assert!(history(Vec::new()).is_empty());
}

#[test]
fn formatting() {
    assert_eq!(format_mean(11.0 / 3.0), "3.67");
    assert_eq!(format_mean(4.0), "4.00");
    assert_eq!(format_delta(0.5), "+0.50");
    assert_eq!(format_delta(-1.0 / 3.0), "−0.33");
    assert_eq!(format_delta(0.004), "±0.00");
    assert_eq!(format_delta(-0.004), "±0.00");
}

proptest! {
    /// Whatever the value of an aspect too few people answered, what may be shown of the group
    /// (including its overall and class) is the same.
    #[test]
    fn a_withheld_aspect_cannot_change_the_view(hidden in 1.0f64..=7.0, answered in 0usize..5) {
        let t = Thresholds::default();
        let mut g = group("alpha", date(2026, 6, 1), 8, uniform(4.5));
        g.answers = Some([8, 8, answered, 8, 8, 8]);
        let base = group_view(&g, 5, &t);
        g.scores.means[2] = Some(hidden);
        prop_assert_eq!(group_view(&g, 5, &t), base);
    }
}

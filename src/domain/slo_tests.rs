//! Tests of `slo.rs`, kept apart so each file stays short. Numbers are worked out by hand in the
//! comments; objectives such as 93.75% (allowed fraction 0.0625 = 1/16) are chosen where an edge
//! must be hit exactly in binary floating point.

use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_close(a: Option<f64>, b: f64) {
    match a {
        Some(a) => assert!(close(a, b), "{a} != {b}"),
        None => panic!("None != {b}"),
    }
}

fn m(d: Date, good: u64, total: u64) -> Measurement {
    Measurement {
        date: d,
        good,
        total,
    }
}

/// `n` consecutive days from `from`, each with `total` events and the bad counts from `bad`.
fn days(from: Date, n: usize, total: u64, bad: &[(Date, u64)]) -> Vec<Measurement> {
    from.series(jiff::Span::new().days(1))
        .take(n)
        .map(|d| {
            let b = bad.iter().find(|(bd, _)| *bd == d).map_or(0, |(_, b)| *b);
            m(d, total - b, total)
        })
        .collect()
}

fn rolling(days: u32) -> Window {
    Window::Rolling { days }
}

#[test]
fn parses_windows() {
    assert_eq!(parse_window("28d"), Ok(rolling(28)));
    assert_eq!(parse_window("30d"), Ok(rolling(30)));
    assert_eq!(parse_window(" 7d "), Ok(rolling(7)));
    assert_eq!(parse_window("90d"), Ok(rolling(90)));
    assert_eq!(parse_window("4w"), Ok(rolling(28)));
    assert_eq!(parse_window("calendar-month"), Ok(Window::CalendarMonth));
    for (bad, needle) in [
        ("", "empty"),
        ("0d", "at least one day"),
        ("28", "days (`d`) or weeks"),
        ("1M", "calendar-month"),
        ("month", "calendar-month"),
        ("1h", "days (`d`) or weeks"),
        ("d", "whole number"),
        ("-7d", "whole number"),
        ("1.5w", "whole number"),
        ("99999999999w", "too long"),
    ] {
        let err = parse_window(bad).expect_err(bad);
        assert!(err.contains(needle), "{bad:?}: {err}");
    }
    assert_eq!(rolling(28).label(), "28d");
    assert_eq!(Window::CalendarMonth.label(), "calendar month");
    assert_eq!(
        parse_window(&Window::CalendarMonth.spec()),
        Ok(Window::CalendarMonth)
    );
}

#[test]
fn error_budget_arithmetic() {
    assert_eq!(allowed_bad_fraction(99.9), 0.001);
    assert_eq!(allowed_bad_fraction(99.5), 0.005);
    assert_eq!(allowed_bad_fraction(99.95), 0.0005);
    assert_eq!(allowed_bad_fraction(100.0), 0.0);
    assert_eq!(allowed_bad_fraction(0.0), 1.0);
    assert_eq!(allowed_bad_fraction(120.0), 0.0);
    assert_eq!(allowed_bad_fraction(-3.0), 1.0);
    assert_eq!(allowed_bad_fraction(f64::NAN), 0.0);
    // 28 * 86400 = 2,419,200 s; * 0.001 = 2419.2 s = 40m 19s.
    let s = allowed_downtime_secs(99.9, &rolling(28), None);
    assert!(close(s, 2419.2), "{s}");
    assert_eq!(duration::human_f(s), "40m 19s");
    // 30 * 86400 = 2,592,000 s; * 0.005 = 12,960 s = 3h 36m.
    let s = allowed_downtime_secs(99.5, &rolling(30), None);
    assert!(close(s, 12_960.0), "{s}");
    assert_eq!(duration::human_f(s), "3h 36m");
    // 7 * 86400 = 604,800 s; * 0.0005 = 302.4 s = 5m 2s.
    let s = allowed_downtime_secs(99.95, &rolling(7), None);
    assert!(close(s, 302.4), "{s}");
    assert_eq!(duration::human_f(s), "5m 2s");
    // Calendar month: February 2028 has 29 days: 2,505,600 s * 0.001 = 2505.6 s = 41m 45s;
    // without a date, 30 days: 2592 s = 43m 12s.
    let feb = allowed_downtime_secs(99.9, &Window::CalendarMonth, Some(date(2028, 2, 10)));
    assert!(close(feb, 2505.6), "{feb}");
    let none = allowed_downtime_secs(99.9, &Window::CalendarMonth, None);
    assert_eq!(duration::human_f(none), "43m 12s");
}

#[test]
fn no_data() {
    let r = analyze(&[], &SloOptions::new(99.9, rolling(28)));
    assert_eq!(r.status, Status::NoData);
    assert_eq!((r.as_of, r.days_covered, r.window_days), (None, 0, 28));
    assert!(r.partial && r.daily.is_empty() && r.months.is_empty());
    assert_eq!(r.allowed_downtime, "40m 19s");
    // Days without events are data of no use: still no-data, no NaN anywhere.
    let zeros = days(date(2026, 9, 1), 3, 0, &[]);
    let r = analyze(&zeros, &SloOptions::new(99.9, rolling(28)));
    assert_eq!(r.status, Status::NoData);
    assert_eq!(
        (r.attainment, r.budget_remaining, r.burn_rate_7d),
        (None, None, None)
    );
    assert_eq!(r.days_covered, 3);
    assert!(r.daily.iter().all(|p| p.budget_consumed == 0.0 && !p.spike));
}

#[test]
fn rolling_window_across_the_year_boundary() {
    // 2025-12-20 ..= 2026-01-10 (22 days), 1000 events a day, 99.9% over 7d (7 bad per window).
    let bad = [
        (date(2025, 12, 28), 10),
        (date(2026, 1, 4), 3),
        (date(2026, 1, 9), 1),
    ];
    let data = days(date(2025, 12, 20), 22, 1000, &bad);
    let r = analyze(&data, &SloOptions::new(99.9, rolling(7)));
    assert_eq!(r.as_of, Some(date(2026, 1, 10)));
    // Window 2026-01-04 ..= 01-10: 7000 events, 3 + 1 = 4 bad.
    assert_eq!(r.window_start, Some(date(2026, 1, 4)));
    assert_eq!((r.good, r.bad, r.total), (6996, 4, 7000));
    assert_close(r.attainment, 6996.0 / 7000.0);
    assert_close(r.budget_remaining, 3.0 / 7.0); // 1 - 4/7
    assert_eq!((r.days_covered, r.window_days, r.partial), (7, 7, false));
    assert_close(r.burn_rate_1d, 0.0); // 01-10 had no bad events
    assert_close(r.burn_rate_7d, 4.0 / 7.0); // (4/7000) / 0.001
    assert_eq!(r.status, Status::Healthy);
    // The window ending 2026-01-02 spans the new year: 2025-12-27 ..= 2026-01-02, 10 bad of 7000.
    let p = r.daily.iter().find(|p| p.date == date(2026, 1, 2)).cloned();
    let p = p.expect("2026-01-02 is in the data");
    assert_close(p.window_attainment, 6990.0 / 7000.0);
    assert_close(p.budget_remaining, -3.0 / 7.0); // 1 - 10/7: overspent
    // Full-window budget at 1000/day: 0.001 * 1000 * 7 = 7 events.
    assert_close(consumed_on(&r, date(2025, 12, 28)), 10.0 / 7.0);
    assert_close(consumed_on(&r, date(2026, 1, 4)), 3.0 / 7.0);
    assert_close(consumed_on(&r, date(2026, 1, 9)), 1.0 / 7.0); // 0.143: not a spike
    assert_eq!(consumed_on(&r, date(2026, 2, 1)), None);
    assert_eq!(r.spikes, vec![date(2025, 12, 28), date(2026, 1, 4)]);
    // Months: December 12 days (12000 events, 10 bad), January 10 days (10000, 4 bad).
    let months: Vec<_> = r
        .months
        .iter()
        .map(|m| (m.label.as_str(), m.good, m.total))
        .collect();
    assert_eq!(
        months,
        vec![("2025-12", 11_990, 12_000), ("2026-01", 9_996, 10_000)]
    );
    assert_eq!(r.months[0].met, Some(true)); // 0.99917 >= 0.999
    assert_eq!(r.months[1].sla_met, None); // no SLA set
}

#[test]
fn rolling_window_across_a_leap_day() {
    // 7d ending 2028-03-02: 02-25, 26, 27, 28, 29, 03-01, 03-02. 02-24 falls outside.
    let data = days(date(2028, 2, 20), 12, 100, &[(date(2028, 2, 24), 50)]);
    let r = analyze(&data, &SloOptions::new(99.0, rolling(7)));
    assert_eq!(r.window_start, Some(date(2028, 2, 25)));
    assert_eq!((r.bad, r.total), (0, 700));
}

#[test]
fn partial_window_twelve_of_twenty_eight() {
    // 2026-09-01 ..= 09-12, 100 events a day, 2 bad on 09-05; 99% over 28d.
    let data = days(date(2026, 9, 1), 12, 100, &[(date(2026, 9, 5), 2)]);
    let r = analyze(&data, &SloOptions::new(99.0, rolling(28)));
    assert_eq!((r.days_covered, r.window_days, r.partial), (12, 28, true));
    // 1200 events, 12 allowed, 2 bad: 1 - 2/12 = 5/6.
    assert_close(r.budget_remaining, 5.0 / 6.0);
    // 09-05: 5 days of 100 in its window; a full window's budget is 0.01 * 100 * 28 = 28
    // events, so 2 bad consume 2/28 = 0.0714 (not 2/5 as the partial window alone would say).
    assert_close(consumed_on(&r, date(2026, 9, 5)), 2.0 / 28.0);
    assert!(r.spikes.is_empty());
    // Gaps count as calendar days covered: data on 09-01 and 09-03 only covers 3 days.
    let gap = [m(date(2026, 9, 1), 10, 10), m(date(2026, 9, 3), 10, 10)];
    assert_eq!(
        analyze(&gap, &SloOptions::new(99.0, rolling(28))).days_covered,
        3
    );
}

#[test]
fn calendar_month_resets_on_the_first() {
    // 100 events a day; 5 bad on 08-30, 1 bad on 09-01; 99% per calendar month.
    let data = days(
        date(2026, 8, 30),
        4,
        100,
        &[(date(2026, 8, 30), 5), (date(2026, 9, 1), 1)],
    );
    let r = analyze(&data, &SloOptions::new(99.0, Window::CalendarMonth));
    assert_eq!(r.window_start, Some(date(2026, 9, 1)));
    assert_eq!((r.window_days, r.days_covered, r.partial), (30, 2, true));
    // September so far: 200 events, 1 bad, 2 allowed.
    assert_eq!((r.bad, r.total), (1, 200));
    assert_close(r.attainment, 0.995);
    assert_close(r.budget_remaining, 0.5);
    // 08-31 closes August: 200 events, 5 bad, 2 allowed -> 1 - 5/2 = -1.5.
    assert_close(r.daily[1].budget_remaining, -1.5);
    // 09-01 starts afresh: 1 bad of 100, 1 allowed -> 0.
    assert_close(r.daily[2].budget_remaining, 0.0);
    // Full September budget at 100/day: 0.01 * 100 * 30 = 30 events -> 1/30.
    assert_close(consumed_on(&r, date(2026, 9, 1)), 1.0 / 30.0);
    // The 7-day burn rate does not reset: 08-27 ..= 09-02 holds 400 events, 6 bad:
    // (6/400) / 0.01 = 1.5 > 1 -> at-risk although September's budget is half left.
    assert_close(r.burn_rate_7d, 1.5);
    assert_close(r.burn_rate_1d, 0.0);
    assert_eq!(r.status, Status::AtRisk);
}

#[test]
fn calendar_month_of_february_in_a_leap_year() {
    // 2028-02-01 ..= 02-29, 1000 a day, 1 bad on the leap day; 99.9% per calendar month.
    let data = days(date(2028, 2, 1), 29, 1000, &[(date(2028, 2, 29), 1)]);
    let r = analyze(&data, &SloOptions::new(99.9, Window::CalendarMonth));
    assert_eq!(r.as_of, Some(date(2028, 2, 29)));
    assert_eq!((r.window_days, r.days_covered, r.partial), (29, 29, false));
    // 29,000 events, 29 allowed, 1 bad: 1 - 1/29 = 28/29.
    assert_close(r.budget_remaining, 28.0 / 29.0);
    assert!(close(r.allowed_downtime_secs, 2505.6)); // 29 * 86400 * 0.001
    assert_close(consumed_on(&r, date(2028, 2, 29)), 1.0 / 29.0);
    assert_eq!(r.months.len(), 1);
    assert_eq!(
        (r.months[0].label.as_str(), r.months[0].good),
        ("2028-02", 28_999)
    );
    // Data from the 15th only: 15 days covered of 29.
    let late = days(date(2028, 2, 15), 15, 1000, &[]);
    let r = analyze(&late, &SloOptions::new(99.9, Window::CalendarMonth));
    assert_eq!((r.days_covered, r.window_days, r.partial), (15, 29, true));
}

#[test]
fn burn_rates_use_the_days_present() {
    // 99%: day 1: 1 bad of 100, day 2: 0 bad of 300. 7d: (1/400)/0.01 = 0.25; 1d: 0.
    let data = [m(date(2026, 5, 1), 99, 100), m(date(2026, 5, 2), 300, 300)];
    let r = analyze(&data, &SloOptions::new(99.0, rolling(28)));
    assert_close(r.burn_rate_7d, 0.25);
    assert_close(r.burn_rate_1d, 0.0);
    // A last day without events has no 1-day rate; the 7-day one still counts the rest.
    let data = [m(date(2026, 5, 1), 98, 100), m(date(2026, 5, 2), 0, 0)];
    let r = analyze(&data, &SloOptions::new(99.0, rolling(28)));
    assert_eq!(r.burn_rate_1d, None);
    assert_close(r.burn_rate_7d, 2.0); // (2/100) / 0.01
}

#[test]
fn status_edges() {
    // 93.75% allows exactly 1/16 of events to fail.
    let opts = SloOptions::new(93.75, rolling(28));
    assert_eq!(allowed_bad_fraction(93.75), 0.0625);
    // 16 events, 1 bad: 1 allowed, 1 spent -> remaining exactly 0 -> exhausted.
    let r = analyze(&[m(date(2026, 1, 1), 15, 16)], &opts);
    assert_eq!(r.budget_remaining, Some(0.0));
    assert_eq!(r.status, Status::Exhausted);
    // 01-01: 1600 good; 01-20: 100 bad of 1600. Window: 3200 events, 200 allowed, 100 bad ->
    // remaining 0.5. Last 7 days (01-14..=01-20) hold only 01-20: (100/1600)/0.0625 = 1.0.
    let burn_once = [
        m(date(2026, 1, 1), 1600, 1600),
        m(date(2026, 1, 20), 1500, 1600),
    ];
    let r = analyze(&burn_once, &opts);
    assert_eq!(r.burn_rate_7d, Some(1.0));
    assert_eq!(r.status, Status::Healthy); // exactly 1 is not at risk
    // 101 bad: (101/1600)/0.0625 = 1.01 > 1 -> at-risk; remaining 1 - 101/200 = 0.495.
    let burn_more = [
        m(date(2026, 1, 1), 1600, 1600),
        m(date(2026, 1, 20), 1499, 1600),
    ];
    let r = analyze(&burn_more, &opts);
    assert_close(r.burn_rate_7d, 1.01);
    assert_close(r.budget_remaining, 0.495);
    assert_eq!(r.status, Status::AtRisk);
    // Exhausted wins over at-risk.
    let r = analyze(&[m(date(2026, 1, 1), 10, 16)], &opts);
    assert_eq!(r.status, Status::Exhausted);
    // A 100% objective: no budget; untouched while nothing fails, exhausted after one failure.
    let perfect = SloOptions::new(100.0, rolling(28));
    let r = analyze(&[m(date(2026, 1, 1), 10, 10)], &perfect);
    assert_eq!((r.budget_remaining, r.status), (Some(1.0), Status::Healthy));
    let r = analyze(&[m(date(2026, 1, 1), 9, 10)], &perfect);
    assert_eq!(
        (r.budget_remaining, r.status),
        (Some(0.0), Status::Exhausted)
    );
    assert_eq!(r.burn_rate_7d, None);
}

#[test]
fn month_table_and_sla() {
    // 99.9% objective, 99.5% SLA, 28d.
    // September: 1990 of 2000 = 0.995 -> objective missed, SLA met (exactly).
    // October: 1000 + 998 of 2000 = 0.999 -> objective met (exactly), SLA met.
    let data = [
        m(date(2026, 9, 30), 1990, 2000),
        m(date(2026, 10, 1), 1000, 1000),
        m(date(2026, 10, 2), 998, 1000),
    ];
    let opts = SloOptions {
        sla: Some(99.5),
        ..SloOptions::new(99.9, rolling(28))
    };
    let r = analyze(&data, &opts);
    let rows: Vec<_> = r
        .months
        .iter()
        .map(|m| {
            (
                m.label.as_str(),
                m.year,
                m.month,
                m.good,
                m.total,
                m.met,
                m.sla_met,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2026-09", 2026, 9, 1990, 2000, Some(false), Some(true)),
            ("2026-10", 2026, 10, 1998, 2000, Some(true), Some(true)),
        ]
    );
    assert_close(r.months[0].attainment, 0.995);
    // Window: 3988 of 4000 = 0.997 >= 0.995.
    assert_close(r.attainment, 0.997);
    assert_eq!(r.sla_met, Some(true));
    let strict = SloOptions {
        sla: Some(99.8),
        ..opts
    };
    assert_eq!(analyze(&data, &strict).sla_met, Some(false));
}

#[test]
fn spike_threshold_edge() {
    // 93.75% over 5d; one day of 16 events with 1 bad: full budget 0.0625 * 16 * 5 = 5 events,
    // consumed 1/5 = 0.2 exactly the threshold -> not a spike.
    let opts = SloOptions::new(93.75, rolling(5));
    let r = analyze(&[m(date(2026, 3, 1), 15, 16)], &opts);
    assert_eq!(r.daily[0].budget_consumed, 0.2);
    assert!(!r.daily[0].spike && r.spikes.is_empty());
    // 15 events, 1 bad: 1 / (0.0625 * 15 * 5) = 1/4.6875 = 0.2133 -> a spike.
    let r = analyze(&[m(date(2026, 3, 1), 14, 15)], &opts);
    assert_close(Some(r.daily[0].budget_consumed), 1.0 / 4.6875);
    assert_eq!(r.spikes, vec![date(2026, 3, 1)]);
}

#[test]
fn tolerates_unsorted_duplicate_and_inconsistent_rows() {
    let data = [
        m(date(2026, 9, 2), 5, 10),
        m(date(2026, 9, 1), 20, 10), // good > total: capped at 10
        m(date(2026, 9, 2), 10, 10), // same date: added to the first 09-02
    ];
    let r = analyze(&data, &SloOptions::new(99.0, rolling(28)));
    assert_eq!(r.daily.len(), 2);
    assert_eq!((r.daily[0].good, r.daily[0].total), (10, 10));
    assert_eq!((r.good, r.total), (25, 30));
    let r = analyze(
        &[m(Date::MIN, 1, 2)],
        &SloOptions::new(99.0, rolling(u32::MAX)),
    );
    assert_eq!(r.window_start, None);
}

#[test]
fn status_spelling() {
    let all = [
        Status::Healthy,
        Status::AtRisk,
        Status::Exhausted,
        Status::NoData,
    ];
    let names: Vec<_> = all.iter().map(Status::as_str).collect();
    assert_eq!(names, ["healthy", "at-risk", "exhausted", "no-data"]);
}

fn arb_measurements() -> impl Strategy<Value = Vec<Measurement>> {
    prop::collection::vec((0i64..120, 0u64..2000, 0u64..2000), 0..60).prop_map(|rows| {
        rows.into_iter()
            .map(|(off, a, b)| {
                let d = date(2026, 1, 1)
                    .checked_add(jiff::SignedDuration::from_hours(off * 24))
                    .unwrap_or(date(2026, 1, 1));
                // Half the time good > total, to exercise the capping.
                m(d, a, if off % 2 == 0 { a.max(b) } else { b })
            })
            .collect()
    })
}

fn arb_window() -> impl Strategy<Value = Window> {
    prop_oneof![
        (0u32..40).prop_map(|days| Window::Rolling { days }),
        (1u32..40, -400i64..400).prop_map(|(days, off)| Window::Calendar {
            days,
            anchor: date(2026, 1, 1)
                .checked_add(jiff::SignedDuration::from_hours(off * 24))
                .unwrap_or(date(2026, 1, 1))
        }),
        Just(Window::CalendarMonth)
    ]
}

proptest! {
    #[test]
    fn figures_stay_finite_and_in_range(
        data in arb_measurements(),
        window in arb_window(),
        objective in prop_oneof![0.0f64..=100.0, Just(100.0), Just(99.9), any::<f64>()],
    ) {
        let r = analyze(&data, &SloOptions::new(objective, window));
        prop_assert!(r.allowed_fraction.is_finite() && (0.0..=1.0).contains(&r.allowed_fraction));
        prop_assert!(r.days_covered <= r.window_days);
        prop_assert!(r.attainment.is_none_or(|a| (0.0..=1.0).contains(&a)));
        prop_assert!(r.budget_remaining.is_none_or(|b| b.is_finite() && b <= 1.0));
        for b in [r.burn_rate_1d, r.burn_rate_7d].into_iter().flatten() {
            prop_assert!(b.is_finite() && b >= 0.0);
        }
        for p in &r.daily {
            prop_assert!(p.window_attainment.is_none_or(|a| (0.0..=1.0).contains(&a)));
            prop_assert!(p.budget_remaining.is_none_or(|b| !b.is_nan() && b.is_finite()));
            prop_assert!(p.budget_consumed.is_finite() && p.budget_consumed >= 0.0);
        }
        prop_assert_eq!(r.status == Status::NoData, r.total == 0);
        let month_total: u64 = r.months.iter().map(|m| m.total).sum();
        prop_assert_eq!(month_total, r.daily.iter().map(|p| p.total).sum::<u64>());
    }
}

#[test]
fn parses_calendar_windows() {
    let week = Window::Calendar {
        days: 7,
        anchor: MONDAY_ANCHOR,
    };
    assert_eq!(parse_window("calendar-week"), Ok(week));
    assert_eq!(parse_window("calendar-1w"), Ok(week));
    assert_eq!(
        parse_window("calendar-2w from 2022-01-01"),
        Ok(Window::Calendar {
            days: 14,
            anchor: date(2022, 1, 1)
        })
    );
    assert_eq!(week.label(), "calendar week");
    let odd = Window::Calendar {
        days: 10,
        anchor: date(2022, 1, 1),
    };
    assert_eq!(odd.label(), "calendar 10d");
    assert_eq!(parse_window(&odd.spec()), Ok(odd));
    for bad in [
        "calendar-",
        "calendar-0d",
        "calendar-1w from someday",
        "calendar-calendar-month",
    ] {
        assert!(parse_window(bad).is_err(), "{bad}");
    }
}

#[test]
fn rolling_window_across_a_month_boundary() {
    // 28d ending 2026-03-10: March 1..=10 is 10 days, so 18 days of February: 02-11 ..= 02-28.
    let data = days(date(2026, 2, 1), 38, 100, &[(date(2026, 2, 10), 5)]);
    let r = analyze(&data, &SloOptions::new(99.0, rolling(28)));
    assert_eq!(r.as_of, Some(date(2026, 3, 10)));
    assert_eq!(r.window_start, Some(date(2026, 2, 11)));
    // 02-10 just left the window: 2800 events, no bad ones.
    assert_eq!((r.bad, r.total), (0, 2800));
    // In 2028 February has 29 days: the same window starts a day later, on 02-12.
    let leap = days(date(2028, 2, 1), 39, 100, &[]);
    let r = analyze(&leap, &SloOptions::new(99.0, rolling(28)));
    assert_eq!(r.as_of, Some(date(2028, 3, 10)));
    assert_eq!(r.window_start, Some(date(2028, 2, 12)));
}

#[test]
fn calendar_week_resets_on_the_anchor_weekday() {
    // Blocks of 7 days from Saturday 2022-01-01: 01-01..=01-07, 01-08..=01-14.
    let week = Window::Calendar {
        days: 7,
        anchor: date(2022, 1, 1),
    };
    let data = days(date(2022, 1, 5), 8, 100, &[(date(2022, 1, 7), 10)]);
    let r = analyze(&data, &SloOptions::new(99.0, week));
    assert_eq!(r.as_of, Some(date(2022, 1, 12)));
    assert_eq!(r.window_start, Some(date(2022, 1, 8)));
    assert_eq!((r.window_days, r.days_covered, r.partial), (7, 5, true));
    assert_eq!((r.bad, r.total), (0, 500));
    assert_close(r.budget_remaining, 1.0);
    // 01-07 closes the first block: 300 events (from 01-05), 3 allowed, 10 bad: 1 - 10/3.
    assert_close(r.daily[2].budget_remaining, 1.0 - 10.0 / 3.0);
    // 01-08 starts afresh.
    assert_close(r.daily[3].budget_remaining, 1.0);
    // Days before the anchor fall into earlier blocks: Friday 2021-12-31 is in 12-25..=12-31.
    assert_eq!(
        week.start_date(date(2021, 12, 31)),
        Some(date(2021, 12, 25))
    );
    assert_eq!(week.start_date(date(2022, 1, 1)), Some(date(2022, 1, 1)));
    // Monday-anchored weeks: Sunday 2026-11-22 belongs to the week from Monday 11-16.
    let iso = parse_window("calendar-week").unwrap();
    assert_eq!(iso.start_date(date(2026, 11, 22)), Some(date(2026, 11, 16)));
    assert_eq!(iso.start_date(date(2026, 11, 23)), Some(date(2026, 11, 23)));
}

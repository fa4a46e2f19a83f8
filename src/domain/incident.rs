//! Incident timelines: time to detect, mitigate and resolve, the order of the stages, medians
//! for the library's statistics, and quarter labels for grouping.
//!
//! All three durations are measured from `started_at` (the contract's definition), so they read
//! as "how long the users were affected before we noticed / stopped the bleeding / were done",
//! and can be compared across incidents without adding up stage-to-stage gaps.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::ser;

/// The four timestamps of a postmortem, each optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct IncidentTimes {
    #[serde(serialize_with = "ser::opt_timestamp")]
    pub started_at: Option<Timestamp>,
    #[serde(serialize_with = "ser::opt_timestamp")]
    pub detected_at: Option<Timestamp>,
    #[serde(serialize_with = "ser::opt_timestamp")]
    pub mitigated_at: Option<Timestamp>,
    #[serde(serialize_with = "ser::opt_timestamp")]
    pub resolved_at: Option<Timestamp>,
}

/// Seconds from `started_at` to each later stage; `None` when either end is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Durations {
    pub to_detect: Option<i64>,
    pub to_mitigate: Option<i64>,
    pub to_resolve: Option<i64>,
}

/// Seconds from `from` to `to`, when both are present. Timestamps are absolute instants, so the
/// offsets the author wrote (`+01:00`, `+02:00`, `Z`) cancel out and daylight-saving changes
/// cannot distort the result.
fn between(from: Option<Timestamp>, to: Option<Timestamp>) -> Option<i64> {
    Some(to?.duration_since(from?).as_secs())
}

/// Time to detect, mitigate and resolve, each measured from `started_at`.
///
/// A stage recorded before the start gives a negative duration rather than `None`: the data is
/// wrong, and hiding it would make it harder to find. [`order_violations`] reports it so the
/// checker can point at the field.
pub fn durations(t: &IncidentTimes) -> Durations {
    Durations {
        to_detect: between(t.started_at, t.detected_at),
        to_mitigate: between(t.started_at, t.mitigated_at),
        to_resolve: between(t.started_at, t.resolved_at),
    }
}

/// Stages that come before an earlier stage: pairs `(later_field, earlier_field)` for the order
/// started <= detected <= mitigated <= resolved, skipping missing stages.
///
/// Each later field is reported at most once, against the present earlier stage with the latest
/// timestamp (the nearest such stage on ties), so one wrong timestamp yields one message rather
/// than one per earlier stage. Equal timestamps are in order (detection can be instantaneous).
pub fn order_violations(t: &IncidentTimes) -> Vec<(&'static str, &'static str)> {
    let stages = [
        ("started_at", t.started_at),
        ("detected_at", t.detected_at),
        ("mitigated_at", t.mitigated_at),
        ("resolved_at", t.resolved_at),
    ];
    let mut out = Vec::new();
    let mut latest: Option<(&'static str, Timestamp)> = None;
    for (name, at) in stages {
        let Some(at) = at else { continue };
        match latest {
            Some((earlier, max)) if at < max => out.push((name, earlier)),
            _ => latest = Some((name, at)),
        }
    }
    out
}

/// Median of `values`; for an even count the mean of the two middle values, truncated toward
/// zero (so it stays a whole number of seconds). `None` for an empty slice.
pub fn median(values: &[i64]) -> Option<i64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let mid = v.len() / 2;
    let upper = *v.get(mid)?;
    if v.len() % 2 == 1 {
        return Some(upper);
    }
    let lower = *v.get(mid.checked_sub(1)?)?;
    // i128 avoids overflow; i128 division truncates toward zero.
    i64::try_from((i128::from(lower) + i128::from(upper)) / 2).ok()
}

/// Quarter of a date, `2026-Q3`: the unit the postmortem library groups statistics by.
pub fn quarter_label(d: Date) -> String {
    format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

/// A quarter as one number (`year * 4 + quarter - 1`), so consecutive quarters are consecutive
/// integers and the gaps between incidents can be filled.
pub fn quarter_number(d: Date) -> i32 {
    i32::from(d.year()) * 4 + i32::from((d.month() - 1) / 3)
}

/// The label of a [`quarter_number`]: `2026-Q3`, the same as [`quarter_label`].
pub fn quarter_name(q: i32) -> String {
    format!("{:04}-Q{}", q.div_euclid(4), q.rem_euclid(4) + 1)
}

/// What makes two root causes (or triggers) the same: letter case, runs of whitespace and
/// trailing punctuation are ignored, so "Connection pool exhaustion." and
/// "connection  pool exhaustion" count as one recurring cause.
pub fn cause_key(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    words
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':', '!'])
        .trim()
        .to_string()
}

/// The UTC offset, in seconds, an RFC 3339 timestamp was written with (`+01:00` -> 3600, `Z` ->
/// 0). `None` when the text is not a timestamp with an offset.
pub fn written_offset(text: &str) -> Option<i32> {
    let pieces = jiff::fmt::temporal::Pieces::parse(text.trim()).ok()?;
    Some(pieces.to_numeric_offset()?.seconds())
}

/// A timestamp as its author wrote it, in their offset: `2026-03-14 23:50 +01:00`, or
/// `2026-03-14 22:50 UTC` for a zero offset. Seconds are shown only when not zero.
///
/// Postmortems are read next to chat logs and dashboards in local time, so the page keeps the
/// author's wall-clock time rather than converting everything to UTC.
pub fn as_written(at: Timestamp, offset_secs: i32) -> String {
    let offset = jiff::tz::Offset::from_seconds(offset_secs).unwrap_or(jiff::tz::Offset::UTC);
    let dt = offset.to_datetime(at);
    let time = if dt.second() == 0 {
        format!("{:02}:{:02}", dt.hour(), dt.minute())
    } else {
        format!("{:02}:{:02}:{:02}", dt.hour(), dt.minute(), dt.second())
    };
    let zone = if offset_secs == 0 {
        "UTC".to_string()
    } else {
        let sign = if offset_secs < 0 { '-' } else { '+' };
        let abs = offset_secs.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
    };
    format!("{} {time} {zone}", dt.date())
}

/// The machine-readable form for a `<time datetime>` attribute, keeping the written offset
/// (`2026-03-14T23:50:00+01:00`).
pub fn datetime_attr(at: Timestamp, offset_secs: i32) -> String {
    let offset = jiff::tz::Offset::from_seconds(offset_secs).unwrap_or(jiff::tz::Offset::UTC);
    let dt = offset.to_datetime(at);
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let abs = offset_secs.unsigned_abs();
    format!(
        "{}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        dt.date(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        abs / 3600,
        abs % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn ts(s: &str) -> Option<Timestamp> {
        s.parse::<Timestamp>().ok()
    }

    #[test]
    fn durations_across_days_and_time_zones() {
        // 23:50+01:00 is 22:50Z; 01:05+02:00 the next day is 23:05Z the same day: 15 minutes.
        let t = IncidentTimes {
            started_at: ts("2026-03-14T23:50:00+01:00"),
            detected_at: ts("2026-03-14T22:58:00Z"), // 8m after 22:50Z
            mitigated_at: ts("2026-03-15T00:02:00+01:00"), // 23:02Z: 12m
            resolved_at: ts("2026-03-15T01:05:00+02:00"),
        };
        assert!(t.started_at.is_some() && t.resolved_at.is_some());
        let d = durations(&t);
        assert_eq!(d.to_detect, Some(8 * 60));
        assert_eq!(d.to_mitigate, Some(12 * 60));
        assert_eq!(d.to_resolve, Some(15 * 60));
        assert!(order_violations(&t).is_empty());
    }

    #[test]
    fn durations_over_several_days_and_a_dst_change() {
        // Europe/Berlin moved to summer time on 2026-03-29 at 02:00+01:00. Friday 2026-03-27
        // 18:00+01:00 (17:00Z) to Monday 2026-03-30 09:30+02:00 (07:30Z): 2d 14h 30m
        // = 2*86400 + 14*3600 + 30*60 = 225,000 s.
        let t = IncidentTimes {
            started_at: ts("2026-03-27T18:00:00+01:00"),
            resolved_at: ts("2026-03-30T09:30:00+02:00"),
            ..IncidentTimes::default()
        };
        assert_eq!(durations(&t).to_resolve, Some(225_000));
    }

    #[test]
    fn missing_ends_give_none() {
        let t = IncidentTimes {
            detected_at: ts("2026-01-01T00:10:00Z"),
            resolved_at: ts("2026-01-01T01:00:00Z"),
            ..IncidentTimes::default()
        };
        assert_eq!(durations(&t), Durations::default());
        let t = IncidentTimes {
            started_at: ts("2026-01-01T00:00:00Z"),
            resolved_at: ts("2026-01-01T01:00:00Z"),
            ..IncidentTimes::default()
        };
        let d = durations(&t);
        assert_eq!(
            (d.to_detect, d.to_mitigate, d.to_resolve),
            (None, None, Some(3600))
        );
    }

    #[test]
    fn order_violations_name_the_fields() {
        // Detected 5 minutes before the start: negative duration and one violation.
        let t = IncidentTimes {
            started_at: ts("2026-01-01T10:00:00Z"),
            detected_at: ts("2026-01-01T09:55:00Z"),
            ..IncidentTimes::default()
        };
        assert_eq!(durations(&t).to_detect, Some(-300));
        assert_eq!(order_violations(&t), vec![("detected_at", "started_at")]);
        // Resolved before mitigated, with detected missing: compared with mitigated.
        let t = IncidentTimes {
            started_at: ts("2026-01-01T10:00:00Z"),
            mitigated_at: ts("2026-01-01T11:00:00Z"),
            resolved_at: ts("2026-01-01T10:30:00Z"),
            ..IncidentTimes::default()
        };
        assert_eq!(order_violations(&t), vec![("resolved_at", "mitigated_at")]);
        // A start written a day late puts everything else before it: one pair per field.
        let t = IncidentTimes {
            started_at: ts("2026-01-02T10:00:00Z"),
            detected_at: ts("2026-01-01T10:05:00Z"),
            mitigated_at: ts("2026-01-01T10:20:00Z"),
            resolved_at: ts("2026-01-01T11:00:00Z"),
        };
        assert_eq!(
            order_violations(&t),
            vec![
                ("detected_at", "started_at"),
                ("mitigated_at", "started_at"),
                ("resolved_at", "started_at"),
            ]
        );
        // Equal timestamps are in order.
        let same = ts("2026-01-01T10:00:00Z");
        let t = IncidentTimes {
            started_at: same,
            detected_at: same,
            mitigated_at: same,
            resolved_at: same,
        };
        assert!(order_violations(&t).is_empty());
        assert!(order_violations(&IncidentTimes::default()).is_empty());
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[42]), Some(42));
        assert_eq!(median(&[900, 60, 300]), Some(300)); // sorted: 60, 300, 900
        assert_eq!(median(&[60, 300, 900, 3600]), Some(600)); // (300 + 900) / 2
        assert_eq!(median(&[1, 2]), Some(1)); // 1.5 truncated
        assert_eq!(median(&[-3, 0]), Some(-1)); // -1.5 truncated toward zero
        assert_eq!(median(&[i64::MAX, i64::MAX]), Some(i64::MAX)); // no overflow
        assert_eq!(median(&[i64::MIN, i64::MAX]), Some(0));
    }

    #[test]
    fn times_keep_the_written_offset() {
        let text = "2026-03-14T23:50:00+01:00";
        let off = written_offset(text).unwrap();
        assert_eq!(off, 3600);
        let at = ts(text).unwrap();
        assert_eq!(as_written(at, off), "2026-03-14 23:50 +01:00");
        assert_eq!(datetime_attr(at, off), "2026-03-14T23:50:00+01:00");
        // The same instant in UTC falls on the same day an hour earlier.
        assert_eq!(as_written(at, 0), "2026-03-14 22:50 UTC");
        assert_eq!(written_offset("2026-03-14T22:50:00Z"), Some(0));
        // Negative and half-hour offsets; seconds only when present.
        let t = "2026-01-01T00:15:30-03:30";
        assert_eq!(written_offset(t), Some(-(3 * 3600 + 1800)));
        assert_eq!(
            as_written(ts(t).unwrap(), written_offset(t).unwrap()),
            "2026-01-01 00:15:30 -03:30"
        );
        // Across midnight: 00:02+01:00 on the 15th is 23:02Z on the 14th.
        let t = "2026-03-15T00:02:00+01:00";
        assert_eq!(as_written(ts(t).unwrap(), 3600), "2026-03-15 00:02 +01:00");
        assert_eq!(as_written(ts(t).unwrap(), 0), "2026-03-14 23:02 UTC");
        assert_eq!(written_offset("yesterday"), None);
        assert_eq!(written_offset("2026-03-14T23:50:00"), None);
    }

    #[test]
    fn quarter_numbers_are_consecutive() {
        let q3 = quarter_number(date(2026, 9, 30));
        assert_eq!(quarter_number(date(2026, 10, 1)), q3 + 1);
        assert_eq!(quarter_number(date(2027, 1, 1)), q3 + 2);
        assert_eq!(quarter_name(q3), "2026-Q3");
        assert_eq!(quarter_name(q3 + 2), "2027-Q1");
        for d in [date(2025, 1, 1), date(2025, 12, 31), date(2026, 5, 5)] {
            assert_eq!(quarter_name(quarter_number(d)), quarter_label(d));
        }
    }

    #[test]
    fn cause_keys() {
        assert_eq!(
            cause_key("  Connection  Pool\tExhaustion. "),
            "connection pool exhaustion"
        );
        assert_eq!(
            cause_key("Retry Storm From Clients"),
            cause_key("retry storm from clients")
        );
        assert_eq!(cause_key("Ünïcode Cause"), "ünïcode cause");
        assert_eq!(cause_key(" . "), "");
    }

    #[test]
    fn quarters() {
        assert_eq!(quarter_label(date(2026, 1, 1)), "2026-Q1");
        assert_eq!(quarter_label(date(2026, 3, 31)), "2026-Q1");
        assert_eq!(quarter_label(date(2026, 4, 1)), "2026-Q2");
        assert_eq!(quarter_label(date(2026, 9, 30)), "2026-Q3");
        assert_eq!(quarter_label(date(2026, 12, 31)), "2026-Q4");
    }

    proptest! {
        #[test]
        fn median_is_within_the_range(v in prop::collection::vec(any::<i64>(), 1..40)) {
            let m = median(&v);
            let (lo, hi) = (v.iter().min().copied(), v.iter().max().copied());
            prop_assert!(m >= lo && m <= hi);
        }

        #[test]
        fn in_order_timelines_have_no_violations(gaps in prop::array::uniform4(0i64..1_000_000)) {
            let mut at = 1_700_000_000i64;
            let mut stamps = [None; 4];
            for (slot, gap) in stamps.iter_mut().zip(gaps) {
                at += gap;
                *slot = Timestamp::from_second(at).ok();
            }
            let t = IncidentTimes {
                started_at: stamps[0],
                detected_at: stamps[1],
                mitigated_at: stamps[2],
                resolved_at: stamps[3],
            };
            prop_assert!(order_violations(&t).is_empty());
            let d = durations(&t);
            prop_assert!(d.to_detect <= d.to_mitigate && d.to_mitigate <= d.to_resolve);
        }
    }
}

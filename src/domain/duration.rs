//! Durations as authors write them (`15m`, `1h30m`, `28d`) and as the portal shows them
//! (`40m 19s`).
//!
//! Escalation steps (`after: 15m`) and SLO windows use the short form; computed values such as
//! error budgets and time to resolve are shown in a form short enough for a table cell, so
//! [`human`] keeps only the two most significant units.

/// Seconds per unit, largest first. Weeks are accepted on input but never produced by [`human`],
/// because "2w 3d" reads worse than "17d" in a table of incident durations.
const UNITS: [(char, i64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

const EXAMPLE: &str = "e.g. `15m`, `1h30m` or `28d`";

/// Parses a duration such as `45s`, `15m`, `1h`, `1h30m`, `7d`, `28d` or `2w` into seconds.
///
/// Units are `s m h d w`, lowercase, each at most once and largest first (`1h30m`, not `30m1h`),
/// so that a typo like `1h1h` is caught instead of silently summed. Whitespace between components
/// is allowed so that the output of [`human`] (`40m 19s`) reads back. `M` (month) is rejected
/// with a hint: months have no fixed length, and SLO windows that follow the calendar are written
/// `calendar-month` and handled by the SLO window parser instead.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err(format!(
            "empty duration: write a number followed by a unit (s, m, h, d or w), {EXAMPLE}"
        ));
    }
    let mut total: i64 = 0;
    let mut last_rank: Option<usize> = None;
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut value: i64 = 0;
        let mut digits = 0usize;
        while let Some(d) = chars
            .next_if(char::is_ascii_digit)
            .and_then(|c| c.to_digit(10))
        {
            digits += 1;
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(d)))
                .ok_or_else(|| format!("duration `{text}` is too large; windows and delays are days or weeks, e.g. `28d`"))?;
        }
        let unit = chars.next();
        if digits == 0 {
            return Err(match unit {
                Some('-') => format!("duration `{text}` must not be negative, {EXAMPLE}"),
                Some(c) => {
                    format!("duration `{text}`: expected a number before `{c}`, {EXAMPLE}")
                }
                None => format!("duration `{text}`: expected a number, {EXAMPLE}"),
            });
        }
        let unit = match unit {
            None => {
                return Err(format!(
                    "duration `{text}`: `{value}` has no unit; add one of s, m, h, d or w, e.g. `{value}m`"
                ));
            }
            Some(c) if c.is_whitespace() => {
                return Err(format!(
                    "duration `{text}`: `{value}` has no unit; add one of s, m, h, d or w, e.g. `{value}m`"
                ));
            }
            Some(c) => c,
        };
        let Some(rank) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(if unit == 'M' {
                format!(
                    "duration `{text}`: `M` (month) is not accepted because months differ in length; use days, e.g. `30d`"
                )
            } else {
                format!(
                    "duration `{text}`: unknown unit `{unit}`; use s, m, h, d or w (lowercase), {EXAMPLE}"
                )
            });
        };
        if last_rank.is_some_and(|r| rank <= r) {
            return Err(format!(
                "duration `{text}`: units must go from largest to smallest, each at most once, e.g. `1h30m`"
            ));
        }
        last_rank = Some(rank);
        let secs = UNITS[rank].1;
        total = value
            .checked_mul(secs)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("duration `{text}` is too large; windows and delays are days or weeks, e.g. `28d`"))?;
    }
    Ok(total)
}

/// Formats seconds with at most the two most significant non-zero units among d, h, m and s,
/// truncating the rest: 2419 -> `40m 19s`, 3900 -> `1h 5m`, 90061 -> `1d 1h`.
///
/// Truncating rather than rounding means the text never claims more time than there was: an
/// error budget of 2419.2 s shows as `40m 19s`, not `40m 20s`. The two units are the two largest
/// *non-zero* ones, so 86401 is `1d 1s` (exact) rather than `1d` (which would hide the second).
/// Negative values get a `-` prefix; zero is `0s`.
pub fn human(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let mut rest = secs.unsigned_abs();
    let mut parts: Vec<String> = Vec::with_capacity(2);
    for (unit, size) in UNITS.iter().skip(1) {
        let size = size.unsigned_abs();
        let n = rest / size;
        rest %= size;
        if n > 0 && parts.len() < 2 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if parts.is_empty() {
        return "0s".to_string();
    }
    format!("{sign}{}", parts.join(" "))
}

/// [`human`] of a fractional number of seconds, truncated toward zero (2419.2 -> `40m 19s`).
///
/// Error budgets are computed as floating point; truncation matches [`human`]'s rule of never
/// overstating. NaN shows as `0s` and infinities saturate, because `as` casts from f64 to i64
/// are saturating in Rust, so no input can panic here.
pub fn human_f(secs: f64) -> String {
    human(secs.trunc() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_single_units() {
        assert_eq!(parse_duration("45s"), Ok(45));
        assert_eq!(parse_duration("15m"), Ok(900)); // 15 * 60
        assert_eq!(parse_duration("1h"), Ok(3_600));
        assert_eq!(parse_duration("7d"), Ok(604_800)); // 7 * 86400
        assert_eq!(parse_duration("28d"), Ok(2_419_200)); // 28 * 86400
        assert_eq!(parse_duration("2w"), Ok(1_209_600)); // 14 * 86400
        assert_eq!(parse_duration("0m"), Ok(0));
    }

    #[test]
    fn parses_compound_and_spaced() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400)); // 3600 + 1800
        assert_eq!(parse_duration("40m 19s"), Ok(2_419)); // 2400 + 19
        assert_eq!(parse_duration(" 1d 1h "), Ok(90_000)); // 86400 + 3600
        assert_eq!(parse_duration("1w2d3h4m5s"), Ok(788_645)); // 604800+172800+10800+240+5
    }

    #[test]
    fn rejects_with_helpful_messages() {
        for (input, needle) in [
            ("", "empty"),
            ("   ", "empty"),
            ("15", "no unit"),
            ("15 m", "no unit"),
            ("1M", "month"),
            ("1H", "unknown unit `H`"),
            ("5y", "unknown unit"),
            ("h", "expected a number"),
            ("-5m", "negative"),
            ("1.5h", "unknown unit `.`"),
            ("30m1h", "largest to smallest"),
            ("1h1h", "largest to smallest"),
            ("99999999999999999999s", "too large"),
            ("9999999999999999w", "too large"),
        ] {
            let err = parse_duration(input).expect_err(input);
            assert!(err.contains(needle), "{input:?}: {err}");
            assert!(err.contains("e.g."), "{input:?} gives no example: {err}");
        }
    }

    #[test]
    fn human_examples_from_the_brief() {
        assert_eq!(human(2_419), "40m 19s"); // 40*60 = 2400, +19
        assert_eq!(human(3_900), "1h 5m"); // 3600 + 5*60
        assert_eq!(human(3_600), "1h");
        assert_eq!(human(90_061), "1d 1h"); // 86400+3600+60+1: the 1m 1s are truncated
        assert_eq!(human(0), "0s");
        assert_eq!(human(59), "59s");
        assert_eq!(human(-3_900), "-1h 5m");
    }

    #[test]
    fn human_truncates_and_skips_zero_units() {
        assert_eq!(human(3_599), "59m 59s");
        assert_eq!(human(7_199), "1h 59m"); // 1h 59m 59s truncated, not rounded to 2h
        assert_eq!(human(86_401), "1d 1s"); // the two largest non-zero units
        assert_eq!(human(1_209_600), "14d"); // weeks are not produced
        assert!(human(i64::MIN).starts_with('-'));
        assert!(!human(i64::MAX).is_empty());
    }

    #[test]
    fn human_f_truncates_toward_zero() {
        assert_eq!(human_f(2_419.2), "40m 19s"); // 99.9% of 28d
        assert_eq!(human_f(59.999), "59s");
        assert_eq!(human_f(-0.5), "0s");
        assert_eq!(human_f(-61.9), "-1m 1s");
        assert_eq!(human_f(f64::NAN), "0s");
        assert!(!human_f(f64::INFINITY).is_empty());
    }

    proptest! {
        #[test]
        fn whole_units_round_trip(
            parts in (0i64..100_000, 0i64..24, 0i64..60, 0i64..60),
            keep in prop::sample::subsequence(vec![0usize, 1, 2, 3], 1..=2),
        ) {
            // A value made of at most two whole units among d, h, m and s (each below the
            // next unit) is shown exactly by human() and reads back to itself.
            let (d, h, m, s) = parts;
            let secs: i64 = [d * 86_400, h * 3_600, m * 60, s]
                .iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, v)| v)
                .sum();
            prop_assert_eq!(parse_duration(&human(secs)), Ok(secs));
        }

        #[test]
        fn human_reads_back_as_at_most_the_value(secs in 0i64..10_000_000_000) {
            let back = parse_duration(&human(secs)).unwrap_or(-1);
            prop_assert!(back >= 0 && back <= secs);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = parse_duration(&s);
        }

        #[test]
        fn human_never_panics(secs in any::<i64>(), f in any::<f64>()) {
            prop_assert!(!human(secs).is_empty());
            prop_assert!(!human_f(f).is_empty());
        }
    }
}

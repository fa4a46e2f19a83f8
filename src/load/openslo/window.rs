//! OpenSLO durations (`{n}{m|h|d|w|M|Q|Y}`) and how a `timeWindow` maps to a portal window.
//!
//! Measurements are daily, so every window becomes whole days: `2w` rolling is `14d`, a rolling
//! month is `30d` (the usual convention of Sloth and Pyrra), a calendar `1M` is `calendar-month`
//! and a calendar `1w` is a week counted from the calendar's `startTime`.

use jiff::civil::Date;

/// A parsed duration shorthand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shorthand {
    pub n: u32,
    pub unit: char,
}

pub fn parse_shorthand(s: &str) -> Result<Shorthand, String> {
    let text = s.trim();
    let hint = "a duration is a whole number and a unit: m (minutes), h, d, w, M (months), Q or Y";
    let Some(unit) = text.chars().last() else {
        return Err(format!("empty duration: {hint}"));
    };
    let number = &text[..text.len() - unit.len_utf8()];
    if !"mhdwMQY".contains(unit) || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("`{text}` is not a duration: {hint}"));
    }
    match number.parse::<u32>() {
        Ok(0) => Err(format!("`{text}` is zero: a window must be longer")),
        Ok(n) => Ok(Shorthand { n, unit }),
        Err(_) => Err(format!("`{text}` is too long")),
    }
}

/// A portal window for an OpenSLO time window, with what the author should hear about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// What [`crate::domain::slo::parse_window`] reads.
    pub window: String,
    /// (code, message, help) of a warning, when the mapping is a guess.
    pub warning: Option<(&'static str, String, String)>,
}

/// Maps a duration to a portal window: `rolling` windows end on each day; calendar ones reset
/// every period from `anchor` (the date of `calendar.startTime`).
pub fn map(d: Shorthand, rolling: bool, anchor: Option<Date>) -> Mapped {
    let text = format!("{}{}", d.n, d.unit);
    let days = |per: u32| d.n.saturating_mul(per);
    let plain = |window: String| Mapped {
        window,
        warning: None,
    };
    let sub_day_secs = match d.unit {
        'm' => Some(u64::from(d.n) * 60),
        'h' => Some(u64::from(d.n) * 3600),
        _ => None,
    };
    if let Some(secs) = sub_day_secs {
        let whole_days = u32::try_from(secs.div_ceil(86_400))
            .unwrap_or(u32::MAX)
            .max(1);
        let window = if rolling {
            format!("{whole_days}d")
        } else {
            calendar_days(whole_days, anchor)
        };
        if secs % 86_400 == 0 {
            return plain(window);
        }
        let (message, help) = if d.unit == 'm' {
            (
                format!(
                    "time window `{text}` is {} minute(s); did you mean `{}M` ({} month(s))?",
                    d.n, d.n, d.n
                ),
                format!(
                    "OpenSLO writes months with a capital M (`{}M`) and minutes with a small m; sitrep measures whole days, so it evaluates this window as {whole_days} day(s)",
                    d.n
                ),
            )
        } else {
            (
                format!("time window `{text}` is shorter than a day or not whole days"),
                format!(
                    "sitrep measures whole days, so it evaluates this window as {whole_days} day(s); write days (`1d`, `28d`) to say so"
                ),
            )
        };
        return Mapped {
            window,
            warning: Some(("suspicious-window", message, help)),
        };
    }
    match (d.unit, rolling) {
        ('d', true) => plain(format!("{}d", d.n)),
        ('w', true) => plain(format!("{}d", days(7))),
        ('M', true) => plain(format!("{}d", days(30))),
        ('Q', true) => plain(format!("{}d", days(90))),
        ('Y', true) => plain(format!("{}d", days(365))),
        ('d', false) => plain(calendar_days(d.n, anchor)),
        ('w', false) => plain(calendar_days(days(7), anchor)),
        ('M', false) if d.n == 1 => plain("calendar-month".into()),
        (unit, _) => {
            let per = match unit {
                'M' => 30,
                'Q' => 90,
                _ => 365,
            };
            let approx = days(per);
            Mapped {
                window: format!("{approx}d"),
                warning: Some((
                    "approximate-window",
                    format!("calendar window `{text}` is evaluated as a rolling {approx}d window"),
                    "sitrep resets calendar windows every month (`1M`) or every n days or weeks (`7d`, `1w`); longer calendar periods are approximated".into(),
                )),
            }
        }
    }
}

fn calendar_days(days: u32, anchor: Option<Date>) -> String {
    match anchor {
        Some(a) => format!("calendar-{days}d from {a}"),
        None if days == 7 => "calendar-week".into(),
        None => format!("calendar-{days}d"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::slo::{Window, parse_window};
    use jiff::civil::date;

    fn sh(s: &str) -> Shorthand {
        parse_shorthand(s).unwrap()
    }

    #[test]
    fn shorthands() {
        assert_eq!(sh("28d"), Shorthand { n: 28, unit: 'd' });
        assert_eq!(sh("1M"), Shorthand { n: 1, unit: 'M' });
        for bad in ["", "d", "28", "1.5d", "-1d", "0d", "3x", "99999999999d"] {
            assert!(parse_shorthand(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rolling_windows() {
        assert_eq!(map(sh("28d"), true, None).window, "28d");
        assert_eq!(map(sh("2w"), true, None).window, "14d");
        assert_eq!(map(sh("1M"), true, None).window, "30d");
        assert_eq!(map(sh("1Q"), true, None).window, "90d");
        assert_eq!(
            map(sh("24h"), true, None),
            Mapped {
                window: "1d".into(),
                warning: None
            }
        );
        let m = map(sh("1m"), true, None);
        assert_eq!(m.window, "1d");
        let (code, msg, _) = m.warning.unwrap();
        assert_eq!(code, "suspicious-window");
        assert!(msg.contains("did you mean `1M`"), "{msg}");
        assert!(map(sh("36h"), true, None).warning.is_some());
    }

    #[test]
    fn calendar_windows() {
        let anchor = Some(date(2022, 1, 1));
        assert_eq!(map(sh("1M"), false, anchor).window, "calendar-month");
        let week = map(sh("1w"), false, anchor).window;
        assert_eq!(week, "calendar-7d from 2022-01-01");
        assert_eq!(
            parse_window(&week),
            Ok(Window::Calendar {
                days: 7,
                anchor: date(2022, 1, 1)
            })
        );
        assert_eq!(map(sh("1w"), false, None).window, "calendar-week");
        let m = map(sh("1m"), false, anchor);
        assert_eq!(m.window, "calendar-1d from 2022-01-01");
        assert!(m.warning.unwrap().1.contains("`1M`"));
        let q = map(sh("1Q"), false, anchor);
        assert_eq!(q.window, "90d");
        assert_eq!(q.warning.unwrap().0, "approximate-window");
        // Every mapped window is one the SLO math reads.
        for s in ["1m", "90m", "1h", "7d", "2w", "1M", "3M", "1Q", "1Y"] {
            for rolling in [true, false] {
                let w = map(sh(s), rolling, anchor).window;
                assert!(parse_window(&w).is_ok(), "{s} {rolling}: {w}");
            }
        }
    }
}

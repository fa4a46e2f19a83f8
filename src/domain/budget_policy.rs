//! Error-budget policy evidence: which budget spikes a postmortem accounts for.
//!
//! The SRE workbook's policy asks for a postmortem when a single incident consumes more than 20%
//! of the window's error budget. A spike day is covered when a postmortem that names the SLO is
//! dated within [`COVER_DAYS`] days of it, before or after: an incident that starts late in the
//! evening burns its budget on the next day, and the postmortem's date is the day it started.

use jiff::civil::Date;

use super::day_number;

/// How far (in days, either way) a postmortem's date may be from the spike it covers.
pub const COVER_DAYS: i64 = 2;

/// True when a postmortem dated `postmortem` covers the spike on `spike`.
pub fn covers(postmortem: Date, spike: Date) -> bool {
    (day_number(postmortem) - day_number(spike)).abs() <= COVER_DAYS
}

/// The spikes no postmortem date covers: for each, a postmortem is owed.
pub fn owed(spikes: &[Date], postmortems: &[Date]) -> Vec<Date> {
    spikes
        .iter()
        .copied()
        .filter(|&s| !postmortems.iter().any(|&p| covers(p, s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn two_days_either_way_and_across_month_and_year_ends() {
        let spike = date(2026, 11, 18);
        assert!(covers(date(2026, 11, 16), spike));
        assert!(covers(date(2026, 11, 20), spike));
        assert!(!covers(date(2026, 11, 15), spike));
        assert!(!covers(date(2026, 11, 21), spike));
        // 2025-12-31 + 2 days = 2026-01-02.
        assert!(covers(date(2026, 1, 2), date(2025, 12, 31)));
        assert!(!covers(date(2026, 1, 3), date(2025, 12, 31)));
        // Leap day: 2028-02-28 .. 2028-03-01 is two days.
        assert!(covers(date(2028, 3, 1), date(2028, 2, 28)));
    }

    #[test]
    fn owed_lists_the_uncovered_spikes() {
        let spikes = [date(2026, 9, 3), date(2026, 10, 1), date(2026, 11, 18)];
        let pms = [date(2026, 9, 2), date(2026, 11, 21)];
        assert_eq!(
            owed(&spikes, &pms),
            vec![date(2026, 10, 1), date(2026, 11, 18)]
        );
        assert!(owed(&[], &pms).is_empty());
        assert_eq!(owed(&spikes[..1], &[]), vec![date(2026, 9, 3)]);
    }
}

//! The pure domain layer of sitrep: the arithmetic and rules behind what the portal computes and
//! shows (see "What the portal computes and shows" in the content model).
//!
//! Everything here is a pure function of its arguments: no I/O, no printing, no clock, and no
//! panics on any input. Keeping the rules free of parsing and rendering lets them be tested with
//! numbers worked out by hand, and lets the loader and the templates change without touching them.

pub mod blameless;
pub mod budget_policy;
pub mod culture;
pub mod duration;
pub mod incident;
pub mod ladder;
pub mod slo;

use jiff::civil::Date;

/// Serialization helpers for jiff values.
///
/// The crate depends on jiff without its `serde` feature, so output structs that carry dates and
/// timestamps serialize them through these functions (`#[serde(serialize_with = ...)]`). Dates
/// come out as `YYYY-MM-DD` and timestamps as RFC 3339 in UTC, which is what templates print and
/// what sorts correctly as text.
pub(crate) mod ser {
    use jiff::Timestamp;
    use jiff::civil::Date;
    use serde::Serializer;

    pub fn date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn opt_date<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn dates<S: Serializer>(ds: &[Date], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ds.iter().map(|d| d.to_string()))
    }

    pub fn opt_timestamp<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.collect_str(t),
            None => s.serialize_none(),
        }
    }
}

/// Days since 1970-01-01 (negative before it).
///
/// Window arithmetic works on these integers rather than on `Date` so that it can never fail:
/// `Date::checked_sub` returns errors near the ends of the supported range, while subtracting
/// integers cannot overflow for any date jiff can represent (years -9999..=9999).
pub(crate) fn day_number(d: Date) -> i64 {
    const EPOCH: Date = Date::constant(1970, 1, 1);
    d.duration_since(EPOCH).as_secs().div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number(Date::constant(1970, 1, 1)), 0);
        assert_eq!(day_number(Date::constant(1970, 1, 2)), 1);
        assert_eq!(day_number(Date::constant(1969, 12, 31)), -1);
        // 2028 is a leap year: 2028-02-29 is one day after 2028-02-28 and one before 2028-03-01.
        let feb28 = day_number(Date::constant(2028, 2, 28));
        assert_eq!(day_number(Date::constant(2028, 2, 29)), feb28 + 1);
        assert_eq!(day_number(Date::constant(2028, 3, 1)), feb28 + 2);
        // The extremes do not panic.
        assert!(day_number(Date::MIN) < day_number(Date::MAX));
    }
}

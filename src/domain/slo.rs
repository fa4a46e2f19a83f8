//! SLO arithmetic from daily event counts: error budget, attainment over the window, budget
//! remaining, burn rates, status, SLA adherence, a per-day series for the chart and a month table.
//!
//! The SLI is event based: over any span of days it is `sum(good) / sum(total)`, never a mean
//! of daily ratios, so a quiet Sunday with 10 requests does not weigh as much as a Monday with a
//! million. Missing days are absent, not zero: a gap in the csv neither helps nor hurts.

use jiff::{SignedDuration, civil::Date};
use serde::Serialize;

use super::{day_number, duration, ser};

/// Default for [`SloOptions::spike_threshold`]: a day that consumes more than a fifth of the
/// window's error budget is worth a marker on the chart.
pub const DEFAULT_SPIKE_THRESHOLD: f64 = 0.2;

/// Tolerance (in percentage points) when comparing an attainment with an objective or SLA.
/// `999 / 1000` and `99.9 / 100` can differ in the last bit of a double; without this a month that
/// met 99.9% exactly could be reported as missed. 1e-9 points is one event in 10^11.
const PERCENT_EPSILON: f64 = 1e-9;

/// The span of days an SLO is evaluated over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Window {
    /// The last `days` calendar days, ending on the day evaluated (that day included).
    Rolling { days: u32 },
    /// From the 1st of the month of the day evaluated up to that day: the budget resets on the 1st.
    CalendarMonth,
    /// Consecutive blocks of `days` days starting on `anchor` (and every `days` days before and
    /// after it): a calendar week resets every 7 days on the anchor's weekday.
    Calendar {
        days: u32,
        #[serde(serialize_with = "ser::date")]
        anchor: Date,
    },
}

/// The anchor of `calendar-week`: a Monday, so weeks are ISO weeks.
pub const MONDAY_ANCHOR: Date = Date::constant(1970, 1, 5);

/// Parses an SLO window: `<n>d` (e.g. `28d`, `30d`, `7d`), `<n>w` (n * 7 days),
/// `calendar-month`, `calendar-week` (Monday to Sunday), or `calendar-<n>d` / `calendar-<n>w`
/// optionally followed by ` from YYYY-MM-DD` (blocks of n days counted from that date; without
/// it, from Monday 1970-01-05).
///
/// Windows are whole days because measurements are daily; `1d12h` would have no meaning here.
pub fn parse_window(s: &str) -> Result<Window, String> {
    const HINT: &str = "e.g. `28d`, `4w`, `calendar-month` or `calendar-week`";
    let text = s.trim();
    if text == "calendar-month" {
        return Ok(Window::CalendarMonth);
    }
    if text == "calendar-week" {
        return Ok(Window::Calendar {
            days: 7,
            anchor: MONDAY_ANCHOR,
        });
    }
    if let Some(rest) = text.strip_prefix("calendar-") {
        let (length, anchor) = match rest.split_once(" from ") {
            Some((l, a)) => {
                let anchor = a.trim().parse::<Date>().map_err(|_| {
                    format!(
                        "SLO window `{text}`: `{}` is not a date (YYYY-MM-DD)",
                        a.trim()
                    )
                })?;
                (l.trim(), anchor)
            }
            None => (rest, MONDAY_ANCHOR),
        };
        return match parse_window(length)? {
            Window::Rolling { days } => Ok(Window::Calendar { days, anchor }),
            _ => Err(format!("SLO window `{text}`: {HINT}")),
        };
    }
    if text.is_empty() {
        return Err(format!("empty SLO window: {HINT}"));
    }
    if text.ends_with('M') || text.contains("month") {
        return Err(format!(
            "SLO window `{text}`: months differ in length; write `calendar-month` for a window that resets on the 1st, or days such as `30d`"
        ));
    }
    let (number, per_unit) = if let Some(n) = text.strip_suffix('d') {
        (n, 1u32)
    } else if let Some(n) = text.strip_suffix('w') {
        (n, 7u32)
    } else {
        return Err(format!(
            "SLO window `{text}`: expected a number of days (`d`) or weeks (`w`), {HINT}"
        ));
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "SLO window `{text}`: expected a whole number before the unit, {HINT}"
        ));
    }
    let days = number
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(per_unit))
        .ok_or_else(|| format!("SLO window `{text}` is too long, {HINT}"))?;
    if days == 0 {
        return Err(format!(
            "SLO window `{text}` must be at least one day, {HINT}"
        ));
    }
    Ok(Window::Rolling { days })
}

impl Window {
    /// Short human label as used in prose ("99.9% over 28d"): `28d` or `calendar month`.
    pub fn label(&self) -> String {
        match self {
            Window::Rolling { days } => format!("{days}d"),
            Window::CalendarMonth => "calendar month".to_string(),
            Window::Calendar { days: 1, .. } => "calendar day".to_string(),
            Window::Calendar { days: 7, .. } => "calendar week".to_string(),
            Window::Calendar { days, .. } => format!("calendar {days}d"),
        }
    }

    /// The spelling [`parse_window`] accepts: `28d`, `calendar-month`, `calendar-7d from
    /// 2022-01-01`.
    pub fn spec(&self) -> String {
        match self {
            Window::Rolling { days } => format!("{days}d"),
            Window::CalendarMonth => "calendar-month".to_string(),
            Window::Calendar { days, anchor } => format!("calendar-{days}d from {anchor}"),
        }
    }

    /// Length in days of the window ending on `as_of`. A calendar month without a date counts
    /// 30 days, a conventional month for quoting a budget before any data exists. A rolling
    /// window of 0 days (only constructible directly) is treated as 1 day.
    pub fn days(&self, as_of: Option<Date>) -> u32 {
        match self {
            Window::Rolling { days } | Window::Calendar { days, .. } => (*days).max(1),
            Window::CalendarMonth => as_of.map_or(30, |d| d.days_in_month().unsigned_abs().into()),
        }
    }

    /// Day number of the first day of the calendar block holding day number `d`.
    fn block_start(days: u32, anchor: Date, d: i64) -> i64 {
        let a = day_number(anchor);
        let len = i64::from(days.max(1));
        a + (d - a).div_euclid(len) * len
    }

    /// Day number (see [`day_number`]) of the first day of the window ending on `d`.
    fn start_day(&self, d: Date) -> i64 {
        match self {
            Window::Rolling { days } => day_number(d) - (i64::from((*days).max(1)) - 1),
            Window::CalendarMonth => day_number(d.first_of_month()),
            Window::Calendar { days, anchor } => Window::block_start(*days, *anchor, day_number(d)),
        }
    }

    /// First date of the window ending on `d`; `None` only before year -9999.
    pub fn start_date(&self, d: Date) -> Option<Date> {
        match self {
            Window::Rolling { days } => {
                let back = (i64::from((*days).max(1)) - 1) * 86_400;
                d.checked_sub(SignedDuration::from_secs(back)).ok()
            }
            Window::CalendarMonth => Some(d.first_of_month()),
            Window::Calendar { days, anchor } => {
                let back = day_number(d) - Window::block_start(*days, *anchor, day_number(d));
                d.checked_sub(SignedDuration::from_secs(back * 86_400)).ok()
            }
        }
    }
}

/// One day of SLI measurements (a row `date,good,total` of the csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measurement {
    #[serde(serialize_with = "ser::date")]
    pub date: Date,
    pub good: u64,
    pub total: u64,
}

/// The fraction of events allowed to be bad: 99.9 -> 0.001.
///
/// Computed as `(100 - objective) / 100` rounded to 1e-9 percentage points, so that 99.9 gives
/// the double nearest 0.001 rather than 0.0009999999999999432 (which `100.0 - 99.9` yields) and a
/// budget spent exactly is exactly 0 rather than -5.7e-14. Objectives outside 0..=100 are
/// clamped and a NaN objective allows nothing, so the result is always finite in 0..=1.
pub fn allowed_bad_fraction(objective_percent: f64) -> f64 {
    if !objective_percent.is_finite() {
        return 0.0;
    }
    let bad_percent = 100.0 - objective_percent.clamp(0.0, 100.0);
    (bad_percent * 1e9).round() / 1e11
}

/// The error budget expressed as full downtime: the window's length times the allowed fraction
/// (99.9% over 28d = 2419.2 s = `40m 19s`). A calendar month uses the length of the month
/// containing `as_of`, or 30 days when there is no date yet.
pub fn allowed_downtime_secs(objective_percent: f64, window: &Window, as_of: Option<Date>) -> f64 {
    f64::from(window.days(as_of)) * 86_400.0 * allowed_bad_fraction(objective_percent)
}

/// What an SLO asks of its measurements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloOptions {
    /// Objective in percent (99.9).
    pub objective: f64,
    /// Optional contractual target in percent, usually below the objective.
    pub sla: Option<f64>,
    pub window: Window,
    /// A day is a spike when it consumed more than this fraction of a full window's budget.
    pub spike_threshold: f64,
}

impl SloOptions {
    /// Options with no SLA and the default spike threshold (0.2).
    pub fn new(objective: f64, window: Window) -> Self {
        SloOptions {
            objective,
            sla: None,
            window,
            spike_threshold: DEFAULT_SPIKE_THRESHOLD,
        }
    }
}

/// The state of an SLO as of the last day with measurements.
///
/// Checked in this order: `NoData` when the window holds no events; `Exhausted` when the budget
/// remaining is <= 0; `AtRisk` when the 7-day burn rate is strictly above 1; else `Healthy`.
/// The 7-day rate is used rather than the 1-day one because a single bad day is noise that the
/// chart and the spike markers already show, while a week burning faster than the budget allows
/// will exhaust it before the window ends. A burn rate of exactly 1 spends the budget exactly
/// over the window, which is what the budget is for, so it is not at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Healthy,
    AtRisk,
    Exhausted,
    NoData,
}

impl Status {
    /// The serialized spelling: `healthy`, `at-risk`, `exhausted`, `no-data`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::AtRisk => "at-risk",
            Status::Exhausted => "exhausted",
            Status::NoData => "no-data",
        }
    }
}

/// One measurement day with the figures of the window ending that day (for the chart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyPoint {
    #[serde(serialize_with = "ser::date")]
    pub date: Date,
    pub good: u64,
    pub total: u64,
    /// That day's good / total; `None` when the day had no events.
    pub attainment: Option<f64>,
    /// Good / total over the window ending that day.
    pub window_attainment: Option<f64>,
    /// Budget remaining in the window ending that day (see [`SloReport::budget_remaining`]).
    pub budget_remaining: Option<f64>,
    /// That day's bad events as a fraction of a *full* window's budget (see [`analyze`]).
    pub budget_consumed: f64,
    /// `budget_consumed > spike_threshold`.
    pub spike: bool,
}

/// One calendar month with data, for the month table and SLA reporting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRow {
    pub year: i16,
    pub month: i8,
    /// `2026-09`.
    pub label: String,
    pub good: u64,
    pub total: u64,
    pub attainment: Option<f64>,
    /// Attainment >= objective; `None` without events.
    pub met: Option<bool>,
    /// Attainment >= SLA; `None` without events or without an SLA.
    pub sla_met: Option<bool>,
}

/// Everything the SLO page shows, as of the last day with measurements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloReport {
    pub objective: f64,
    pub sla: Option<f64>,
    pub window: Window,
    /// [`Window::label`], for templates.
    pub window_label: String,
    /// [`allowed_bad_fraction`] of the objective.
    pub allowed_fraction: f64,
    /// [`allowed_downtime_secs`] for the window ending at `as_of`.
    pub allowed_downtime_secs: f64,
    /// The same as text (`40m 19s`).
    pub allowed_downtime: String,
    /// The last day with measurements: every figure below is "as of" this day.
    #[serde(serialize_with = "ser::opt_date")]
    pub as_of: Option<Date>,
    /// First day of the window ending at `as_of`.
    #[serde(serialize_with = "ser::opt_date")]
    pub window_start: Option<Date>,
    /// Length of the window (for a calendar month: the days in `as_of`'s month).
    pub window_days: u32,
    /// Calendar days of the window that have data to speak for them: from the window's start or
    /// the first measurement, whichever is later, to `as_of` ("12 of 28 days").
    pub days_covered: u32,
    /// `days_covered < window_days`: the page should say the window is not full yet.
    pub partial: bool,
    pub good: u64,
    pub bad: u64,
    pub total: u64,
    /// Good / total over the window; `None` when total is 0.
    pub attainment: Option<f64>,
    /// `1 - bad / (allowed_fraction * total)`: 1 is untouched, 0 spent, negative overspent.
    pub budget_remaining: Option<f64>,
    /// Bad fraction of `as_of` divided by the allowed fraction.
    pub burn_rate_1d: Option<f64>,
    /// Bad fraction of the 7 calendar days ending at `as_of` (those with data) divided by the
    /// allowed fraction. Not reset on the 1st for calendar-month windows: it measures speed.
    pub burn_rate_7d: Option<f64>,
    pub status: Status,
    pub sla_met: Option<bool>,
    /// Not serialized: the charts carry the days; copying them into each page cost a sixth.
    #[serde(skip)]
    pub daily: Vec<DailyPoint>,
    pub months: Vec<MonthRow>,
    #[serde(serialize_with = "ser::dates")]
    pub spikes: Vec<Date>,
}

/// Measurements sorted by date with prefix sums, so that any span of days sums in O(log n).
struct Series {
    rows: Vec<Measurement>,
    days: Vec<i64>,
    pre_good: Vec<u128>,
    pre_total: Vec<u128>,
}

/// Sums over a span of days: good, total and the number of measurement days.
#[derive(Clone, Copy)]
struct Sums {
    good: u128,
    total: u128,
    count: usize,
}

impl Series {
    /// The caller promises sorted, distinct dates with good <= total; this does not rely on it.
    /// Rows are sorted, rows of the same date are added up and `good` is capped at `total`, so
    /// bad input yields odd numbers at worst, never a panic or a NaN.
    fn new(measurements: &[Measurement]) -> Series {
        let mut sorted = measurements.to_vec();
        sorted.sort_by_key(|m| m.date);
        let mut rows: Vec<Measurement> = Vec::with_capacity(sorted.len());
        for m in sorted {
            let m = Measurement {
                good: m.good.min(m.total),
                ..m
            };
            match rows.last_mut() {
                Some(last) if last.date == m.date => {
                    last.good = last.good.saturating_add(m.good);
                    last.total = last.total.saturating_add(m.total);
                }
                _ => rows.push(m),
            }
        }
        let days = rows.iter().map(|m| day_number(m.date)).collect();
        let mut pre_good = vec![0u128];
        let mut pre_total = vec![0u128];
        let (mut g, mut t) = (0u128, 0u128);
        for m in &rows {
            g += u128::from(m.good);
            t += u128::from(m.total);
            pre_good.push(g);
            pre_total.push(t);
        }
        Series {
            rows,
            days,
            pre_good,
            pre_total,
        }
    }

    /// Sums over the measurement days in `from..=to` (day numbers).
    fn sums(&self, from: i64, to: i64) -> Sums {
        let lo = self.days.partition_point(|&d| d < from);
        let hi = self.days.partition_point(|&d| d <= to).max(lo);
        let at = |v: &[u128], i: usize| v.get(i).copied().unwrap_or(0);
        Sums {
            good: at(&self.pre_good, hi).saturating_sub(at(&self.pre_good, lo)),
            total: at(&self.pre_total, hi).saturating_sub(at(&self.pre_total, lo)),
            count: hi - lo,
        }
    }
}

fn ratio(num: u128, den: u128) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn to_u64(v: u128) -> u64 {
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// `1 - bad / (fraction * total)`. With a 100% objective there is no budget: remaining is 1
/// while nothing failed and 0 (exhausted) after the first bad event, avoiding a division by zero.
fn remaining(s: Sums, fraction: f64) -> Option<f64> {
    if s.total == 0 {
        return None;
    }
    let bad = s.total - s.good;
    let allowed = fraction * s.total as f64;
    if allowed > 0.0 {
        Some(1.0 - bad as f64 / allowed)
    } else {
        Some(if bad == 0 { 1.0 } else { 0.0 })
    }
}

/// Bad fraction over the allowed fraction. Undefined (None) without events, and for a 100%
/// objective once an event failed (an infinite rate has no useful number to show).
fn burn(s: Sums, fraction: f64) -> Option<f64> {
    let bad_fraction = ratio(s.total - s.good, s.total)?;
    if fraction > 0.0 {
        Some(bad_fraction / fraction)
    } else {
        (bad_fraction == 0.0).then_some(0.0)
    }
}

/// `attainment >= percent / 100`, with [`PERCENT_EPSILON`] of tolerance.
fn meets(attainment: f64, percent: f64) -> bool {
    attainment * 100.0 + PERCENT_EPSILON >= percent
}

/// Computes the SLO report from daily measurements.
///
/// The window ending on day d covers `d-(days-1) ..= d` (rolling) or the 1st of d's month
/// `..= d` (calendar month); every figure sums good and total over the measurement days inside.
///
/// A day's `budget_consumed` is `day_bad / (allowed_fraction * mean_daily_total * window_days)`,
/// where the mean daily total is taken over the measurement days of the window ending that day.
/// The denominator estimates the budget of a *full* window at the current traffic, so early in a
/// window (or early in the data) a bad day is not exaggerated: 2 bad events out of 500 in the
/// first 5 days of a 28d window at 99% consume 2/28 of the budget, not 2/5.
pub fn analyze(measurements: &[Measurement], opts: &SloOptions) -> SloReport {
    let series = Series::new(measurements);
    let fraction = allowed_bad_fraction(opts.objective);
    let window = opts.window;

    let daily: Vec<DailyPoint> = series
        .rows
        .iter()
        .zip(&series.days)
        .map(|(m, &day)| {
            let w = series.sums(window.start_day(m.date), day);
            let day_bad = m.total - m.good;
            let full_budget = if w.count == 0 {
                0.0
            } else {
                let mean_daily = w.total as f64 / w.count as f64;
                fraction * mean_daily * f64::from(window.days(Some(m.date)))
            };
            let budget_consumed = match (day_bad, full_budget > 0.0) {
                (0, _) => 0.0,
                (bad, true) => bad as f64 / full_budget,
                // No budget at all (100% objective): a bad day consumes all of it.
                (_, false) => 1.0,
            };
            DailyPoint {
                date: m.date,
                good: m.good,
                total: m.total,
                attainment: ratio(m.good.into(), m.total.into()),
                window_attainment: ratio(w.good, w.total),
                budget_remaining: remaining(w, fraction),
                budget_consumed,
                spike: budget_consumed > opts.spike_threshold,
            }
        })
        .collect();

    let as_of = series.rows.last().map(|m| m.date);
    let window_days = window.days(as_of);
    let downtime = allowed_downtime_secs(opts.objective, &window, as_of);
    let mut report = SloReport {
        objective: opts.objective,
        sla: opts.sla,
        window,
        window_label: window.label(),
        allowed_fraction: fraction,
        allowed_downtime_secs: downtime,
        allowed_downtime: duration::human_f(downtime),
        as_of,
        window_start: None,
        window_days,
        days_covered: 0,
        partial: true,
        good: 0,
        bad: 0,
        total: 0,
        attainment: None,
        budget_remaining: None,
        burn_rate_1d: None,
        burn_rate_7d: None,
        status: Status::NoData,
        sla_met: None,
        spikes: daily.iter().filter(|p| p.spike).map(|p| p.date).collect(),
        daily,
        months: months(&series.rows, opts),
    };
    let (Some(as_of), Some(&first)) = (as_of, series.days.first()) else {
        return report;
    };
    let end = day_number(as_of);
    let start = window.start_day(as_of);
    let covered = (end - start.max(first) + 1).clamp(0, i64::from(window_days));
    let w = series.sums(start, end);

    report.window_start = window.start_date(as_of);
    report.days_covered = u32::try_from(covered).unwrap_or(0);
    report.partial = report.days_covered < window_days;
    report.good = to_u64(w.good);
    report.bad = to_u64(w.total - w.good);
    report.total = to_u64(w.total);
    report.attainment = ratio(w.good, w.total);
    report.budget_remaining = remaining(w, fraction);
    report.burn_rate_1d = burn(series.sums(end, end), fraction);
    report.burn_rate_7d = burn(series.sums(end - 6, end), fraction);
    report.status = match (report.budget_remaining, report.burn_rate_7d) {
        (None, _) => Status::NoData,
        (Some(r), _) if r <= 0.0 => Status::Exhausted,
        (_, Some(b)) if b > 1.0 => Status::AtRisk,
        _ => Status::Healthy,
    };
    report.sla_met = opts
        .sla
        .and_then(|sla| report.attainment.map(|a| meets(a, sla)));
    report
}

/// One row per calendar month that has measurements, oldest first.
fn months(rows: &[Measurement], opts: &SloOptions) -> Vec<MonthRow> {
    let mut out: Vec<(i16, i8, u128, u128)> = Vec::new();
    for m in rows {
        let (y, mo) = (m.date.year(), m.date.month());
        match out.last_mut() {
            Some(last) if last.0 == y && last.1 == mo => {
                last.2 += u128::from(m.good);
                last.3 += u128::from(m.total);
            }
            _ => out.push((y, mo, m.good.into(), m.total.into())),
        }
    }
    out.into_iter()
        .map(|(year, month, good, total)| {
            let attainment = ratio(good, total);
            MonthRow {
                year,
                month,
                label: format!("{year:04}-{month:02}"),
                good: to_u64(good),
                total: to_u64(total),
                attainment,
                met: attainment.map(|a| meets(a, opts.objective)),
                sla_met: opts.sla.and_then(|s| attainment.map(|a| meets(a, s))),
            }
        })
        .collect()
}

/// The budget consumed on `date` (see [`DailyPoint::budget_consumed`]), e.g. to show what an
/// incident day cost; `None` when there is no measurement for that day.
pub fn consumed_on(report: &SloReport, date: Date) -> Option<f64> {
    report
        .daily
        .binary_search_by_key(&date, |p| p.date)
        .ok()
        .and_then(|i| report.daily.get(i))
        .map(|p| p.budget_consumed)
}

#[cfg(test)]
#[path = "slo_tests.rs"]
mod tests;

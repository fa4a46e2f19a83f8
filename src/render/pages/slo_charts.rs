//! The two charts of an SLO page, built with [`crate::chart::line`]: attainment against the
//! objective, and budget remaining with the spike days marked.

use crate::chart::{self, LineChart, LineSpec, SeriesSpec};
use crate::domain::slo::SloReport;
use crate::render::views::{attainment_percent, budget_percent, target_percent};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;

fn labels(r: &SloReport) -> Vec<String> {
    r.daily.iter().map(|p| p.date.to_string()).collect()
}

fn span(r: &SloReport) -> String {
    match (r.daily.first(), r.daily.last()) {
        (Some(a), Some(b)) => format!("from {} to {}", a.date, b.date),
        _ => String::new(),
    }
}

/// Attainment over the window ending each day, and each day's own, against the objective (and
/// the SLA). The y axis fits the window attainment and the targets, so a 99.9% objective is not
/// squashed against 100% by one bad day; days below the axis are drawn on its bottom edge, and
/// the data table has every exact value.
pub fn attainment(r: &SloReport) -> LineChart {
    let window: Vec<Option<f64>> = r.daily.iter().map(|p| p.window_attainment).collect();
    let daily: Vec<Option<f64>> = r.daily.iter().map(|p| p.attainment).collect();
    let objective = r.objective / 100.0;
    let mut rules = vec![(
        objective,
        format!("Objective {}", target_percent(r.objective)),
        "objective".to_string(),
    )];
    if let Some(sla) = r.sla {
        rules.push((
            sla / 100.0,
            format!("SLA {}", target_percent(sla)),
            "sla".to_string(),
        ));
    }
    let fitted = window
        .iter()
        .flatten()
        .copied()
        .chain(rules.iter().map(|r| r.0));
    let (lo, hi) = fitted.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = ((hi - lo) * 0.15).max(0.0005);
    let y_range =
        (lo.is_finite() && hi.is_finite()).then(|| ((lo - pad).max(0.0), (hi + pad).min(1.0)));
    let below = daily
        .iter()
        .flatten()
        .filter(|&&v| y_range.is_some_and(|(lo, _)| v < lo))
        .count();
    let mut desc = format!(
        "Attainment of the {} window ending each day and of each day alone, {}, against the objective of {}.",
        r.window_label,
        span(r),
        target_percent(r.objective)
    );
    if below > 0 {
        desc.push_str(&format!(
            " {below} day(s) fell below the bottom of the axis and are drawn on it; the table has their values."
        ));
    }
    chart::line(&LineSpec {
        title: "Attainment against objective".into(),
        desc,
        x_labels: labels(r),
        series: vec![
            SeriesSpec {
                name: format!("{} window", r.window_label),
                class: "window".into(),
                values: window,
            },
            SeriesSpec {
                name: "Day".into(),
                class: "secondary".into(),
                values: daily,
            },
        ],
        y_range,
        rules,
        marks: Vec::new(),
        format_y: &attainment_percent,
        width: WIDTH,
        height: HEIGHT,
    })
}

/// Budget remaining in the window ending each day, with the spike days marked. Overspending is
/// drawn down to -100% at most.
pub fn budget(r: &SloReport) -> LineChart {
    let values: Vec<Option<f64>> = r.daily.iter().map(|p| p.budget_remaining).collect();
    let lowest = values.iter().flatten().copied().fold(0.0f64, f64::min);
    let marks: Vec<usize> = r
        .daily
        .iter()
        .enumerate()
        .filter(|(_, p)| p.spike)
        .map(|(i, _)| i)
        .collect();
    let mut desc = format!(
        "Error budget remaining in the {} window ending each day, {}: 100% is untouched, 0% spent, below 0 overspent.",
        r.window_label,
        span(r)
    );
    if lowest < -1.0 {
        desc.push_str(&format!(
            " The lowest point, {}, is drawn at -100%.",
            budget_percent(lowest)
        ));
    }
    if !r.spikes.is_empty() {
        let days: Vec<String> = r.spikes.iter().map(ToString::to_string).collect();
        desc.push_str(&format!(
            " Marked: {} day(s) that alone used a large share of the budget ({}).",
            days.len(),
            days.join(", ")
        ));
    }
    chart::line(&LineSpec {
        title: "Error budget remaining".into(),
        desc,
        x_labels: labels(r),
        series: vec![SeriesSpec {
            name: "Budget left".into(),
            class: "budget".into(),
            values,
        }],
        y_range: Some((lowest.max(-1.0), 1.0)),
        rules: vec![(0.0, "Budget exhausted".into(), "exhausted".into())],
        marks,
        format_y: &budget_percent,
        width: WIDTH,
        height: HEIGHT,
    })
}

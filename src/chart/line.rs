//! Line charts over a categorical x axis (days, months, assessment dates): several series, gaps
//! where a value is missing, horizontal reference rules (an objective, a target) and marked
//! points (budget spikes).

use serde::Serialize;

use super::{DataTable, Plot, Scale, Tick, chart_id, coord, nice_ticks, push_coord};

/// One series to draw. `values[i]` belongs to `LineSpec::x_labels[i]`; `None` leaves a gap.
#[derive(Debug, Clone)]
pub struct SeriesSpec {
    pub name: String,
    /// A CSS class; the theme colours `.series-<class>` with a custom property.
    pub class: String,
    pub values: Vec<Option<f64>>,
}

/// What a line chart shows. The caller formats values for the axis and the table.
pub struct LineSpec<'a> {
    pub title: String,
    pub desc: String,
    pub x_labels: Vec<String>,
    pub series: Vec<SeriesSpec>,
    /// Fixed y range; `None` fits the data and the rules.
    pub y_range: Option<(f64, f64)>,
    /// Horizontal reference lines: (value, label, class).
    pub rules: Vec<(f64, String, String)>,
    /// Indexes into `x_labels` to mark on the first series (e.g. spike days).
    pub marks: Vec<usize>,
    pub format_y: &'a dyn Fn(f64) -> String,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub x: String,
    pub y: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LineSeries {
    pub name: String,
    pub class: String,
    /// SVG path data; a missing value starts a new subpath.
    pub path: String,
    /// Single points not joined to a neighbour, drawn as dots so they stay visible.
    pub dots: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rule {
    pub y: String,
    pub label: String,
    pub class: String,
}

/// Everything the `charts/line.html` macro needs, already in pixels.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LineChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: String,
    pub height: String,
    pub plot: Plot,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub series: Vec<LineSeries>,
    pub rules: Vec<Rule>,
    pub marks: Vec<Point>,
    pub table: DataTable,
}

/// How many x labels fit under the plot without overlapping.
const MAX_X_TICKS: usize = 6;

pub fn line(spec: &LineSpec) -> LineChart {
    let plot = Plot {
        left: 56.0,
        top: 12.0,
        right: spec.width - 12.0,
        bottom: spec.height - 28.0,
    };
    let n = spec.x_labels.len();
    let values = spec
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied());
    let (lo, hi) = spec.y_range.unwrap_or_else(|| {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.chain(spec.rules.iter().map(|r| r.0)) {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if lo > hi { (0.0, 1.0) } else { (lo, hi) }
    });
    let ys = Scale::new((lo, hi), (plot.bottom, plot.top));
    let xs = Scale::new(
        (0.0, n.saturating_sub(1).max(1) as f64),
        (plot.left, plot.right),
    );
    let x_at = |i: usize| {
        if n == 1 {
            (plot.left + plot.right) / 2.0
        } else {
            xs.map(i as f64)
        }
    };
    let y_at = |v: f64| ys.map(v.clamp(lo.min(hi), lo.max(hi)));

    let series = spec
        .series
        .iter()
        .map(|s| {
            let mut path = String::new();
            let mut dots = Vec::new();
            let mut prev = false;
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) if v.is_finite() => {
                        path.push_str(if prev { "L" } else { "M" });
                        push_coord(&mut path, x_at(i));
                        path.push(' ');
                        push_coord(&mut path, y_at(*v));
                        let next = s
                            .values
                            .get(i + 1)
                            .is_some_and(|n| n.is_some_and(f64::is_finite));
                        if !prev && !next {
                            dots.push(Point {
                                x: coord(x_at(i)),
                                y: coord(y_at(*v)),
                                label: format!("{}: {}", spec.x_labels[i], (spec.format_y)(*v)),
                            });
                        }
                        prev = true;
                    }
                    _ => prev = false,
                }
            }
            LineSeries {
                name: s.name.clone(),
                class: s.class.clone(),
                path,
                dots,
            }
        })
        .collect();

    // Evenly spaced ticks that always include the first and the last point (the "as of" day),
    // so neighbouring labels never crowd each other at either end.
    let count = n.min(MAX_X_TICKS);
    let x_ticks: Vec<Tick> = (0..count)
        .map(|k| {
            let i = if count > 1 {
                (k * (n - 1) + (count - 1) / 2) / (count - 1)
            } else {
                0
            };
            Tick {
                pos: x_at(i),
                label: spec.x_labels[i].clone(),
            }
        })
        .collect();
    let y_ticks = nice_ticks(lo, hi, 4)
        .into_iter()
        .map(|v| Tick {
            pos: ys.map(v),
            label: (spec.format_y)(v),
        })
        .collect();
    let rules = spec
        .rules
        .iter()
        .map(|(v, label, class)| Rule {
            y: coord(y_at(*v)),
            label: label.clone(),
            class: class.clone(),
        })
        .collect();
    let marks = spec
        .marks
        .iter()
        .filter_map(|&i| {
            let v = spec.series.first()?.values.get(i).copied().flatten()?;
            Some(Point {
                x: coord(x_at(i)),
                y: coord(y_at(v)),
                label: format!("{}: {}", spec.x_labels[i], (spec.format_y)(v)),
            })
        })
        .collect();
    let mut headers = vec![String::new()];
    headers.extend(spec.series.iter().map(|s| s.name.clone()));
    let rows = (0..n)
        .map(|i| {
            let mut row = vec![spec.x_labels[i].clone()];
            row.extend(spec.series.iter().map(|s| {
                s.values
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or_else(|| "–".to_string(), |v| (spec.format_y)(v))
            }));
            row
        })
        .collect();
    LineChart {
        id: chart_id("line", &spec.title),
        title: spec.title.clone(),
        desc: spec.desc.clone(),
        width: coord(spec.width),
        height: coord(spec.height),
        plot,
        x_ticks,
        y_ticks,
        series,
        rules,
        marks,
        table: DataTable {
            caption: spec.title.clone(),
            headers,
            rows,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(v: f64) -> String {
        format!("{:.0}%", v * 100.0)
    }

    fn spec(values: Vec<Option<f64>>) -> LineSpec<'static> {
        LineSpec {
            title: "Budget".into(),
            desc: "Budget remaining".into(),
            x_labels: (1..=values.len()).map(|d| format!("d{d}")).collect(),
            series: vec![SeriesSpec {
                name: "Budget left".into(),
                class: "budget".into(),
                values,
            }],
            y_range: Some((0.0, 1.0)),
            rules: vec![(0.5, "half".into(), "objective".into())],
            marks: vec![1],
            format_y: &pct,
            width: 412.0,
            height: 140.0,
        }
    }

    #[test]
    fn path_breaks_at_gaps_and_lone_points_become_dots() {
        let c = line(&spec(vec![Some(1.0), Some(0.5), None, Some(0.0)]));
        // plot: left 56, right 400, top 12, bottom 112; x step = 344/3.
        assert_eq!(c.series[0].path, "M56 12L170.7 62M400 112");
        assert_eq!(c.series[0].dots.len(), 1);
        assert_eq!(c.series[0].dots[0].label, "d4: 0%");
        assert_eq!(c.rules[0].y, "62");
        assert_eq!(c.marks[0].x, "170.7");
        assert_eq!(c.table.headers, vec!["", "Budget left"]);
        assert_eq!(c.table.rows[2], vec!["d3", "–"]);
        assert_eq!(c.id, "line-budget");
    }

    #[test]
    fn values_outside_a_fixed_range_are_clamped() {
        let c = line(&spec(vec![Some(-3.0), Some(2.0)]));
        assert_eq!(c.series[0].path, "M56 112L400 12");
    }

    #[test]
    fn last_label_is_always_shown() {
        let mut s = spec(vec![Some(0.5); 30]);
        s.marks.clear();
        let c = line(&s);
        assert_eq!(c.x_ticks.last().map(|t| t.label.as_str()), Some("d30"));
        assert!(c.x_ticks.len() <= 7);
    }

    #[test]
    fn x_ticks_are_evenly_spaced_from_first_to_last() {
        let mut s = spec(vec![Some(0.5); 117]);
        s.marks.clear();
        let c = line(&s);
        let labels: Vec<&str> = c.x_ticks.iter().map(|t| t.label.as_str()).collect();
        // (k * 116 + 2) / 5 for k = 0..=5.
        assert_eq!(labels, ["d1", "d24", "d47", "d71", "d94", "d117"]);
        assert_eq!(line(&spec(vec![Some(0.5); 3])).x_ticks.len(), 3);
    }

    #[test]
    fn fitted_range_includes_rules() {
        let mut s = spec(vec![Some(0.9), Some(0.95)]);
        s.y_range = None;
        s.rules = vec![(0.99, "objective".into(), "objective".into())];
        let c = line(&s);
        assert_eq!(c.rules[0].y, "12");
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    /// The default theme's macro turns a chart into accessible SVG plus a data table.
    #[test]
    fn default_theme_renders_accessible_svg() {
        let pct = |v: f64| format!("{:.0}%", v * 100.0);
        let chart = line(&LineSpec {
            title: "Budget <left>".into(),
            desc: "Budget remaining per day".into(),
            x_labels: vec!["2026-01-01".into(), "2026-01-02".into()],
            series: vec![SeriesSpec {
                name: "Budget left".into(),
                class: "budget".into(),
                values: vec![Some(1.0), Some(0.25)],
            }],
            y_range: Some((0.0, 1.0)),
            rules: vec![],
            marks: vec![],
            format_y: &pct,
            width: 400.0,
            height: 140.0,
        });
        let html = crate::chart::render_with_theme("line", &chart);
        let doc = scraper::Html::parse_fragment(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let svg = doc.select(&sel("svg[role=img]")).next().expect("svg");
        assert_eq!(
            svg.value().attr("aria-labelledby"),
            Some("line-budget-left-t line-budget-left-d")
        );
        let title: String = doc
            .select(&sel("svg > title"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(title, "Budget <left>");
        assert!(html.contains("Budget &lt;left&gt;"));
        assert_eq!(
            doc.select(&sel("path")).next().unwrap().value().attr("d"),
            Some("M56 12L388 87")
        );
        let cells: Vec<String> = doc
            .select(&sel("tbody td"))
            .map(|c| c.text().collect())
            .collect();
        assert_eq!(cells, vec!["100%", "25%"]);
    }
}

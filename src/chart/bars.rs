//! Bar charts over categories: stacked (postmortems per quarter, one segment per severity) or
//! grouped (median times per severity, one bar per measure). See `line.rs` for the conventions:
//! geometry here, markup in the theme's `charts/bars.html`, colours from CSS custom properties.
//!
//! Meaning is never carried by colour alone: every series also has its own fill pattern (solid,
//! hatched, dotted...), named in the legend in the same order as the stack; every bar has a
//! `<title>` with its category, series and value; segments tall enough show their value; and the
//! data table under the chart holds every figure.

use serde::Serialize;

use super::{DataTable, Plot, Scale, Tick, chart_id, coord, nice_ticks};

/// One series: `values[i]` belongs to `BarSpec::categories[i]`.
#[derive(Debug, Clone)]
pub struct BarSeriesSpec {
    pub name: String,
    /// A CSS class; the theme colours `.bar-<class>` with a custom property.
    pub class: String,
    /// A CSS colour to use instead of the theme's (e.g. a severity colour from sitrep.yaml);
    /// must already be validated.
    pub color: Option<String>,
    pub values: Vec<f64>,
}

pub struct BarSpec<'a> {
    pub title: String,
    pub desc: String,
    pub categories: Vec<String>,
    pub series: Vec<BarSeriesSpec>,
    /// Stack the series in one bar per category (in series order, first at the bottom);
    /// otherwise draw them side by side.
    pub stacked: bool,
    /// Whole-number axis (counts): no ticks between integers.
    pub integer: bool,
    pub format: &'a dyn Fn(f64) -> String,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bar {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    /// "2026-Q3, SEV1: 2", for the bar's `<title>`.
    pub label: String,
    /// The value printed inside the bar when it is tall enough.
    pub text: Option<String>,
    pub text_x: String,
    pub text_y: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BarSeries {
    pub name: String,
    pub class: String,
    pub color: Option<String>,
    /// 0-based position, which picks the fill pattern.
    pub index: usize,
    pub bars: Vec<Bar>,
}

/// Everything the `charts/bars.html` macro needs, already in pixels.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: String,
    pub height: String,
    pub plot: Plot,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub series: Vec<BarSeries>,
    pub table: DataTable,
}

/// How many category labels fit under the plot.
const MAX_X_TICKS: usize = 10;
/// A bar needs this many pixels to hold its value as text.
const MIN_TEXT_HEIGHT: f64 = 14.0;

pub fn bars(spec: &BarSpec) -> BarChart {
    let plot = Plot {
        left: 48.0,
        top: 12.0,
        right: spec.width - 12.0,
        bottom: spec.height - 28.0,
    };
    let n = spec.categories.len();
    let value = |s: &BarSeriesSpec, i: usize| {
        s.values
            .get(i)
            .copied()
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
            .max(0.0)
    };
    let top_value = (0..n)
        .map(|i| {
            if spec.stacked {
                spec.series.iter().map(|s| value(s, i)).sum()
            } else {
                spec.series.iter().map(|s| value(s, i)).fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let mut ticks: Vec<f64> = nice_ticks(0.0, top_value.max(1.0), 4);
    if spec.integer {
        ticks.retain(|t| t.fract() == 0.0);
    }
    let hi = ticks
        .last()
        .copied()
        .filter(|t| *t >= top_value)
        .unwrap_or(top_value)
        .max(1.0);
    let ys = Scale::new((0.0, hi), (plot.bottom, plot.top));
    let band = plot.width() / n.max(1) as f64;
    let group = band * 0.7;
    let lanes = if spec.stacked {
        1
    } else {
        spec.series.len().max(1)
    };
    let bar_w = group / lanes as f64;

    let mut stack = vec![0.0f64; n];
    let series = spec
        .series
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let bars = (0..n)
                .filter_map(|i| {
                    let v = value(s, i);
                    let group_left = plot.left + band * i as f64 + (band - group) / 2.0;
                    let x = if spec.stacked {
                        group_left
                    } else {
                        group_left + bar_w * k as f64
                    };
                    let base = if spec.stacked { stack[i] } else { 0.0 };
                    if spec.stacked {
                        stack[i] += v;
                    }
                    if v <= 0.0 {
                        return None;
                    }
                    let (y_top, y_bottom) = (ys.map(base + v), ys.map(base));
                    let h = y_bottom - y_top;
                    Some(Bar {
                        x: coord(x),
                        y: coord(y_top),
                        w: coord(bar_w),
                        h: coord(h),
                        label: format!("{}, {}: {}", spec.categories[i], s.name, (spec.format)(v)),
                        text: (h >= MIN_TEXT_HEIGHT && spec.stacked).then(|| (spec.format)(v)),
                        text_x: coord(x + bar_w / 2.0),
                        text_y: coord(y_top + h / 2.0),
                    })
                })
                .collect();
            BarSeries {
                name: s.name.clone(),
                class: s.class.clone(),
                color: s.color.clone(),
                index: k,
                bars,
            }
        })
        .collect();

    let step = n.div_ceil(MAX_X_TICKS).max(1);
    let x_ticks = (0..n)
        .step_by(step)
        .map(|i| Tick {
            pos: plot.left + band * (i as f64 + 0.5),
            label: spec.categories[i].clone(),
        })
        .collect();
    let y_ticks = ticks
        .into_iter()
        .filter(|t| *t <= hi)
        .map(|v| Tick {
            pos: ys.map(v),
            label: (spec.format)(v),
        })
        .collect();
    let mut headers = vec![String::new()];
    headers.extend(spec.series.iter().map(|s| s.name.clone()));
    let rows = (0..n)
        .map(|i| {
            let mut row = vec![spec.categories[i].clone()];
            row.extend(spec.series.iter().map(|s| match s.values.get(i) {
                Some(v) if v.is_finite() => (spec.format)(*v),
                _ => "–".to_string(),
            }));
            row
        })
        .collect();
    BarChart {
        id: chart_id("bars", &spec.title),
        title: spec.title.clone(),
        desc: spec.desc.clone(),
        width: coord(spec.width),
        height: coord(spec.height),
        plot,
        x_ticks,
        y_ticks,
        series,
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

    fn count(v: f64) -> String {
        format!("{v}")
    }

    fn spec(stacked: bool) -> BarSpec<'static> {
        BarSpec {
            title: "Per quarter".into(),
            desc: "Postmortems per quarter".into(),
            categories: vec!["Q1".into(), "Q2".into()],
            series: vec![
                BarSeriesSpec {
                    name: "SEV1".into(),
                    class: "sev-1".into(),
                    color: None,
                    values: vec![1.0, 3.0],
                },
                BarSeriesSpec {
                    name: "SEV2".into(),
                    class: "sev-2".into(),
                    color: None,
                    values: vec![0.0, 1.0],
                },
            ],
            stacked,
            integer: true,
            format: &count,
            width: 248.0,
            height: 140.0,
        }
    }

    #[test]
    fn stacked_segments_sit_on_each_other() {
        let c = bars(&spec(true));
        // plot: left 48, right 236 (width 188), top 12, bottom 112; two bands of 94, bars 65.8
        // wide starting 14.1 into the band. Max stack is 4: ticks 0..4, 25 px per unit.
        assert_eq!(c.plot.width(), 188.0);
        let s1 = &c.series[0].bars;
        assert_eq!((s1[0].x.as_str(), s1[0].y.as_str()), ("62.1", "87"));
        assert_eq!((s1[0].w.as_str(), s1[0].h.as_str()), ("65.8", "25"));
        assert_eq!(
            (s1[1].x.as_str(), s1[1].y.as_str(), s1[1].h.as_str()),
            ("156.1", "37", "75")
        );
        // SEV2 is zero in Q1 (no bar) and sits on top of SEV1's 3 in Q2: 12..37.
        let s2 = &c.series[1].bars;
        assert_eq!(s2.len(), 1);
        assert_eq!((s2[0].y.as_str(), s2[0].h.as_str()), ("12", "25"));
        assert_eq!(s2[0].label, "Q2, SEV2: 1");
        assert_eq!(s2[0].text.as_deref(), Some("1"));
        let labels: Vec<&str> = c.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["0", "1", "2", "3", "4"]);
        assert_eq!(c.x_ticks[1].pos, 189.0);
        assert_eq!(c.table.rows[0], vec!["Q1", "1", "0"]);
        assert_eq!(c.id, "bars-per-quarter");
    }

    #[test]
    fn grouped_bars_stand_side_by_side() {
        let c = bars(&spec(false));
        // Max single value 3: ticks 0..3 (integers only), 100/3 px per unit; two lanes of 32.9.
        let a = &c.series[0].bars[1];
        let b = &c.series[1].bars[0];
        assert_eq!((a.x.as_str(), a.w.as_str()), ("156.1", "32.9"));
        assert_eq!((b.x.as_str(), b.y.as_str()), ("189", "78.7"));
        assert_eq!(a.y, "12");
        assert!(a.text.is_none(), "grouped bars carry no text");
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        let mut s = spec(true);
        s.categories.clear();
        s.series.iter_mut().for_each(|x| x.values.clear());
        let c = bars(&s);
        assert!(c.series.iter().all(|x| x.bars.is_empty()));
        assert!(c.table.rows.is_empty());
        let mut s = spec(true);
        s.series[0].values = vec![f64::NAN, -2.0];
        s.series[1].values = vec![0.0, 0.0];
        let c = bars(&s);
        assert!(c.series.iter().all(|x| x.bars.is_empty()));
        assert_eq!(c.table.rows[0][1], "–");
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    #[test]
    fn default_theme_renders_accessible_svg_with_patterns() {
        let count = |v: f64| format!("{v}");
        let chart = bars(&BarSpec {
            title: "Postmortems <per> quarter".into(),
            desc: "Counts by severity".into(),
            categories: vec!["2026-Q1".into(), "2026-Q2".into()],
            series: vec![
                BarSeriesSpec {
                    name: "SEV1".into(),
                    class: "sev-1".into(),
                    color: Some("#b00".into()),
                    values: vec![2.0, 0.0],
                },
                BarSeriesSpec {
                    name: "SEV2".into(),
                    class: "sev-2".into(),
                    color: None,
                    values: vec![1.0, 1.0],
                },
            ],
            stacked: true,
            integer: true,
            format: &count,
            width: 400.0,
            height: 160.0,
        });
        let html = crate::chart::render_with_theme("bars", &chart);
        let doc = scraper::Html::parse_fragment(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let svg = doc.select(&sel("svg[role=img]")).next().expect("svg");
        assert_eq!(
            svg.value().attr("aria-labelledby"),
            Some("bars-postmortems-per-quarter-t bars-postmortems-per-quarter-d")
        );
        assert!(html.contains("Postmortems &lt;per&gt; quarter"));
        // One pattern per series, each rect filled with its series' pattern.
        assert_eq!(doc.select(&sel("pattern")).count(), 2);
        let rects: Vec<_> = doc.select(&sel("g.bar-series rect")).collect();
        assert_eq!(rects.len(), 3);
        assert_eq!(
            rects[0].value().attr("fill"),
            Some("url(#bars-postmortems-per-quarter-p0)")
        );
        let titles: Vec<String> = doc
            .select(&sel("g.bar-series rect title"))
            .map(|t| t.text().collect())
            .collect();
        assert_eq!(titles[0], "2026-Q1, SEV1: 2");
        // The configured colour reaches the pattern, the legend names every series.
        assert!(html.contains("--bar-color: #b00"));
        let legend: Vec<String> = doc
            .select(&sel(".legend .key"))
            .map(|t| t.text().collect())
            .collect();
        assert_eq!(legend, vec!["SEV1", "SEV2"]);
        let cells: Vec<String> = doc
            .select(&sel("tbody td"))
            .map(|c| c.text().collect())
            .collect();
        assert_eq!(cells, vec!["2", "1", "0", "1"]);
    }
}

//! Radar charts: one axis per category around a centre (the six Westrum aspects), one closed
//! shape per series, and an optional target drawn as a dashed ring (the generative threshold).
//! The conventions are those of `line.rs`: geometry here, markup in `charts/radar.html`.

use std::f64::consts::PI;

use serde::Serialize;

use super::{DataTable, chart_id, coord};

/// One axis: a short label drawn at its tip and the full name used in the data table.
#[derive(Debug, Clone)]
pub struct RadarAxis {
    pub short: String,
    pub name: String,
}

/// One shape to draw. `values[i]` belongs to `RadarSpec::axes[i]`; `None` leaves a gap.
#[derive(Debug, Clone)]
pub struct RadarSeriesSpec {
    pub name: String,
    /// A CSS class; the theme colours `.series-<class>` with a custom property.
    pub class: String,
    pub values: Vec<Option<f64>>,
}

pub struct RadarSpec<'a> {
    pub title: String,
    pub desc: String,
    pub axes: Vec<RadarAxis>,
    pub series: Vec<RadarSeriesSpec>,
    /// The value at the centre and at the tips (1 and 7 for the Westrum scale).
    pub range: (f64, f64),
    /// Values at which to draw a grid ring (labelled on the first axis).
    pub rings: Vec<f64>,
    /// A reference value drawn as a dashed ring: (value, label).
    pub target: Option<(f64, String)>,
    pub format: &'a dyn Fn(f64) -> String,
    /// Distance from the centre to the tip of an axis, in pixels.
    pub radius: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RadarPoint {
    pub x: String,
    pub y: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RadarAxisLine {
    /// The tip of the axis.
    pub x: String,
    pub y: String,
    /// Where the label goes, and how it is anchored (`start`, `middle`, `end`).
    pub lx: String,
    pub ly: String,
    pub anchor: &'static str,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RadarRing {
    /// `points` of an SVG polygon.
    pub points: String,
    pub label: String,
    pub ly: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RadarSeries {
    pub name: String,
    pub class: String,
    /// SVG path data: closed when every value is present, open runs around a gap otherwise.
    pub path: String,
    /// Every vertex, so each value can be hovered and a lone value stays visible.
    pub dots: Vec<RadarPoint>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RadarTarget {
    pub points: String,
    pub label: String,
}

/// Everything the `charts/radar.html` macro needs, already in pixels.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RadarChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: String,
    pub height: String,
    pub cx: String,
    pub cy: String,
    pub axes: Vec<RadarAxisLine>,
    pub rings: Vec<RadarRing>,
    pub target: Option<RadarTarget>,
    pub series: Vec<RadarSeries>,
    pub table: DataTable,
}

/// Room around the shape for the axis labels (short labels of about 11 characters at 11px).
const LABEL_GAP: f64 = 10.0;
const SIDE_ROOM: f64 = 78.0;
const TOP_ROOM: f64 = 26.0;

/// The angle of axis `i` of `n`: the first points up, the others follow clockwise.
fn angle(i: usize, n: usize) -> f64 {
    -PI / 2.0 + 2.0 * PI * i as f64 / n.max(1) as f64
}

pub fn radar(spec: &RadarSpec) -> RadarChart {
    let n = spec.axes.len();
    let r = spec.radius;
    let width = 2.0 * (r + LABEL_GAP + SIDE_ROOM);
    let height = 2.0 * (r + TOP_ROOM);
    let (cx, cy) = (width / 2.0, height / 2.0);
    let (lo, hi) = spec.range;
    let dist = |v: f64| {
        if (hi - lo).abs() < f64::EPSILON {
            return 0.0;
        }
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0) * r
    };
    let at = |i: usize, d: f64| {
        let a = angle(i, n);
        (cx + d * a.cos(), cy + d * a.sin())
    };
    let polygon = |d: f64| {
        (0..n)
            .map(|i| {
                let (x, y) = at(i, d);
                format!("{},{}", coord(x), coord(y))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };

    let axes = spec
        .axes
        .iter()
        .enumerate()
        .map(|(i, axis)| {
            let (x, y) = at(i, r);
            let (lx, ly) = at(i, r + LABEL_GAP);
            // Round the cosine so the top and bottom axes centre their labels exactly.
            let c = (angle(i, n).cos() * 1e6).round() / 1e6;
            let anchor = if c > 0.0 {
                "start"
            } else if c < 0.0 {
                "end"
            } else {
                "middle"
            };
            // Labels below the centre hang under their tip, the others sit above it.
            let ly = if ly > cy + 1.0 { ly + 8.0 } else { ly };
            RadarAxisLine {
                x: coord(x),
                y: coord(y),
                lx: coord(lx),
                ly: coord(ly),
                anchor,
                label: axis.short.clone(),
            }
        })
        .collect();
    let rings = spec
        .rings
        .iter()
        .map(|&v| RadarRing {
            points: polygon(dist(v)),
            label: (spec.format)(v),
            ly: coord(cy - dist(v)),
        })
        .collect();
    let target = spec.target.as_ref().map(|(v, label)| RadarTarget {
        points: polygon(dist(*v)),
        label: label.clone(),
    });

    let series = spec
        .series
        .iter()
        .map(|s| {
            let value = |i: usize| s.values.get(i).copied().flatten().filter(|v| v.is_finite());
            let point = |i: usize, v: f64| at(i, dist(v));
            let mut path = String::new();
            if n > 0 && (0..n).all(|i| value(i).is_some()) {
                for i in 0..n {
                    let (x, y) = point(i, value(i).unwrap_or(lo));
                    path.push_str(if i == 0 { "M" } else { "L" });
                    path.push_str(&format!("{} {}", coord(x), coord(y)));
                }
                path.push('Z');
            } else if let Some(gap) = (0..n).find(|&i| value(i).is_none()) {
                // Walk once around the circle starting after a gap, so a run that wraps past
                // the first axis stays one open line.
                let mut prev = false;
                for k in 1..=n {
                    let i = (gap + k) % n;
                    match value(i) {
                        Some(v) => {
                            let (x, y) = point(i, v);
                            path.push_str(if prev { "L" } else { "M" });
                            path.push_str(&format!("{} {}", coord(x), coord(y)));
                            prev = true;
                        }
                        None => prev = false,
                    }
                }
            }
            let dots = (0..n)
                .filter_map(|i| {
                    let v = value(i)?;
                    let (x, y) = point(i, v);
                    Some(RadarPoint {
                        x: coord(x),
                        y: coord(y),
                        label: format!("{}: {}", spec.axes[i].name, (spec.format)(v)),
                    })
                })
                .collect();
            RadarSeries {
                name: s.name.clone(),
                class: s.class.clone(),
                path,
                dots,
            }
        })
        .collect();

    let mut headers = vec![String::new()];
    headers.extend(spec.series.iter().map(|s| s.name.clone()));
    headers.extend(spec.target.iter().map(|(_, label)| label.clone()));
    let rows = spec
        .axes
        .iter()
        .enumerate()
        .map(|(i, axis)| {
            let mut row = vec![axis.name.clone()];
            row.extend(spec.series.iter().map(|s| {
                s.values
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or_else(|| "–".to_string(), |v| (spec.format)(v))
            }));
            row.extend(spec.target.iter().map(|(v, _)| (spec.format)(*v)));
            row
        })
        .collect();
    RadarChart {
        id: chart_id("radar", &spec.title),
        title: spec.title.clone(),
        desc: spec.desc.clone(),
        width: coord(width),
        height: coord(height),
        cx: coord(cx),
        cy: coord(cy),
        axes,
        rings,
        target,
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

    fn two(v: f64) -> String {
        format!("{v:.2}")
    }

    fn spec(values: Vec<Option<f64>>) -> RadarSpec<'static> {
        RadarSpec {
            title: "Identity, 2026-03-16".into(),
            desc: "Six aspects".into(),
            axes: ["A", "B", "C", "D", "E", "F"]
                .iter()
                .map(|s| RadarAxis {
                    short: s.to_string(),
                    name: format!("Aspect {s}"),
                })
                .collect(),
            series: vec![RadarSeriesSpec {
                name: "Team".into(),
                class: "team".into(),
                values,
            }],
            range: (1.0, 7.0),
            rings: vec![4.0, 7.0],
            target: Some((5.0, "Generative from 5.00".into())),
            format: &two,
            radius: 60.0,
        }
    }

    #[test]
    fn geometry_worked_by_hand() {
        // width 2 * (60 + 10 + 78) = 296, height 2 * (60 + 26) = 172: centre (148, 86).
        let c = radar(&spec(vec![Some(7.0); 6]));
        assert_eq!((c.width.as_str(), c.height.as_str()), ("296", "172"));
        assert_eq!((c.cx.as_str(), c.cy.as_str()), ("148", "86"));
        // 7 is the tip: axis 0 straight up (148, 26); axis 1 at -30 degrees:
        // (148 + 60 cos 30, 86 - 60 sin 30) = (200.0, 56); axis 3 straight down (148, 146).
        let p = &c.series[0].path;
        assert!(
            p.starts_with("M148 26L200 56L200 116L148 146L96 116L96 56Z"),
            "{p}"
        );
        assert_eq!(c.axes[0].anchor, "middle");
        assert_eq!(c.axes[1].anchor, "start");
        assert_eq!(c.axes[3].anchor, "middle");
        assert_eq!(c.axes[4].anchor, "end");
        // The bottom label hangs below the tip: 86 + 70 + 8.
        assert_eq!(c.axes[3].ly, "164");
        // Ring at 4 is half way (distance 30); the target at 5 is two thirds (distance 40).
        assert!(
            c.rings[0].points.starts_with("148,56 174,71"),
            "{}",
            c.rings[0].points
        );
        assert_eq!(c.rings[0].ly, "56");
        assert!(c.target.as_ref().unwrap().points.starts_with("148,46 "));
    }

    #[test]
    fn gaps_open_the_shape_and_values_are_clamped() {
        let c = radar(&spec(vec![
            Some(1.0),
            None,
            Some(4.0),
            Some(9.0),
            None,
            Some(4.0),
        ]));
        // 1 is the centre; 9 clamps to the tip (148, 146). Runs: C-D, then F-A (wrapping).
        assert_eq!(c.series[0].path, "M174 101L148 146M122 71L148 86");
        assert_eq!(c.series[0].dots.len(), 4);
        assert_eq!(c.series[0].dots[0].label, "Aspect A: 1.00");
        assert_eq!(c.table.rows[1], vec!["Aspect B", "–", "5.00"]);
        assert_eq!(c.table.headers, vec!["", "Team", "Generative from 5.00"]);
        assert_eq!(c.id, "radar-identity-2026-03-16");
        let empty = radar(&spec(vec![None; 6]));
        assert_eq!(empty.series[0].path, "");
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    #[test]
    fn default_theme_renders_accessible_svg() {
        let fmt = |v: f64| format!("{v:.2}");
        let chart = radar(&RadarSpec {
            title: "Team <A>".into(),
            desc: "Aspect means".into(),
            axes: (0..6)
                .map(|i| RadarAxis {
                    short: format!("a{i}"),
                    name: format!("Aspect {i}"),
                })
                .collect(),
            series: vec![RadarSeriesSpec {
                name: "Means".into(),
                class: "team".into(),
                values: vec![Some(4.0); 6],
            }],
            range: (1.0, 7.0),
            rings: vec![3.0, 5.0, 7.0],
            target: Some((5.0, "Generative".into())),
            format: &fmt,
            radius: 90.0,
        });
        let html = crate::chart::render_with_theme("radar", &chart);
        let doc = scraper::Html::parse_fragment(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let svg = doc.select(&sel("svg[role=img]")).next().expect("svg");
        assert_eq!(
            svg.value().attr("aria-labelledby"),
            Some("radar-team-a-t radar-team-a-d")
        );
        assert!(html.contains("Team &lt;A&gt;"));
        assert_eq!(doc.select(&sel(".radar-target")).count(), 1);
        assert_eq!(doc.select(&sel(".series path")).count(), 1);
        let cells: Vec<String> = doc
            .select(&sel("tbody tr:first-child > *"))
            .map(|c| c.text().collect())
            .collect();
        assert_eq!(cells, vec!["Aspect 0", "4.00", "5.00"]);
    }
}

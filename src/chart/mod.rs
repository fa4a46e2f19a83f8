//! Charts rendered at build time as inline, accessible SVG.
//!
//! Why not a charting crate: plotters and friends emit SVG with inline styles, no `<title>` or
//! `<desc>`, and fixed colours, so dark mode and screen readers lose. Here the geometry (scales,
//! ticks, paths) is computed by plain functions that are unit-tested, and the markup comes from
//! the theme's `charts/*.html` macros: `role="img"`, a title and a description, colours from CSS
//! custom properties (so dark mode and theme overrides work), and the same data as a table.
//!
//! One module for every chart of the portal: line charts (SLO attainment and budget, culture
//! trends), bars (postmortems per quarter) and radar (culture aspects).

use serde::Serialize;

pub mod bars;
pub mod line;
pub mod radar;

pub use bars::{BarChart, BarSeriesSpec, BarSpec, bars};
pub use line::{LineChart, LineSeries, LineSpec, Rule, SeriesSpec, line};
pub use radar::{RadarAxis, RadarChart, RadarSeriesSpec, RadarSpec, radar};

/// A linear map from a data domain to a pixel range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { domain, range }
    }

    /// Maps a value; a degenerate domain maps everything to the middle of the range.
    pub fn map(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON {
            return (r0 + r1) / 2.0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// A labelled position on an axis, in pixels.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tick {
    pub pos: f64,
    pub label: String,
}

/// "Nice" tick values (steps of 1, 2 or 5 times a power of ten) covering `lo..=hi`, at most
/// about `max_ticks` of them.
pub fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || max_ticks == 0 {
        return Vec::new();
    }
    if (hi - lo).abs() < f64::EPSILON {
        return vec![lo];
    }
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let raw = (hi - lo) / max_ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| (hi - lo) / s <= max_ticks as f64)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut v = first;
    while v <= hi + step * 1e-9 {
        // Snap away floating noise such as 0.30000000000000004.
        let snapped = (v / step).round() * step;
        out.push((snapped * 1e9).round() / 1e9);
        v += step;
    }
    out
}

/// Formats a coordinate with at most one decimal, so the SVG stays small and stable.
pub fn coord(v: f64) -> String {
    let mut out = String::new();
    push_coord(&mut out, v);
    out
}

/// [`coord`] appended to `out`: a chart has a few hundred coordinates, and formatting each
/// through a float formatter into a string of its own was most of an SLO chart's cost.
pub fn push_coord(out: &mut String, v: f64) {
    use std::fmt::Write;
    let tenths = (v * 10.0).round();
    // Whole tenths as an integer, exactly, well inside f64's 2^53; anything else (NaN, huge
    // values) takes the float formatter.
    if tenths.abs() >= 1e15 || tenths.is_nan() {
        let r = tenths / 10.0;
        let _ = if r == r.trunc() {
            write!(out, "{}", r as i64)
        } else {
            write!(out, "{r:.1}")
        };
        return;
    }
    let tenths = tenths as i64;
    if tenths < 0 && tenths % 10 != 0 {
        out.push('-');
    }
    let (whole, tenth) = (tenths.abs() / 10, tenths.abs() % 10);
    let _ = if tenth == 0 {
        write!(out, "{}", tenths / 10)
    } else {
        write!(out, "{whole}.{tenth}")
    };
}

/// The chart's data as a table: what screen readers (and anyone who wants the figures) read.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct DataTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Plot area inside the SVG's viewBox.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Plot {
    pub fn width(&self) -> f64 {
        self.right - self.left
    }
    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// A stable, unique-enough element id for a chart's `<title>`/`<desc>` from its title: two charts
/// on one page need different titles anyway.
pub fn chart_id(prefix: &str, title: &str) -> String {
    let slug = crate::url::slugify(title);
    format!("{prefix}-{}", if slug.is_empty() { "chart" } else { &slug })
}

/// Renders `chart` through the default theme's `charts/<name>.html` macro `name`, for the
/// template tests of each chart kind.
#[cfg(test)]
pub(crate) fn render_with_theme(name: &str, chart: &impl Serialize) -> String {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    let mut templates: Vec<(&str, &str)> = crate::render::theme::BUILTIN_TEMPLATES.to_vec();
    let page = format!(r#"{{% import "charts/{name}.html" as ch %}}{{{{ ch::{name}(c=chart) }}}}"#);
    templates.push(("t.html", &page));
    tera.add_raw_templates(templates).expect("theme parses");
    let mut ctx = tera::Context::new();
    ctx.insert("chart", chart);
    tera.render("t.html", &ctx).expect("chart renders")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_maps_ends_and_middle() {
        let s = Scale::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(s.map(0.0), 100.0);
        assert_eq!(s.map(10.0), 0.0);
        assert_eq!(s.map(5.0), 50.0);
        assert_eq!(Scale::new((3.0, 3.0), (0.0, 8.0)).map(3.0), 4.0);
    }

    #[test]
    fn nice_ticks_use_round_steps() {
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(
            nice_ticks(1.0, 7.0, 6),
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
        );
        assert_eq!(nice_ticks(99.0, 100.0, 4), vec![99.0, 99.5, 100.0]);
        assert_eq!(nice_ticks(5.0, 5.0, 4), vec![5.0]);
        assert!(nice_ticks(f64::NAN, 1.0, 4).is_empty());
    }

    #[test]
    fn coords_are_short() {
        assert_eq!(coord(12.0), "12");
        assert_eq!(coord(12.345), "12.3");
        assert_eq!(coord(-0.04), "0");
        assert_eq!(coord(-0.05), "-0.1");
        assert_eq!(coord(-12.0), "-12");
        assert_eq!(coord(-3.26), "-3.3");
        assert_eq!(coord(f64::NAN), "NaN");
    }

    /// The formatter [`push_coord`] replaced, kept as the reference.
    fn coord_by_float_formatting(v: f64) -> String {
        let r = (v * 10.0).round() / 10.0;
        if r == r.trunc() {
            format!("{}", r as i64)
        } else {
            format!("{r:.1}")
        }
    }

    proptest::proptest! {
        #[test]
        fn coords_match_float_formatting(v in proptest::prelude::any::<f64>()) {
            proptest::prop_assert_eq!(coord(v), coord_by_float_formatting(v));
        }

        #[test]
        fn coords_in_a_chart_range_match_float_formatting(v in -10_000.0f64..10_000.0) {
            proptest::prop_assert_eq!(coord(v), coord_by_float_formatting(v));
        }
    }
}

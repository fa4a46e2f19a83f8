//! The postmortem library: `/postmortems/` (newest first, facets, statistics per severity and
//! quarter), one page per facet value (`/postmortems/<facet>/<slug>/`) and the root-cause index
//! (`/postmortems/root-causes/`).

use serde_json::{Value, json};

use super::postmortem::cause_anchor;
use crate::chart::{self, BarSeriesSpec, BarSpec};
use crate::domain::duration;
use crate::index::SiteIndex;
use crate::index::figures::postmortem_library::{CauseEntry, Facet, Library};
use crate::model::Kind;
use crate::render::views::*;

/// Values of a facet shown in a facet page's navigation; the library page shows them all.
/// Every facet page listing every value of every facet made the pages grow with the number of
/// values, and the site with its square: at 50,000 documents (1,250 services) a service page
/// carried 1,400 links and the facet pages were a third of the build.
pub const FACET_NAV_LIMIT: usize = 12;

/// Every facet with its values as links and counts: the library's navigation. With a current
/// value (a facet page), each facet shows only its [`FACET_NAV_LIMIT`] largest values and the
/// current one, and links to the whole list on the library page.
fn facet_nav(index: &SiteIndex, lib: &Library, current: Option<(Facet, &str)>) -> Vec<Value> {
    let library_url = crate::url::kind_url(&index.base_path, Kind::Postmortem);
    Facet::ALL
        .iter()
        .filter(|f| !lib.facet(**f).is_empty())
        .map(|&f| {
            let all = lib.facet(f);
            let shown = match current {
                None => (0..all.len()).collect(),
                Some((cf, slug)) => {
                    let counts: Vec<usize> = all.iter().map(|v| v.docs.len()).collect();
                    let current = (cf == f)
                        .then(|| all.iter().position(|v| v.slug == slug))
                        .flatten();
                    largest(&counts, current, FACET_NAV_LIMIT)
                }
            };
            let values: Vec<Value> = shown
                .iter()
                .map(|&k| {
                    let v = &all[k];
                    json!({
                        "label": v.label,
                        "url": facet_url(&index.base_path, f, &v.slug),
                        "count": v.docs.len(),
                        "current": current == Some((f, v.slug.as_str())),
                    })
                })
                .collect();
            object([
                ("key", json!(f.as_str())),
                ("name", json!(f.label())),
                ("values", Value::Array(values)),
                ("total", json!(all.len())),
                ("hidden", json!(all.len() - shown.len())),
                (
                    "all_url",
                    json!(format!("{library_url}#facet-{}", f.as_str())),
                ),
            ])
        })
        .collect()
}

/// Positions of the `limit` largest counts (the earlier one on a tie) and of `keep` if given,
/// in their original order: the facet's own order (newest year first, severities as
/// configured, names in order) stays, with the smaller values left out.
pub fn largest(counts: &[usize], keep: Option<usize>, limit: usize) -> Vec<usize> {
    let mut by_size: Vec<usize> = (0..counts.len()).collect();
    by_size.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    by_size.truncate(limit);
    if let Some(k) = keep.filter(|k| *k < counts.len() && !by_size.contains(k)) {
        by_size.push(k);
    }
    by_size.sort_unstable();
    by_size
}

/// Rows grouped by year, newest year first (rows are newest first already).
fn by_year(index: &SiteIndex, rows: Vec<&RowValue>) -> Vec<Value> {
    let mut out: Vec<(Option<i16>, Vec<Value>)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some((y, list)) if *y == r.year => list.push(r.value.clone()),
            _ => out.push((r.year, vec![r.value.clone()])),
        }
    }
    out.into_iter()
        .map(|(y, rows)| {
            let label = y.map_or_else(|| "Undated".to_string(), |y| y.to_string());
            object([
                ("id", json!(format!("y-{}", label.to_lowercase()))),
                ("label", json!(label)),
                ("rows", Value::Array(rows)),
                (
                    "url",
                    json!(y.map(|y| facet_url(&index.base_path, Facet::Year, &y.to_string()))),
                ),
            ])
        })
        .collect()
}

pub(super) fn library_page(index: &SiteIndex, rows: &PostmortemRows) -> Value {
    let lib = &index.figures.postmortem_library;
    let all = rows.sorted(index, lib.all.iter().copied());
    let recurring: Vec<Value> = lib
        .root_causes
        .iter()
        .filter(|c| c.docs.len() > 1)
        .map(|c| cause_view(index, rows, c, "c"))
        .collect();
    object([
        ("page_title", json!("Postmortems")),
        ("count", json!(all.len())),
        ("years", Value::Array(by_year(index, all))),
        ("facets", Value::Array(facet_nav(index, lib, None))),
        ("stats", stats(index, lib)),
        ("recurring", Value::Array(recurring)),
        (
            "root_causes_url",
            json!(format!("{}postmortems/root-causes/", index.base_path)),
        ),
        (
            "action_items_url",
            json!(format!("{}action-items/", index.base_path)),
        ),
    ])
}

pub(super) fn facet_page(
    index: &SiteIndex,
    rows: &PostmortemRows,
    facet: Facet,
    slug: &str,
) -> Value {
    let lib = &index.figures.postmortem_library;
    let Some(value) = lib.value(facet, slug) else {
        return json!({"page_title": "Postmortems", "rows": []});
    };
    // The service's or team's own page, beside its library page.
    let doc = match facet {
        Facet::Service => link_to(index, Kind::Service, slug),
        Facet::Team => link_to(index, Kind::Team, slug),
        _ => None,
    };
    let tag_url =
        (facet == Facet::Tag).then(|| crate::url::tag_url(&index.base_path, &value.label));
    let heading = match facet {
        Facet::Year => format!("Postmortems of {}", value.label),
        Facet::Severity => format!("{} postmortems", value.label),
        Facet::Service => format!("Postmortems of the service {}", value.label),
        Facet::Team => format!("Postmortems of the team {}", value.label),
        Facet::Tag => format!("Postmortems tagged #{}", value.label),
    };
    object([
        ("page_title", json!(heading)),
        (
            "facet",
            json!({"key": facet.as_str(), "name": facet.label()}),
        ),
        ("value", json!(value.label)),
        ("own_page", json!(doc)),
        ("tag_url", json!(tag_url)),
        ("rows", rows.values(index, value.docs.iter().copied())),
        (
            "facets",
            Value::Array(facet_nav(index, lib, Some((facet, slug)))),
        ),
        (
            "library_url",
            json!(crate::url::kind_url(&index.base_path, Kind::Postmortem)),
        ),
    ])
}

fn cause_view(index: &SiteIndex, rows: &PostmortemRows, c: &CauseEntry, prefix: &str) -> Value {
    let anchor = if prefix == "c" {
        cause_anchor(&c.text)
    } else {
        format!(
            "{prefix}-{}",
            crate::url::slugify(&crate::domain::incident::cause_key(&c.text))
        )
    };
    object([
        ("anchor", json!(anchor)),
        ("count", json!(c.docs.len())),
        ("postmortems", rows.values(index, c.docs.iter().copied())),
        ("recurring", json!(c.docs.len() > 1)),
        ("text", json!(c.text)),
    ])
}

pub(super) fn root_causes_page(index: &SiteIndex, rows: &PostmortemRows) -> Value {
    let lib = &index.figures.postmortem_library;
    let causes: Vec<Value> = lib
        .root_causes
        .iter()
        .map(|c| cause_view(index, rows, c, "c"))
        .collect();
    let triggers: Vec<Value> = lib
        .triggers
        .iter()
        .map(|c| cause_view(index, rows, c, "t"))
        .collect();
    let recurring = |list: &[CauseEntry]| json!(list.iter().filter(|c| c.docs.len() > 1).count());
    object([
        ("page_title", json!("Root causes and triggers")),
        ("recurring_causes", recurring(&lib.root_causes)),
        ("recurring_triggers", recurring(&lib.triggers)),
        ("root_causes", Value::Array(causes)),
        ("triggers", Value::Array(triggers)),
        (
            "library_url",
            json!(crate::url::kind_url(&index.base_path, Kind::Postmortem)),
        ),
    ])
}

/// Counts per severity per quarter, and median times per severity: tables and charts.
fn stats(index: &SiteIndex, lib: &Library) -> Value {
    let sevs: Vec<SeverityView> = index
        .config
        .severities
        .iter()
        .map(|s| severity(index, &s.id))
        .collect();
    let count = |v: f64| format!("{v}");
    let per_quarter = chart::bars(&BarSpec {
        title: "Postmortems per quarter, by severity".into(),
        desc: format!(
            "Stacked bars, one per quarter from {} to {}; each segment is the number of postmortems of one severity, most severe at the bottom.",
            lib.quarters.first().map_or("", |q| q.0.as_str()),
            lib.quarters.last().map_or("", |q| q.0.as_str()),
        ),
        categories: lib.quarters.iter().map(|q| q.0.clone()).collect(),
        series: sevs
            .iter()
            .enumerate()
            .map(|(rank, s)| BarSeriesSpec {
                name: format!("{} {}", s.id, s.label),
                class: format!("sev-{}", s.rank),
                color: s.color.clone(),
                values: lib.quarters.iter().map(|q| q.1[rank] as f64).collect(),
            })
            .collect(),
        stacked: true,
        integer: true,
        format: &count,
        width: 640.0,
        height: 220.0,
    });
    let quarter_rows: Vec<Value> = lib
        .quarters
        .iter()
        .map(|(q, counts)| json!({"quarter": q, "counts": counts, "total": counts.iter().sum::<usize>()}))
        .collect();

    let with_data: Vec<_> = lib.by_severity.iter().filter(|s| s.count > 0).collect();
    let hours = |v: f64| duration::human((v * 3600.0).round() as i64);
    let as_hours = |s: Option<i64>| s.map_or(f64::NAN, |s| s as f64 / 3600.0);
    let medians = chart::bars(&BarSpec {
        title: "Median time to detect and to resolve, by severity".into(),
        desc: "Grouped bars, two per severity: the median time from the start of the incident to its detection, and to its resolution.".into(),
        categories: with_data.iter().map(|s| sevs[s.rank].id.clone()).collect(),
        series: vec![
            BarSeriesSpec {
                name: "Time to detect".into(),
                class: "detect".into(),
                color: None,
                values: with_data.iter().map(|s| as_hours(s.median_detect)).collect(),
            },
            BarSeriesSpec {
                name: "Time to resolve".into(),
                class: "resolve".into(),
                color: None,
                values: with_data.iter().map(|s| as_hours(s.median_resolve)).collect(),
            },
        ],
        stacked: false,
        integer: false,
        format: &hours,
        width: 640.0,
        height: 220.0,
    });
    let severity_rows: Vec<Value> = lib
        .by_severity
        .iter()
        .map(|s| {
            json!({
                "severity": sevs[s.rank],
                "url": facet_url(&index.base_path, Facet::Severity, &crate::url::slugify(&sevs[s.rank].id)),
                "count": s.count,
                "median_detect": s.median_detect.map(duration::human),
                "median_resolve": s.median_resolve.map(duration::human),
            })
        })
        .collect();
    object([
        ("severities", json!(sevs)),
        ("quarters", Value::Array(quarter_rows)),
        ("per_quarter_chart", json!(per_quarter)),
        ("by_severity", Value::Array(severity_rows)),
        ("medians_chart", json!(medians)),
        (
            "has_medians",
            json!(
                with_data
                    .iter()
                    .any(|s| s.median_detect.is_some() || s.median_resolve.is_some())
            ),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::largest;

    #[test]
    fn largest_keeps_the_biggest_values_in_their_order_and_the_current_one() {
        assert_eq!(largest(&[5, 1, 9, 1, 7], None, 2), vec![2, 4]);
        // Ties go to the earlier value; the current one is kept even when small.
        assert_eq!(largest(&[3, 3, 3, 1], Some(3), 2), vec![0, 1, 3]);
        assert_eq!(largest(&[3, 3, 3, 1], Some(0), 2), vec![0, 1]);
        // Fewer values than the limit: all of them.
        assert_eq!(largest(&[1, 2], Some(1), 12), vec![0, 1]);
        assert_eq!(largest(&[], None, 12), Vec::<usize>::new());
        // A position past the end is ignored rather than shown.
        assert_eq!(largest(&[4, 2], Some(7), 1), vec![0]);
    }
}

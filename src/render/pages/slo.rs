//! SLO pages: the budget in human form, figures as of the last measured day, the two charts,
//! budget spikes with the postmortems that cover them (or a note that one is owed), the
//! month-by-month table, postmortems with what their day cost, and for OpenSLO SLOs what the
//! file said.

use serde_json::{Value, json};

use super::slo_charts;
use crate::domain::{duration, slo};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::render::views::*;

fn op_symbol(op: &str) -> &str {
    match op {
        "lt" => "<",
        "lte" => "≤",
        "gt" => ">",
        "gte" => "≥",
        other => other,
    }
}

/// A rate with at most two decimals: `1.5`, `0.04`.
fn rate(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn openslo_view(o: &OpenSlo) -> Value {
    let objectives: Vec<Value> = o
        .objectives
        .iter()
        .map(|ob| {
            let threshold = match (&ob.op, ob.value) {
                (Some(op), Some(v)) => Some(format!("value {} {v}", op_symbol(op))),
                (None, Some(v)) => Some(format!("value {v}")),
                _ => None,
            };
            json!({
                "name": ob.display_name,
                "target": target_percent(ob.target_percent),
                "threshold": threshold,
                "op": ob.op,
                "time_slice_target": ob.time_slice_target.map(target_percent),
                "time_slice_window": ob.time_slice_window,
            })
        })
        .collect();
    let policies: Vec<Value> = o
        .alert_policies
        .iter()
        .map(|p| {
            let conditions: Vec<Value> = p
                .conditions
                .iter()
                .map(|c| {
                    let rule = match (&c.op, c.threshold) {
                        (Some(op), Some(t)) => Some(format!(
                            "{} {} {}",
                            c.kind.as_deref().unwrap_or("value"),
                            op_symbol(op),
                            rate(t)
                        )),
                        (None, Some(t)) => Some(format!(
                            "{} {}",
                            c.kind.as_deref().unwrap_or("value"),
                            rate(t)
                        )),
                        _ => c.kind.clone(),
                    };
                    json!({
                        "name": c.name,
                        "display_name": c.display_name,
                        "description": c.description,
                        "severity": c.severity,
                        "rule": rule,
                        "lookback_window": c.lookback_window,
                        "alert_after": c.alert_after,
                    })
                })
                .collect();
            json!({
                "name": p.name,
                "display_name": p.display_name,
                "description": p.description,
                "via_ref": p.via_ref,
                "alert_when": p.alert_when,
                "conditions": conditions,
                "targets": p.targets,
            })
        })
        .collect();
    object([
        ("budgeting_method", json!(o.budgeting_method)),
        ("time_window", json!(o.time_window)),
        ("indicator", json!(o.indicator)),
        ("indicator_ref", json!(o.indicator_ref)),
        ("objectives", Value::Array(objectives)),
        ("alert_policies", Value::Array(policies)),
        ("source", json!(o.source)),
    ])
}

pub(super) fn slo_view(index: &SiteIndex, i: DocIdx, s: &Slo, rows: &PostmortemRows) -> Value {
    let report = index.figures.slo_reports.get(&i);
    let window = slo::parse_window(&s.window).ok();
    let as_of = report.and_then(|r| r.as_of);
    let unit = match s.openslo.as_deref().map(|o| o.budgeting_method.as_str()) {
        Some("Timeslices" | "RatioTimeslices") => "time slices",
        _ => "events",
    };
    let budget = window.as_ref().map(|w| {
        let secs = slo::allowed_downtime_secs(s.objective, w, as_of);
        json!({
            "fraction": natural_percent(slo::allowed_bad_fraction(s.objective), 4),
            "downtime": duration::human_f(secs),
            "window": w.label(),
            "days": w.days(as_of),
            "unit": unit,
        })
    });
    let spikes: Vec<Value> = index
        .figures
        .slo_spikes
        .get(&i)
        .map(|v| v.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|sp| {
            let pms: Vec<Link> = sp.postmortems.iter().map(|&p| link(index, p)).collect();
            json!({
                "date": sp.date.to_string(),
                "consumed": natural_percent(sp.consumed, 1),
                "postmortems": pms,
                "owed": pms.is_empty(),
            })
        })
        .collect();
    let owed = spikes.iter().filter(|s| s["owed"] == json!(true)).count();
    let postmortems: Vec<Value> = rows
        .sorted(index, index.referrers(i, Kind::Postmortem))
        .into_iter()
        .map(|row| {
            let consumed = report
                .zip(row.date.parse::<jiff::civil::Date>().ok())
                .and_then(|(r, d)| slo::consumed_on(r, d));
            json!({"row": row.value, "consumed": consumed.map(|c| natural_percent(c, 1))})
        })
        .collect();
    let figures = report.map(|r| {
        json!({
            "months": r.months.iter().map(|m| json!({
                "label": m.label,
                "attainment": m.attainment.map(attainment_percent),
                "good": m.good,
                "total": m.total,
                "bad": m.total - m.good,
                "met": m.met,
                "sla_met": m.sla_met,
            })).collect::<Vec<_>>(),
            "burn_1d": r.burn_rate_1d.map(rate),
            "burn_7d": r.burn_rate_7d.map(rate),
            "bad": r.bad,
            "total": r.total,
        })
    });
    let charts = report.filter(|r| !r.daily.is_empty()).map(|r| {
        json!({
            "attainment": slo_charts::attainment(r),
            "budget": slo_charts::budget(r),
        })
    });
    object([
        ("fm", json!(s)),
        ("row", json!(slo_row(index, i))),
        ("objective", json!(target_percent(s.objective))),
        ("sla", json!(s.sla.map(target_percent))),
        ("service", json!(link_to(index, Kind::Service, &s.service))),
        (
            "policy",
            json!(
                s.error_budget_policy
                    .as_deref()
                    .and_then(|p| link_to(index, Kind::Page, p))
            ),
        ),
        ("budget", budget.unwrap_or(Value::Null)),
        ("report", json!(report)),
        ("figures", figures.unwrap_or(Value::Null)),
        ("charts", charts.unwrap_or(Value::Null)),
        ("spikes", Value::Array(spikes)),
        ("owed", json!(owed)),
        (
            "spike_threshold",
            json!(natural_percent(index.config.slo.budget_spike_threshold, 1)),
        ),
        (
            "openslo",
            s.openslo.as_deref().map_or(Value::Null, openslo_view),
        ),
        ("postmortems", Value::Array(postmortems)),
    ])
}

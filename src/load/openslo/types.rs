//! What an OpenSLO SLO said, resolved (references replaced by the objects they name) and typed
//! for the SLO page. No I/O here: the model re-exports these.

use serde::Serialize;

/// An OpenSLO SLO as written, for display next to the figures sitrep computes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OpenSlo {
    /// `Occurrences`, `Timeslices` or `RatioTimeslices`.
    pub budgeting_method: String,
    pub time_window: TimeWindow,
    pub indicator: Option<Indicator>,
    /// `Some(name)` when the indicator came from an `indicatorRef`.
    pub indicator_ref: Option<String>,
    pub objectives: Vec<Objective>,
    pub alert_policies: Vec<AlertPolicy>,
    /// The document as YAML, with comments dropped.
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeWindow {
    /// The duration shorthand as written (`28d`, `1M`).
    pub duration: String,
    pub rolling: bool,
    pub calendar_start: Option<String>,
    pub time_zone: Option<String>,
    /// The portal window it is evaluated as (`28d`, `calendar-month`).
    pub evaluated_as: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicator {
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// `ratio` or `threshold`.
    pub metric: String,
    pub counter: Option<bool>,
    pub queries: Vec<Query>,
}

/// One metric source of an indicator (`good`, `bad`, `total`, `raw` or `threshold`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Query {
    pub role: String,
    pub source_type: Option<String>,
    pub source_ref: Option<String>,
    /// The source's `spec` flattened to `key: value` lines (`query: sum(rate(...))`).
    pub spec: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Objective {
    pub display_name: Option<String>,
    pub op: Option<String>,
    pub value: Option<f64>,
    /// The target in percent (99.9), from `target` or `targetPercent`.
    pub target_percent: f64,
    /// In percent.
    pub time_slice_target: Option<f64>,
    pub time_slice_window: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertPolicy {
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// True when the SLO names it with an `alertPolicyRef`.
    pub via_ref: bool,
    /// Which of breaching, resolved, no data the policy alerts on.
    pub alert_when: Vec<String>,
    pub conditions: Vec<AlertCondition>,
    pub targets: Vec<NotificationTarget>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertCondition {
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
    /// `burnrate`.
    pub kind: Option<String>,
    pub op: Option<String>,
    pub threshold: Option<f64>,
    pub lookback_window: Option<String>,
    pub alert_after: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NotificationTarget {
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub target: Option<String>,
}

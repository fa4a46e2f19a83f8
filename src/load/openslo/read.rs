//! Reading one OpenSLO object (and the objects written inline in it) from a YAML value, with
//! every problem reported at its line and column. References are kept as [`Slot::Ref`] for
//! [`super::resolve`] to look up across every file of the portal.

use crate::diagnostics::Pos;
use crate::yaml::Value;

use super::types::*;
use super::window;

/// An object written in place, or a reference to one by name.
#[derive(Debug, Clone)]
pub enum Slot<T> {
    Inline(T),
    Ref { name: String, pos: Pos },
}

/// An alert policy whose conditions and targets may still be references.
#[derive(Debug, Clone)]
pub struct PolicyDraft {
    pub policy: AlertPolicy,
    pub conditions: Vec<Slot<AlertCondition>>,
    pub targets: Vec<Slot<NotificationTarget>>,
}

/// An SLO before its references are resolved.
#[derive(Debug, Clone)]
pub struct SloDraft {
    pub name: String,
    pub title: String,
    pub summary: Option<String>,
    pub service: String,
    pub service_pos: Pos,
    /// The portal window (see [`window::map`]).
    pub window: String,
    pub objective: f64,
    pub sla: Option<f64>,
    pub error_budget_policy: Option<(String, Pos)>,
    pub openslo: OpenSlo,
    pub indicator: Option<Slot<Indicator>>,
    pub policies: Vec<Slot<PolicyDraft>>,
    /// False when the document had errors: it is then not published.
    pub ok: bool,
}

/// Annotation naming the portal page of the SLO's error-budget policy.
pub const POLICY_ANNOTATION: &str = "sitrep/error_budget_policy";

pub(super) const OPS: [&str; 4] = ["lt", "lte", "gt", "gte"];
pub(super) const METHODS: [&str; 3] = ["Occurrences", "Timeslices", "RatioTimeslices"];

pub use super::ctx::Ctx;
pub(super) use super::ctx::{get, join, scalar_text};

impl Ctx<'_> {
    /// An SLI: `{metadata, spec: {description, ratioMetric | thresholdMetric}}` at `path`.
    pub fn indicator(&mut self, v: &Value, path: &str) -> Option<Indicator> {
        let (name, display_name) = self.metadata(v, path)?;
        let sp = join(path, "spec");
        let Some(spec) = get(v, "spec") else {
            self.missing(&sp, "");
            return None;
        };
        let mut ind = Indicator {
            name,
            display_name,
            description: self.string(spec, &sp, "description"),
            ..Default::default()
        };
        if let Some(ratio) = get(spec, "ratioMetric") {
            let rp = join(&sp, "ratioMetric");
            ind.metric = "ratio".into();
            ind.counter = self.boolean(ratio, &rp, "counter");
            for role in ["good", "bad", "total", "raw"] {
                if let Some(src) = get(ratio, role) {
                    ind.queries.push(self.query(src, &join(&rp, role), role));
                }
            }
            let has = |r: &str| get(ratio, r).is_some();
            if !has("raw") && !(has("total") && (has("good") || has("bad"))) {
                self.error(
                    &rp,
                    "missing-field",
                    format!("`{rp}` needs `total` and `good` or `bad` (or `raw`)"),
                    "",
                );
            }
        } else if let Some(th) = get(spec, "thresholdMetric") {
            ind.metric = "threshold".into();
            ind.queries
                .push(self.query(th, &join(&sp, "thresholdMetric"), "threshold"));
        } else {
            self.error(
                &sp,
                "missing-field",
                format!("`{sp}` needs a `ratioMetric` or a `thresholdMetric`"),
                "",
            );
        }
        Some(ind)
    }

    pub(super) fn query(&mut self, v: &Value, path: &str, role: &str) -> Query {
        let sp = join(path, "metricSource");
        let src = get(v, "metricSource").unwrap_or(v);
        let spec = match get(src, "spec") {
            Some(Value::Mapping(m)) => m
                .iter()
                .map(|(k, val)| (scalar_text(k), scalar_text(val)))
                .collect(),
            Some(other) => vec![(String::new(), scalar_text(other))],
            None => Vec::new(),
        };
        Query {
            role: role.to_string(),
            source_type: self.string(src, &sp, "type"),
            source_ref: self.string(src, &sp, "metricSourceRef"),
            spec,
        }
    }

    /// An objective of an SLO; the target is checked to lie strictly between 0 and 100%.
    pub(super) fn objective(&mut self, v: &Value, path: &str, method: &str) -> Option<Objective> {
        let op = self.string(v, path, "op");
        if let Some(o) = &op
            && !OPS.contains(&o.as_str())
        {
            self.error(
                &join(path, "op"),
                "invalid-value",
                format!("unknown operator `{o}`"),
                "`op` is one of lt, lte, gt, gte",
            );
        }
        let value = self.number(v, path, "value");
        let target = self.number(v, path, "target");
        let percent = self.number(v, path, "targetPercent");
        let target_percent = match (target, percent) {
            (Some(_), Some(_)) => {
                self.error(
                    &join(path, "targetPercent"),
                    "invalid-value",
                    "write either `target` or `targetPercent`, not both".into(),
                    "",
                );
                return None;
            }
            (Some(t), None) => {
                if !(t > 0.0 && t < 1.0) {
                    self.error(
                        &join(path, "target"),
                        "out-of-range",
                        format!(
                            "`target` is {t}, but must be a fraction between 0 and 1 (exclusive)"
                        ),
                        "write 0.999 for 99.9%, or use `targetPercent: 99.9`",
                    );
                    return None;
                }
                (t * 1e11).round() / 1e9
            }
            (None, Some(p)) => {
                if !(p > 0.0 && p < 100.0) {
                    self.error(
                        &join(path, "targetPercent"),
                        "out-of-range",
                        format!("`targetPercent` is {p}, but must be a percentage between 0 and 100 (exclusive)"),
                        "write the target in percent, e.g. `99.9`",
                    );
                    return None;
                }
                p
            }
            (None, None) => {
                self.missing(&join(path, "target"), " (or `targetPercent`)");
                return None;
            }
        };
        let time_slice_target = self.number(v, path, "timeSliceTarget");
        if let Some(t) = time_slice_target
            && !(t > 0.0 && t <= 1.0)
        {
            self.error(
                &join(path, "timeSliceTarget"),
                "out-of-range",
                format!("`timeSliceTarget` is {t}, but must be a fraction above 0 and at most 1"),
                "",
            );
        }
        let time_slice_window = self.duration(v, path, "timeSliceWindow");
        if matches!(method, "Timeslices" | "RatioTimeslices") && time_slice_window.is_none() {
            self.warning(
                path,
                "missing-field",
                format!("`{method}` budgeting needs `timeSliceWindow` on each objective"),
                "add e.g. `timeSliceWindow: 1m`: the length of one time slice",
            );
        }
        if method == "Timeslices" && time_slice_target.is_none() {
            self.warning(
                path,
                "missing-field",
                "`Timeslices` budgeting needs `timeSliceTarget`: the share of good events that makes a slice good".into(),
                "",
            );
        }
        Some(Objective {
            display_name: self.string(v, path, "displayName"),
            op,
            value,
            target_percent,
            time_slice_target: time_slice_target.map(|t| t * 100.0),
            time_slice_window,
        })
    }

    /// An object written inline: its `kind`, when given, must be `kind`.
    pub(super) fn inline<T>(
        &mut self,
        v: &Value,
        path: &str,
        kind: &str,
        read: fn(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<T> {
        if let Some(k) = self.string(v, path, "kind")
            && k != kind
        {
            self.error(
                &join(path, "kind"),
                "openslo-kind",
                format!("expected an inline `{kind}` here, found `{k}`"),
                "",
            );
            return None;
        }
        read(self, v, path)
    }

    /// An SLO document.
    pub fn slo(&mut self, v: &Value) -> Option<SloDraft> {
        let before = self.errors;
        let (name, display_name) = self.metadata(v, "")?;
        let Some(spec) = get(v, "spec") else {
            self.missing("spec", "");
            return None;
        };
        let service = self.req_string(spec, "spec", "service").unwrap_or_default();
        let service_pos = self.pos("spec.service");

        let indicator = match (
            get(spec, "indicator"),
            self.string(spec, "spec", "indicatorRef"),
        ) {
            (Some(_), Some(_)) => {
                self.error(
                    "spec.indicatorRef",
                    "invalid-value",
                    "write either `indicator` or `indicatorRef`, not both".into(),
                    "",
                );
                None
            }
            (Some(ind), None) => self.indicator(ind, "spec.indicator").map(Slot::Inline),
            (None, Some(r)) => Some(Slot::Ref {
                name: r,
                pos: self.pos("spec.indicatorRef"),
            }),
            (None, None) => {
                // An SLO may put its indicator on each objective (a composite SLO).
                let on_objectives = self
                    .list(spec, "spec", "objectives")
                    .iter()
                    .any(|o| get(o, "indicator").is_some() || get(o, "indicatorRef").is_some());
                // sitrep reads committed measurements, so an SLO without an indicator can still
                // be evaluated: a warning, since the page cannot say what is measured.
                if !on_objectives {
                    self.warning(
                        "spec",
                        "missing-field",
                        "this SLO has no `indicator` or `indicatorRef`: its page cannot say what is measured".into(),
                        "add `indicatorRef: <name of an SLI>` or an inline `indicator`",
                    );
                }
                None
            }
        };

        let method = match self.string(spec, "spec", "budgetingMethod") {
            Some(m) => m,
            None => {
                self.warning(
                    "spec",
                    "missing-field",
                    "`spec.budgetingMethod` is missing: evaluated as `Occurrences`".into(),
                    "write `budgetingMethod: Occurrences`, `Timeslices` or `RatioTimeslices`",
                );
                "Occurrences".to_string()
            }
        };
        if !method.is_empty() && !METHODS.contains(&method.as_str()) {
            let help = crate::suggest::nearest(&method, METHODS)
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("one of {}", METHODS.join(", ")));
            self.error(
                "spec.budgetingMethod",
                "invalid-value",
                format!("unknown budgeting method `{method}`"),
                &help,
            );
        }

        let (time_window, window) = self.time_window(spec);

        let mut objectives = Vec::new();
        let items = self.list(spec, "spec", "objectives");
        if items.is_empty() && get(spec, "objectives").is_none() {
            self.missing("spec.objectives", "");
        }
        for (i, o) in items.into_iter().enumerate() {
            if let Some(obj) = self.objective(o, &format!("spec.objectives.{i}"), &method) {
                objectives.push(obj);
            }
        }
        let objective = objectives.first().map_or(0.0, |o| o.target_percent);
        // An objective named "SLA" is the contractual target, as in the spec's own example.
        let sla = objectives
            .iter()
            .skip(1)
            .find(|o| {
                o.display_name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case("sla"))
            })
            .map(|o| o.target_percent)
            .filter(|&s| s <= objective);

        let mut policies = Vec::new();
        for (i, p) in self
            .list(spec, "spec", "alertPolicies")
            .into_iter()
            .enumerate()
        {
            let path = format!("spec.alertPolicies.{i}");
            if let Some(name) = self.string(p, &path, "alertPolicyRef") {
                policies.push(Slot::Ref {
                    name,
                    pos: self.pos(&join(&path, "alertPolicyRef")),
                });
            } else if let Some(d) = self.inline(p, &path, "AlertPolicy", Ctx::policy) {
                policies.push(Slot::Inline(d));
            }
        }

        let error_budget_policy = get(v, "metadata")
            .and_then(|m| get(m, "annotations"))
            .and_then(|a| get(a, POLICY_ANNOTATION))
            .and_then(Value::as_str)
            .map(|p| {
                (
                    p.to_string(),
                    self.pos(&format!("metadata.annotations.{POLICY_ANNOTATION}")),
                )
            });

        Some(SloDraft {
            title: display_name.unwrap_or_else(|| name.clone()),
            summary: self.string(spec, "spec", "description"),
            name,
            service,
            service_pos,
            window,
            objective,
            sla,
            error_budget_policy,
            openslo: OpenSlo {
                budgeting_method: method,
                time_window,
                objectives,
                source: crate::yaml::to_string(v),
                ..Default::default()
            },
            indicator,
            policies,
            ok: self.errors == before,
        })
    }

    /// `spec.timeWindow`: a list with one entry.
    pub(super) fn time_window(&mut self, spec: &Value) -> (TimeWindow, String) {
        let items = self.list(spec, "spec", "timeWindow");
        let Some(tw) = items.first() else {
            if get(spec, "timeWindow").is_none() {
                self.missing("spec.timeWindow", "");
            }
            return (TimeWindow::default(), String::new());
        };
        if items.len() > 1 {
            self.warning(
                "spec.timeWindow.1",
                "unused-field",
                "only the first time window is used".into(),
                "OpenSLO v1 allows one time window per SLO",
            );
        }
        let path = "spec.timeWindow.0";
        let duration = self.req_string(tw, path, "duration").unwrap_or_default();
        let calendar = get(tw, "calendar");
        let rolling = self
            .boolean(tw, path, "isRolling")
            .unwrap_or(calendar.is_none());
        let cp = format!("{path}.calendar");
        let start = calendar.and_then(|c| self.string(c, &cp, "startTime"));
        let time_zone = calendar.and_then(|c| self.string(c, &cp, "timeZone"));
        let anchor = start.as_deref().and_then(|s| {
            let date = s
                .get(..10)
                .and_then(|d| d.parse::<jiff::civil::Date>().ok());
            if date.is_none() {
                self.error(
                    &format!("{cp}.startTime"),
                    "invalid-value",
                    format!("`startTime` `{s}` does not start with a date (YYYY-MM-DD)"),
                    "write e.g. `2022-01-01 00:00:00`",
                );
            }
            date
        });
        let mut view = TimeWindow {
            duration: duration.clone(),
            rolling,
            calendar_start: start,
            time_zone,
            evaluated_as: String::new(),
        };
        if duration.is_empty() {
            return (view, String::new());
        }
        let d = match window::parse_shorthand(&duration) {
            Ok(d) => d,
            Err(e) => {
                self.error(
                    &format!("{path}.duration"),
                    "invalid-window",
                    e,
                    "e.g. `28d` rolling, or `1M` with a calendar",
                );
                return (view, String::new());
            }
        };
        let mapped = window::map(d, rolling, anchor);
        if let Some((code, msg, help)) = mapped.warning {
            self.warning(&format!("{path}.duration"), code, msg, &help);
        }
        view.evaluated_as = crate::domain::slo::parse_window(&mapped.window)
            .map(|w| w.label())
            .unwrap_or_default();
        (view, mapped.window)
    }
}

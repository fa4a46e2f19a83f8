//! Reading OpenSLO alerting objects: AlertPolicy, AlertCondition and AlertNotificationTarget,
//! inline or top level, with positions. Split from `read.rs`, which reads SLOs and SLIs.

use crate::yaml::Value;

use super::read::*;
use super::types::*;

impl Ctx<'_> {
    /// An AlertCondition object (inline or top level).
    pub fn condition(&mut self, v: &Value, path: &str) -> Option<AlertCondition> {
        let (name, display_name) = self.metadata(v, path)?;
        let sp = join(path, "spec");
        let Some(spec) = get(v, "spec") else {
            self.missing(&sp, "");
            return None;
        };
        let cp = join(&sp, "condition");
        let mut c = AlertCondition {
            name,
            display_name,
            description: self.string(spec, &sp, "description"),
            severity: self.string(spec, &sp, "severity"),
            ..Default::default()
        };
        match get(spec, "condition") {
            Some(cond) => {
                c.kind = self.string(cond, &cp, "kind");
                c.op = self.string(cond, &cp, "op");
                c.threshold = self.number(cond, &cp, "threshold");
                c.lookback_window = self.string(cond, &cp, "lookbackWindow");
                c.alert_after = self.string(cond, &cp, "alertAfter");
                if let Some(o) = &c.op
                    && !OPS.contains(&o.as_str())
                {
                    self.error(
                        &join(&cp, "op"),
                        "invalid-value",
                        format!("unknown operator `{o}`"),
                        "`op` is one of lt, lte, gt, gte",
                    );
                }
            }
            None => self.missing(&cp, ""),
        }
        Some(c)
    }

    pub fn target(&mut self, v: &Value, path: &str) -> Option<NotificationTarget> {
        let (name, display_name) = self.metadata(v, path)?;
        let sp = join(path, "spec");
        let spec = get(v, "spec");
        Some(NotificationTarget {
            name,
            display_name,
            description: spec.and_then(|s| self.string(s, &sp, "description")),
            target: spec.and_then(|s| self.string(s, &sp, "target")),
        })
    }

    /// An AlertPolicy object (inline or top level).
    pub fn policy(&mut self, v: &Value, path: &str) -> Option<PolicyDraft> {
        let (name, display_name) = self.metadata(v, path)?;
        let sp = join(path, "spec");
        let Some(spec) = get(v, "spec") else {
            self.missing(&sp, "");
            return None;
        };
        let before = self.errors;
        let mut alert_when = Vec::new();
        for (key, label) in [
            ("alertWhenBreaching", "breaching"),
            ("alertWhenResolved", "resolved"),
            ("alertWhenNoData", "no data"),
        ] {
            if self.boolean(spec, &sp, key) == Some(true) {
                alert_when.push(label.to_string());
            }
        }
        let mut conditions = Vec::new();
        for (i, c) in self.list(spec, &sp, "conditions").into_iter().enumerate() {
            let p = join(&sp, &format!("conditions.{i}"));
            if let Some(name) = self.string(c, &p, "conditionRef") {
                conditions.push(Slot::Ref {
                    name,
                    pos: self.pos(&join(&p, "conditionRef")),
                });
            } else if let Some(c) = self.inline(c, &p, "AlertCondition", Ctx::condition) {
                conditions.push(Slot::Inline(c));
            }
        }
        if conditions.is_empty() && self.errors == before {
            self.missing(
                &join(&sp, "conditions"),
                ": an alert policy has one condition",
            );
        }
        let mut targets = Vec::new();
        for (i, t) in self
            .list(spec, &sp, "notificationTargets")
            .into_iter()
            .enumerate()
        {
            let p = join(&sp, &format!("notificationTargets.{i}"));
            if let Some(name) = self.string(t, &p, "targetRef") {
                targets.push(Slot::Ref {
                    name,
                    pos: self.pos(&join(&p, "targetRef")),
                });
            } else if let Some(t) = self.inline(t, &p, "AlertNotificationTarget", Ctx::target) {
                targets.push(Slot::Inline(t));
            }
        }
        Some(PolicyDraft {
            policy: AlertPolicy {
                name,
                display_name,
                description: self.string(spec, &sp, "description"),
                via_ref: false,
                alert_when,
                conditions: Vec::new(),
                targets: Vec::new(),
            },
            conditions,
            targets,
        })
    }
}

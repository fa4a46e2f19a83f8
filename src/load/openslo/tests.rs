//! Unit tests of the OpenSLO reader: shapes, positions and cross-file references.

use super::*;

fn load(files: &[(&str, &str)]) -> (Resolved, Vec<Diagnostic>) {
    let mut parsed = Vec::new();
    let mut diags = Vec::new();
    for (name, text) in files {
        let (p, d) = parse(Path::new(name), text);
        parsed.push(p);
        diags.extend(d);
    }
    let r = resolve(&parsed);
    diags.extend(r.diagnostics.iter().cloned());
    (r, diags)
}

fn slo<'a>(r: &'a Resolved, id: &str) -> &'a Slo {
    r.docs
        .iter()
        .find_map(|d| match &d.data {
            KindData::Slo(s) if d.key.id == id => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| {
            panic!(
                "no SLO {id} in {:?}",
                r.docs.iter().map(|d| &d.key).collect::<Vec<_>>()
            )
        })
}

fn codes(diags: &[Diagnostic]) -> Vec<(&str, usize, usize)> {
    diags.iter().map(|d| (d.code, d.line, d.column)).collect()
}

const SLI: &str = "apiVersion: openslo/v1
kind: SLI
metadata:
  name: ok-requests
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(ok[5m]))
    total:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(all[5m]))
";

const POLICY: &str = "apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: fast-burn
spec:
  alertWhenBreaching: true
  conditions:
    - conditionRef: burn-14
  notificationTargets:
    - targetRef: pager
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: burn-14
spec:
  severity: page
  condition:
    kind: burnrate
    op: gte
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 5m
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: pager
spec:
  target: pagerduty
";

#[test]
fn refs_resolve_across_files() {
    let slo_text = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: api
  displayName: API availability
spec:
  service: api
  indicatorRef: ok-requests
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 4w
      isRolling: true
  objectives:
    - displayName: Main
      targetPercent: 99.5
    - displayName: SLA
      target: 0.99
  alertPolicies:
    - alertPolicyRef: fast-burn
";
    let (r, diags) = load(&[("a.yaml", slo_text), ("b.yaml", SLI), ("c.yaml", POLICY)]);
    assert!(diags.is_empty(), "{diags:#?}");
    let s = slo(&r, "api");
    assert_eq!(
        (s.objective, s.sla, s.window.as_str()),
        (99.5, Some(99.0), "28d")
    );
    let o = s.openslo.as_ref().unwrap();
    assert_eq!(o.indicator_ref.as_deref(), Some("ok-requests"));
    let ind = o.indicator.as_ref().unwrap();
    assert_eq!(ind.metric, "ratio");
    assert_eq!(ind.queries.len(), 2);
    assert_eq!(
        ind.queries[0].spec,
        vec![("query".to_string(), "sum(rate(ok[5m]))".to_string())]
    );
    let p = &o.alert_policies[0];
    assert!(p.via_ref);
    assert_eq!(p.alert_when, vec!["breaching"]);
    assert_eq!(p.conditions[0].threshold, Some(14.4));
    assert_eq!(p.conditions[0].lookback_window.as_deref(), Some("1h"));
    assert_eq!(p.targets[0].target.as_deref(), Some("pagerduty"));
    assert_eq!(o.time_window.evaluated_as, "28d");
    assert!(o.source.contains("indicatorRef: ok-requests"));
}

#[test]
fn dangling_refs_are_errors_at_the_reference() {
    let text = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: api
spec:
  service: api
  indicatorRef: ok-requestz
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
  alertPolicies:
    - alertPolicyRef: slow-burn
    - kind: AlertPolicy
      metadata:
        name: inline
      spec:
        conditions:
          - conditionRef: nowhere
";
    let (r, diags) = load(&[("a.yaml", text), ("b.yaml", SLI)]);
    assert_eq!(
        codes(&diags),
        vec![
            ("broken-reference", 7, 17),
            ("broken-reference", 15, 23),
            ("broken-reference", 21, 27),
        ]
    );
    assert_eq!(
        diags[0].help.as_deref(),
        Some("did you mean `ok-requests`?")
    );
    assert!(r.docs.is_empty());
    assert_eq!(r.failed, vec![DocKey::new(Kind::Slo, "api")]);
}

#[test]
fn targets_out_of_range_and_bad_shapes() {
    let text = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: api
spec:
  service: api
  indicator:
    metadata:
      name: x
    spec:
      thresholdMetric:
        metricSource:
          type: Any
  budgetingMethod: Ocurrences
  timeWindow:
    - duration: 28x
  objectives:
    - target: 99.9
    - targetPercent: 100
    - target: 0.9
      targetPercent: 90
    - op: between
      target: 0.9
      timeSliceTarget: 1.5
";
    let (r, diags) = load(&[("a.yaml", text)]);
    assert_eq!(
        codes(&diags),
        vec![
            ("invalid-value", 14, 20),
            ("invalid-window", 16, 17),
            ("out-of-range", 18, 15),
            ("out-of-range", 19, 22),
            ("invalid-value", 21, 22),
            ("invalid-value", 22, 11),
            ("out-of-range", 24, 24),
        ]
    );
    assert_eq!(
        diags[0].help.as_deref(),
        Some("did you mean `Occurrences`?")
    );
    assert!(r.docs.is_empty() && r.failed.len() == 1);
}

#[test]
fn a_one_minute_window_is_a_warning_that_suggests_a_month() {
    let text = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: api
spec:
  service: api
  indicatorRef: ok-requests
  budgetingMethod: Timeslices
  timeWindow:
    - duration: 1m
      isRolling: false
      calendar:
        startTime: 2022-01-01 12:00:00
        timeZone: America/New_York
  objectives:
    - target: 0.99
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
";
    let (r, diags) = load(&[("a.yaml", text), ("b.yaml", SLI)]);
    assert_eq!(codes(&diags), vec![("suspicious-window", 10, 17)]);
    assert_eq!(diags[0].severity, crate::diagnostics::Severity::Warning);
    assert!(
        diags[0].message.contains("did you mean `1M`"),
        "{}",
        diags[0].message
    );
    let s = slo(&r, "api");
    assert_eq!(s.window, "calendar-1d from 2022-01-01");
    let o = s.openslo.as_ref().unwrap();
    assert_eq!(o.time_window.time_zone.as_deref(), Some("America/New_York"));
    assert_eq!(o.objectives[0].time_slice_target, Some(95.0));
}

#[test]
fn services_kinds_and_duplicates() {
    let text = "apiVersion: openslo/v1
kind: Service
metadata:
  name: web-shop
  displayName: Web shop
spec:
  description: Sells things.
---
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: prom
spec:
  type: Prometheus
---
apiVersion: openslo/v1
kind: Alertpolicy
metadata:
  name: x
";
    let (r, diags) = load(&[("a.yaml", text), ("b.yaml", SLI), ("c.yaml", SLI)]);
    assert_eq!(
        codes(&diags),
        vec![("openslo-kind", 17, 7), ("duplicate-id", 4, 9)]
    );
    assert_eq!(
        diags[0].help.as_deref(),
        Some("did you mean `AlertPolicy`?")
    );
    assert_eq!(diags[1].file, Path::new("c.yaml"));
    assert!(
        diags[1].message.contains("b.yaml:4"),
        "{}",
        diags[1].message
    );
    let svc = &r.docs[0];
    assert_eq!(
        (svc.key.kind, svc.key.id.as_str(), svc.title.as_str()),
        (Kind::Service, "web-shop", "Web shop")
    );
    assert_eq!(svc.summary.as_deref(), Some("Sells things."));
}

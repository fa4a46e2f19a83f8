//! OpenSLO v1 as input: the specification's own example files load with the warnings they
//! deserve and no error; a portal of OpenSLO SLOs (refs across files, alert policies, a
//! calendar window) shows what the files said; invalid OpenSLO fails with file:line:column.

mod slo_support;

use sitrep::Severity;
use slo_support::*;

#[test]
fn the_specifications_examples_load_with_only_the_warnings_they_deserve() {
    // spec-a: three examples; `web-shop` is a portal service, `web-availability` an OpenSLO
    // Service document. The only warning: a calendar window of `1m` (a minute) whose comment
    // says it means a month.
    let (_a, a) = copy(&fixture("spec-a"));
    let warnings = build_ok(&a);
    assert_eq!(
        located(&warnings, Severity::Warning),
        [(
            "content/slos/budgeting-method--timeslices-slo.yaml".to_string(),
            27,
            17,
            "suspicious-window"
        )]
    );
    assert!(
        warnings[0].message.contains("did you mean `1M`"),
        "{}",
        warnings[0].message
    );
    // spec-b: the other `service-availability`, a calendar week from its startTime.
    let (_b, b) = copy(&fixture("spec-b"));
    assert_eq!(build_ok(&b), []);

    let search = page(&a, "slos/search-slo/index.html");
    let text = main_text(&search);
    assert!(text.contains("Searching time"), "{text}");
    assert!(
        text.contains("99% over 14d"),
        "2w rolling is 14 days: {text}"
    );
    assert!(text.contains("Budgeting method Occurrences"), "{text}");
    assert_eq!(
        table(&search, "Objectives as written"),
        [["Good experience", "99%", "value < 500", "–"]]
    );
    let service = search
        .select(&sel(".facts a"))
        .find(|l| l.value().attr("href") == Some("/services/web-shop/"));
    assert!(service.is_some(), "linked to the portal service");

    // Two objectives: the first is evaluated, the one named SLA becomes the SLA.
    let avail = page(&a, "slos/service-availability/index.html");
    let text = main_text(&avail);
    assert!(text.contains("Objective 99.5% over calendar day"), "{text}");
    assert!(text.contains("SLA 99%"), "{text}");
    assert!(text.contains("Budgeting method Timeslices"), "{text}");
    assert_eq!(
        table(&avail, "Objectives as written"),
        [
            ["Internal objective", "99.5%", "–", "1m slices, good at 99%"],
            ["SLA", "99%", "–", "1m slices, good at 99%"],
        ]
    );
    assert!(text.contains("or 0.5% of time slices"), "{text}");
    // The OpenSLO Service document is a portal service, listing its SLO.
    let svc = page(&a, "services/web-availability/index.html");
    assert!(main_text(&svc).contains("Reflaction of out availability SLA"));

    let weekly = page(&b, "slos/service-availability/index.html");
    let text = main_text(&weekly);
    assert!(text.contains("99.95% over calendar week"), "{text}");
    assert!(
        text.contains("1w calendar, from 2022-01-01 12:00:00 (America/New_York)"),
        "{text}"
    );
    // 7 * 86400 s * 0.0005 = 302.4 s.
    assert!(text.contains("= 5m 2s"), "{text}");
}

#[test]
fn openslo_slo_page_shows_indicator_objectives_window_and_alert_policies() {
    let (_d, root) = copy(&fixture("openslo"));
    assert_eq!(build_ok(&root), []);
    let html = page(&root, "slos/api-availability/index.html");
    let text = main_text(&html);
    // The indicator came from another file, by indicatorRef, with its queries.
    assert!(text.contains("Requests without a server error api-non-5xx (by indicatorRef ) · ratio metric, counters"), "{text}");
    let queries = texts(&html, ".queries dd");
    assert_eq!(
        queries,
        [
            "query: sum(rate(http_requests_total{code!~\"5..\"}[5m]))",
            "query: sum(rate(http_requests_total[5m]))",
        ]
    );
    assert_eq!(
        texts(&html, ".queries dt"),
        ["good · Prometheus (thanos)", "total · Prometheus (thanos)"]
    );
    assert!(
        text.contains("4w rolling; evaluated over daily measurements as 28d"),
        "{text}"
    );
    // Alert policies: one by reference (its condition and target by reference too), one inline.
    assert_eq!(
        texts(&html, ".openslo article h4"),
        ["Fast burn api-fast-burn", "Slow burn api-slow-burn"]
    );
    assert_eq!(
        table(&html, "Conditions of api-fast-burn"),
        [[
            "Burn rate above 14.4 for an hour",
            "page",
            "burnrate ≥ 14.4",
            "1h",
            "5m"
        ]]
    );
    assert_eq!(
        table(&html, "Conditions of api-slow-burn"),
        [[
            "Burn rate above 6 for 6 hours",
            "ticket",
            "burnrate > 6",
            "6h",
            "30m"
        ]]
    );
    assert!(
        text.contains("Notifies: Platform on-call (pagerduty)"),
        "{text}"
    );
    assert!(text.contains("Alerts when breaching, no data."), "{text}");
    // Figures from the measurements: 99.5% over 28d, 5 of 28 days. 10000 events, 40 bad, 50
    // allowed: 20% left; 1-day burn (40/2000)/0.005 = 4; 7-day (40/10000)/0.005 = 0.8.
    assert_eq!(
        texts(&html, ".stats li"),
        [
            "Attainment 99.6%",
            "Budget left 20%",
            "Burn rate, last day 4",
            "Burn rate, last 7 days 0.8",
            "SLA 99% met",
        ]
    );
    assert!(text.contains("Data covers 5 of 28 days"), "{text}");
    // 28 * 86400 s * 0.005 = 12096 s = 3h 21m 36s.
    assert!(
        text.contains("99.5% over 28d = 3h 21m of full downtime"),
        "{text}"
    );
    assert_eq!(
        html.select(&sel("svg[role=img] title")).count(),
        2,
        "two charts"
    );
    // The error-budget policy named in the annotation is linked.
    let links: Vec<_> = html
        .select(&sel(".facts a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"/pages/budget-policy/"), "{links:?}");
    // The source is there too, for the curious.
    assert!(text.contains("Source (YAML)"));

    // The second SLO of the file: inline threshold indicator, calendar month, no data yet.
    let latency = page(&root, "slos/api-latency/index.html");
    let text = main_text(&latency);
    assert!(text.contains("95% over calendar month"), "{text}");
    assert_eq!(
        table(&latency, "Objectives as written"),
        [[
            "Fast minutes",
            "95%",
            "value ≤ 300",
            "1m slices, good at 90%"
        ]]
    );
    assert!(text.contains("No measurements yet"), "{text}");

    // The portal's own service document wins over the OpenSLO Service of the same name, and
    // lists both SLOs.
    let api = page(&root, "services/api/index.html");
    assert_eq!(texts(&api, "h1"), ["Public API"]);
    let slos: Vec<String> = table(&api, "SLOs of this service")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(slos, ["API availability", "API latency"]);
    let index = page(&root, "slos/index.html");
    assert_eq!(
        table(&index, "Every SLO")[0],
        [
            "API availability",
            "Public API",
            "Platform",
            "99.5% (SLA 99%)",
            "28d",
            "healthy",
            "99.6%",
            "20%"
        ]
    );
}

#[test]
fn invalid_openslo_fails_with_positions_and_exit_status_1() {
    let (_d, root) = copy(&fixture("openslo"));
    write(
        &root,
        "content/slos/broken.yaml",
        "apiVersion: openslo/v1
kind: SLO
metadata:
  name: broken
spec:
  service: apii
  indicatorRef: api-non-5xxx
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 1.5
  alertPolicies:
    - alertPolicyRef: api-fast-brun
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: broken-too
spec:
  service: apii
  indicatorRef: api-non-5xx
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
  objectives:
    - targetPercent: 99.5
---
apiVersion: openslo/v1
kind: SLOs
metadata:
  name: x
",
    );
    let diags = build_err(&root);
    let file = "content/slos/broken.yaml".to_string();
    let errors = located(&diags, Severity::Error);
    let want = [
        (file.clone(), 7, 17, "broken-reference"),
        (file.clone(), 13, 15, "out-of-range"),
        (file.clone(), 15, 23, "broken-reference"),
        (file.clone(), 22, 12, "broken-reference"),
        (file.clone(), 31, 7, "openslo-kind"),
    ];
    for w in &want {
        assert!(errors.contains(w), "{w:?} in {errors:#?}");
    }
    assert_eq!(errors.len(), want.len(), "{errors:#?}");
    let help = |code: &str, line: usize| {
        diags
            .iter()
            .find(|d| d.code == code && d.line == line)
            .and_then(|d| d.help.clone())
            .unwrap_or_default()
    };
    assert_eq!(help("broken-reference", 7), "did you mean `api-non-5xx`?");
    assert_eq!(
        help("broken-reference", 15),
        "did you mean `api-fast-burn`?"
    );
    assert_eq!(help("broken-reference", 22), "did you mean `api`?");
    assert_eq!(help("openslo-kind", 31), "did you mean `SLO`?");
    let out = cli(&root, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(
        json.contains("\"line\":13") || json.contains("\"line\": 13"),
        "{json}"
    );
}

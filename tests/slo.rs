//! SLOs end to end: a portal of native SLOs with measurements (tests/fixtures/slo/native),
//! built on a fixed date, and the figures on its pages checked against values worked out by
//! hand. Bad measurement rows fail the build with file:line and exit status 1.

mod slo_support;

use sitrep::Severity;
use slo_support::*;

fn native() -> (tempfile::TempDir, std::path::PathBuf) {
    copy(&fixture("native"))
}

#[test]
fn slo_page_shows_budget_figures_and_months_worked_by_hand() {
    let (_d, root) = native();
    build_ok(&root);
    let html = page(&root, "slos/checkout-availability/index.html");
    let text = main_text(&html);
    // 99% over 7d: 7 * 86400 s * 0.01 = 6048 s = 1h 40m 48s, shown with two units.
    assert!(
        text.contains("99% over 7d = 1h 40m of full downtime, or 1% of events"),
        "{text}"
    );
    // Window 01-04..=01-10: 7000 events, 20 bad, 70 allowed: 1 - 20/70 = 71.4% left;
    // attainment 6980/7000 = 99.7142..% shown rounded down; 7-day burn (20/7000)/0.01 = 0.29.
    let stats = texts(&html, ".stats li");
    assert_eq!(
        stats,
        [
            "Attainment 99.714%",
            "Budget left 71.4%",
            "Burn rate, last day 0",
            "Burn rate, last 7 days 0.29",
            "SLA 98% met",
        ]
    );
    assert!(text.contains("As of 2026-01-10"), "{text}");
    assert!(
        !text.contains("days of the window"),
        "a full window is not partial"
    );
    // January: 9950 of 10000 = 99.5%: objective 99% met, SLA 98% met.
    assert_eq!(
        table(&html, "Each calendar month"),
        [["2026-01", "99.5%", "50 / 10000", "met", "met"]]
    );
    let status = texts(&html, ".facts .status");
    assert_eq!(status, ["healthy"]);
    // The error-budget policy is linked.
    let policy = html
        .select(&sel(".facts a"))
        .find(|a| text_of(*a) == "Error budget policy")
        .expect("policy link");
    assert_eq!(policy.value().attr("href"), Some("/pages/budget-policy/"));
}

#[test]
fn spikes_are_marked_listed_and_a_postmortem_is_owed_for_the_uncovered_one() {
    let (_d, root) = native();
    let warnings = build_ok(&root);
    // Full-window budget at 1000 a day: 0.01 * 1000 * 7 = 70 events. 01-03: 30/70 = 42.9%
    // (covered by the postmortem of 01-03); 01-08: 20/70 = 28.6% (nothing within two days).
    let html = page(&root, "slos/checkout-availability/index.html");
    assert_eq!(
        table(&html, "Budget spikes"),
        [
            ["2026-01-03", "42.9%", "Checkout errors after deploy"],
            ["2026-01-08", "28.6%", "postmortem owed"],
        ]
    );
    assert!(main_text(&html).contains("A postmortem is owed for 1 spike day"));
    // Both days are marked on the budget chart, which has a title and the data as a table.
    let svg = html
        .select(&sel("svg[role=img]"))
        .find(|s| {
            s.select(&sel("title"))
                .next()
                .is_some_and(|t| text_of(t) == "Error budget remaining")
        })
        .expect("budget chart");
    assert_eq!(svg.select(&sel("circle.mark")).count(), 2);
    let desc = svg.select(&sel("desc")).next().map(text_of).unwrap();
    assert!(desc.contains("2026-01-03, 2026-01-08"), "{desc}");
    let budget_rows = table(&html, "Error budget remaining");
    assert_eq!(budget_rows.len(), 10);
    // 01-10: 71.4% left, as in the figures above.
    assert_eq!(budget_rows[9], ["2026-01-10", "71.4%"]);
    // The attainment chart draws the objective and the SLA as rules.
    let attain = html
        .select(&sel("svg[role=img]"))
        .find(|s| {
            s.select(&sel("title"))
                .next()
                .is_some_and(|t| text_of(t) == "Attainment against objective")
        })
        .expect("attainment chart");
    let rules: Vec<String> = attain.select(&sel(".rule text")).map(text_of).collect();
    assert_eq!(rules, ["Objective 99%", "SLA 98%"]);
    // The postmortem is listed with what its day consumed.
    assert_eq!(
        table(&html, "Postmortems that reference this SLO"),
        [[
            "2026-01-03",
            "Checkout errors after deploy",
            "SEV2",
            "42.9%"
        ]]
    );
    // `check` warns at the csv line of the uncovered day (header is line 1, 01-08 is line 9).
    let owed: Vec<_> = located(&warnings, Severity::Warning)
        .into_iter()
        .filter(|d| d.3 == "postmortem-owed")
        .collect();
    assert_eq!(
        owed,
        [(
            "content/slos/checkout-availability.csv".to_string(),
            9,
            1,
            "postmortem-owed"
        )]
    );
    let check = cli(&root, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "warnings do not fail check");
    let json = String::from_utf8_lossy(&check.stdout);
    assert!(json.contains("postmortem-owed"), "{json}");
}

#[test]
fn a_postmortem_dated_near_the_spike_pays_the_debt() {
    let (_d, root) = native();
    write(
        &root,
        "content/postmortems/2026-01-10-checkout-timeouts.md",
        "---\ntitle: Checkout timeouts\ndate: 2026-01-10\nseverity: SEV3\nslos: [checkout-availability]\n---\nTimeouts.\n",
    );
    let warnings = build_ok(&root);
    assert!(
        warnings.iter().all(|d| d.code != "postmortem-owed"),
        "{warnings:#?}"
    );
    let html = page(&root, "slos/checkout-availability/index.html");
    assert!(!main_text(&html).contains("postmortem is owed"));
    // A higher threshold in sitrep.yaml: neither day is a spike any more (42.9% < 50%).
    let (_d2, root2) = native();
    write(
        &root2,
        "sitrep.yaml",
        "title: SLO test portal\nbase_url: https://sre.example.test/\nslo: {budget_spike_threshold: 0.5}\n",
    );
    assert!(build_ok(&root2).iter().all(|d| d.code != "postmortem-owed"));
    let html = page(&root2, "slos/checkout-availability/index.html");
    assert!(main_text(&html).contains("No day has consumed that much of the budget"));
}

#[test]
fn calendar_month_window_resets_and_reports_a_partial_window() {
    let (_d, root) = native();
    build_ok(&root);
    let html = page(&root, "slos/search-latency/index.html");
    let text = main_text(&html);
    // January so far: 2000 events, 2 bad, 2 allowed: exactly spent, so exhausted; December's
    // 5 bad events do not count any more.
    assert_eq!(texts(&html, ".facts .status"), ["exhausted"]);
    assert!(text.contains("Budget left 0%"), "{text}");
    assert!(
        text.contains("Data covers 2 of 31 days of the window"),
        "{text}"
    );
    // 31 days * 86400 s * 0.001 = 2678.4 s = 44m 38s.
    assert!(
        text.contains("99.9% over calendar month = 44m 38s"),
        "{text}"
    );
    // December: 1995/2000 = 99.75% missed; January: 1998/2000 = 99.9% met exactly.
    assert_eq!(
        table(&html, "Each calendar month"),
        [
            ["2025-12", "99.75%", "5 / 2000", "missed"],
            ["2026-01", "99.9%", "2 / 2000", "met"],
        ]
    );
}

#[test]
fn slo_index_lists_every_slo_exhausted_first_with_service_team_and_budget() {
    let (_d, root) = native();
    build_ok(&root);
    let html = page(&root, "slos/index.html");
    assert_eq!(
        table(&html, "Every SLO"),
        [
            [
                "Search latency",
                "Search",
                "Shop team",
                "99.9%",
                "calendar month",
                "exhausted",
                "99.9%",
                "0%"
            ],
            [
                "Checkout availability",
                "Checkout",
                "Shop team",
                "99% (SLA 98%)",
                "7d",
                "healthy",
                "99.714%",
                "71.4%"
            ],
            [
                "Search freshness",
                "Search",
                "Shop team",
                "99.5%",
                "28d",
                "no data",
                "–",
                "–"
            ],
        ]
    );
    let headers = texts(&html, "thead th");
    assert_eq!(
        headers,
        [
            "SLO",
            "Service",
            "Team",
            "Objective",
            "Window",
            "Status",
            "Attainment",
            "Budget left"
        ]
    );
    // Status on service and team pages too.
    let search = page(&root, "services/search/index.html");
    let rows = table(&search, "SLOs of this service");
    assert_eq!(
        rows[0][..2],
        ["Search latency".to_string(), "99.9%".to_string()]
    );
    assert_eq!(rows[0][3], "exhausted");
    let team = page(&root, "teams/shop/index.html");
    let statuses: Vec<String> = table(&team, "SLOs of this team")
        .into_iter()
        .map(|r| r[4].clone())
        .collect();
    assert_eq!(statuses, ["exhausted", "healthy", "no data"]);
    // No data: the page says so.
    let none = page(&root, "slos/search-freshness/index.html");
    assert!(main_text(&none).contains("No measurements yet"));
}

#[test]
fn bad_measurement_rows_fail_with_file_and_line_and_exit_status_1() {
    let (_d, root) = native();
    write(
        &root,
        "content/slos/checkout-availability.csv",
        "date,good,total\n\
         2026-01-01,990,1000\n\
         2026-13-01,990,1000\n\
         2026-01-02,abc,1000\n\
         2026-01-03,-1,1000\n\
         2026-01-04,1001,1000\n\
         2026-01-05,990\n\
         2026-01-06,990,1000\n\
         2026-01-06,990,1000\n\
         2026-01-05,990,1000\n",
    );
    let diags = build_err(&root);
    let file = "content/slos/checkout-availability.csv".to_string();
    let errors = located(&diags, Severity::Error);
    let expected: Vec<_> = [3, 4, 5, 6, 7, 9, 10]
        .into_iter()
        .map(|line| (file.clone(), line, 1, "bad-measurement"))
        .collect();
    assert_eq!(errors, expected, "{diags:#?}");
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    for needle in [
        "not a date",
        "whole numbers",
        "whole numbers",
        "greater than total",
        "expected 3",
        "twice",
        "date order",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "{needle}: {messages:#?}"
        );
    }
    let out = cli(&root, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("checkout-availability.csv:5:1"), "{stderr}");
}

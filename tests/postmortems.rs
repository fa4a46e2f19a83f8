//! Postmortems end to end: the library and its facet pages, statistics and charts, the root-cause
//! index, the action-items report, overdue detection with a fixed build date, blameless-language
//! warnings, drafts, times as written, timelines, bad input and `sitrep new`.
//!
//! The fixture portal is tests/fixtures/postmortems (base_url with a sub-path, `/sre/`). With the
//! build date 2026-11-26 and no drafts it publishes three postmortems:
//! - 2025-11-02-checkout-errors (SEV2, payments/checkout, detect 30m, resolve 2h)
//! - 2026-03-14-login-outage (SEV1, identity/login, detect 8m, resolve 15m, across midnight and
//!   three offsets)
//! - 2026-08-20-both-down (SEV1, both teams and services, detect 20m, resolve 2h)
//!
//! and leaves out 2026-11-01-in-review (SEV3, in review) and 2026-11-10-draft (SEV3, a draft
//! with CRLF line endings full of blaming language).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};
use sitrep::{BuildOptions, Diagnostic, Severity};

const BUILD_DATE: jiff::civil::Date = jiff::civil::date(2026, 11, 26);
/// 2026-11-26T00:00:00Z, for the command line.
const EPOCH: &str = "1795651200";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postmortems")
}

/// A copy of the fixture in a temporary folder, so tests can change files and write output.
fn copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    let from = fixture();
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let target = root.join(e.path().strip_prefix(&from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), &target).unwrap();
    }
    (dir, root)
}

fn opts(root: &Path, drafts: bool) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        base_url: None,
        drafts,
        build_date: Some(BUILD_DATE),
    }
}

fn built(drafts: bool) -> (tempfile::TempDir, PathBuf, sitrep::BuildReport) {
    let (dir, root) = copy();
    let report = sitrep::build(&opts(&root, drafts)).unwrap_or_else(|e| panic!("{e:?}"));
    let out = root.join("public");
    (dir, out, report)
}

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    html.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    html.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

fn sitrep_cli(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap()
}

fn json_diags(o: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

// ---------------------------------------------------------------------------------------------
// The library

#[test]
fn library_lists_published_postmortems_newest_first_with_facets() {
    let (_d, out, _) = built(false);
    let html = page(&out, "postmortems/index.html");
    let titles = texts(&html, "table.library tbody th[scope=row] > a");
    assert_eq!(
        titles,
        vec!["Login and checkout down", "Login outage", "Checkout errors"]
    );
    // Every facet value links to its own page under the sub-path.
    let facet_links: BTreeSet<String> = attrs(&html, "nav.facets a", "href").into_iter().collect();
    let expected: BTreeSet<String> = [
        "/sre/postmortems/year/2026/",
        "/sre/postmortems/year/2025/",
        "/sre/postmortems/severity/sev1/",
        "/sre/postmortems/severity/sev2/",
        "/sre/postmortems/service/login/",
        "/sre/postmortems/service/checkout/",
        "/sre/postmortems/team/identity/",
        "/sre/postmortems/team/payments/",
        "/sre/postmortems/tag/keycloak/",
        "/sre/postmortems/tag/connection-pool/",
        "/sre/postmortems/tag/postgresql/",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(facet_links, expected);
    // Counts are shown beside each value; years newest first, severities in configured order.
    let nav = texts(&html, "nav.facets .facet-year li");
    assert_eq!(nav, vec!["2026 (2)", "2025 (1)"]);
    let sev = texts(&html, "nav.facets .facet-severity li");
    assert_eq!(sev, vec!["SEV1 (Critical) (2)", "SEV2 (Major) (1)"]);
    // Nothing of the drafts leaks: no SEV3 facet, no in-review tag, no draft title.
    let all = texts(&html, "main").join(" ");
    assert!(
        !all.contains("review-only-tag") && !all.contains("Draft with blame"),
        "{all}"
    );
    assert!(!out.join("postmortems/severity/sev3").exists());
    assert!(!out.join("postmortems/2026-11-01-in-review").exists());
}

/// A postmortem's row is made once per build and shared by every page that lists it; lists
/// take the shared rows newest first, whichever order they ask in.
#[test]
fn postmortem_rows_are_made_once_and_listed_newest_first() {
    use sitrep::model::Kind;
    use sitrep::render::pages::Shared;
    let (_d, root) = copy();
    let prepared = sitrep::build::prepare(&opts(&root, false)).expect("fixture prepares");
    let index = &prepared.index;
    let shared = Shared::new(index);
    let rows = &shared.postmortem_rows;
    let pms = index.of_kind(Kind::Postmortem).to_vec();
    assert_eq!(pms.len(), 3);
    let first = rows.get(index, pms[0]).expect("a postmortem has a row");
    let again = rows.get(index, pms[0]).expect("still there");
    assert!(std::ptr::eq(first, again), "made once, then shared");
    let team = index.of_kind(Kind::Team)[0];
    assert!(
        rows.get(index, team).is_none(),
        "a team has no postmortem row"
    );
    let titles = |ids: Vec<usize>| -> Vec<String> {
        rows.sorted(index, ids.into_iter().chain([team]))
            .iter()
            .map(|r| {
                r.value["link"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    let newest_first = ["Login and checkout down", "Login outage", "Checkout errors"];
    assert_eq!(titles(pms.clone()), newest_first);
    assert_eq!(titles(pms.iter().rev().copied().collect()), newest_first);
    let dates: Vec<&str> = rows
        .sorted(index, pms.clone())
        .iter()
        .map(|r| r.date.as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(
        rows.values(index, pms.clone()).as_array().map(Vec::len),
        Some(3),
        "values() gives the same rows as a template array"
    );
}

#[test]
fn facet_pages_show_the_largest_values_and_link_to_the_whole_list() {
    let (_d, root) = copy();
    // 15 tags in all: keycloak (on two postmortems), connection-pool, postgresql and 12 more on
    // the checkout postmortem, one postmortem each.
    let file = root.join("content/postmortems/2025-11-02-checkout-errors.md");
    let many: Vec<String> = (1..=12).map(|k| format!("extra-{k:02}")).collect();
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "tags: [postgresql]",
        &format!("tags: [postgresql, {}]", many.join(", ")),
    );
    std::fs::write(&file, text).unwrap();
    sitrep::build(&opts(&root, false)).unwrap_or_else(|e| panic!("{e:?}"));
    let out = root.join("public");

    // The library shows every tag.
    let html = page(&out, "postmortems/index.html");
    assert_eq!(texts(&html, "nav.facets .facet-tag li").len(), 15);
    assert!(
        attrs(&html, "nav.facets a", "href")
            .iter()
            .all(|h| !h.contains('#'))
    );

    // A facet page shows the largest 12 (keycloak first, by count), the current value even when
    // it is not among them, and a link to the library's whole list.
    let html = page(&out, "postmortems/tag/extra-12/index.html");
    let tags = attrs(&html, "nav.facets .facet-tag a", "href");
    assert_eq!(tags.len(), 12 + 1 + 1, "{tags:?}");
    assert!(tags.contains(&"/sre/postmortems/tag/keycloak/".to_string()));
    assert!(tags.contains(&"/sre/postmortems/tag/extra-12/".to_string()));
    assert_eq!(
        attrs(&html, "nav.facets a[aria-current=page]", "href"),
        vec!["/sre/postmortems/tag/extra-12/"]
    );
    assert_eq!(tags.last().unwrap(), "/sre/postmortems/#facet-tag");
    assert_eq!(
        texts(&html, "nav.facets .facet-tag li").last().unwrap(),
        "All 15"
    );
    // The target of that link exists on the library page.
    let library = page(&out, "postmortems/index.html");
    assert_eq!(attrs(&library, "#facet-tag", "id"), vec!["facet-tag"]);
    // Facets with few values are whole, without the link.
    assert!(
        !attrs(&html, "nav.facets .facet-year a", "href")
            .iter()
            .any(|h| h.contains('#'))
    );
}

#[test]
fn each_facet_value_has_a_page_with_its_postmortems() {
    let (_d, out, _) = built(false);
    for (rel, want) in [
        ("year/2026", vec!["Login and checkout down", "Login outage"]),
        ("year/2025", vec!["Checkout errors"]),
        (
            "severity/sev1",
            vec!["Login and checkout down", "Login outage"],
        ),
        ("severity/sev2", vec!["Checkout errors"]),
        (
            "service/login",
            vec!["Login and checkout down", "Login outage"],
        ),
        (
            "service/checkout",
            vec!["Login and checkout down", "Checkout errors"],
        ),
        (
            "team/identity",
            vec!["Login and checkout down", "Login outage"],
        ),
        (
            "team/payments",
            vec!["Login and checkout down", "Checkout errors"],
        ),
        (
            "tag/keycloak",
            vec!["Login and checkout down", "Login outage"],
        ),
        ("tag/connection-pool", vec!["Login outage"]),
    ] {
        let html = page(&out, &format!("postmortems/{rel}/index.html"));
        assert_eq!(
            texts(&html, "table.library tbody th[scope=row] > a"),
            want,
            "{rel}"
        );
        // The current value is marked in the facet navigation.
        let current = attrs(&html, "nav.facets a[aria-current=page]", "href");
        assert_eq!(current, vec![format!("/sre/postmortems/{rel}/")], "{rel}");
    }
    // A service's and a team's library page link to their own pages; a tag's to the site tag.
    let html = page(&out, "postmortems/service/login/index.html");
    assert!(attrs(&html, "main a", "href").contains(&"/sre/services/login/".to_string()));
    assert_eq!(texts(&html, "h1"), vec!["Postmortems of the service Login"]);
    let html = page(&out, "postmortems/tag/connection-pool/index.html");
    assert!(attrs(&html, "main a", "href").contains(&"/sre/tags/connection-pool/".to_string()));
    // Rows link severity, services, teams and tags to their facet pages.
    let html = page(&out, "postmortems/year/2025/index.html");
    let links = attrs(&html, "table.library a", "href");
    for l in [
        "/sre/postmortems/severity/sev2/",
        "/sre/postmortems/service/checkout/",
        "/sre/postmortems/team/payments/",
        "/sre/postmortems/tag/postgresql/",
    ] {
        assert!(links.contains(&l.to_string()), "{l} in {links:?}");
    }
}

#[test]
fn every_internal_link_resolves_under_the_sub_path() {
    let (_d, out, _) = built(false);
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
        for href in attrs(&html, "a, link", "href") {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            let path = href.split('#').next().unwrap();
            let rel = path
                .strip_prefix("/sre/")
                .unwrap_or_else(|| panic!("{href} in {} misses the sub-path", e.path().display()));
            let target = out.join(rel);
            let ok = if path.ends_with('/') {
                target.join("index.html").is_file()
            } else {
                target.is_file()
            };
            assert!(ok, "{href} in {} is dangling", e.path().display());
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn statistics_per_severity_and_quarter_as_tables_and_charts() {
    let (_d, out, _) = built(false);
    let html = page(&out, "postmortems/index.html");
    // Quarters from the first to the last postmortem, the empty ones included.
    let table = html
        .select(&sel("table"))
        .find(|t| {
            t.text()
                .collect::<String>()
                .contains("Postmortems per quarter and severity")
        })
        .unwrap();
    let cells: Vec<Vec<String>> = table
        .select(&sel("tbody tr"))
        .map(|r| {
            r.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(
        cells,
        vec![
            vec!["2025-Q4", "0", "1", "0", "1"],
            vec!["2026-Q1", "1", "0", "0", "1"],
            vec!["2026-Q2", "0", "0", "0", "0"],
            vec!["2026-Q3", "1", "0", "0", "1"],
        ]
    );
    // Medians per severity: SEV1 detect (8m + 20m) / 2 = 14m, resolve (15m + 2h) / 2 = 1h 7m 30s
    // shown as 1h 7m; SEV2 30m and 2h; SEV3 has no published postmortem.
    let table = html
        .select(&sel("table"))
        .find(|t| {
            t.text()
                .collect::<String>()
                .contains("Median times per severity")
        })
        .unwrap();
    let cells: Vec<Vec<String>> = table
        .select(&sel("tbody tr"))
        .map(|r| {
            r.select(&sel("th, td"))
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .collect();
    assert_eq!(
        cells,
        vec![
            vec!["SEV1 Critical", "2", "14m", "1h 7m"],
            vec!["SEV2 Major", "1", "30m", "2h"],
            vec!["SEV3 Minor", "0", "–", "–"],
        ]
    );
    // Two accessible charts: role=img with title and description, a data table each.
    let svgs: Vec<_> = html
        .select(&sel("figure.bar-chart svg[role=img]"))
        .collect();
    assert_eq!(svgs.len(), 2);
    let titles = texts(&html, "figure.bar-chart svg > title");
    assert_eq!(
        titles,
        vec![
            "Postmortems per quarter, by severity",
            "Median time to detect and to resolve, by severity"
        ]
    );
    assert_eq!(html.select(&sel("figure.bar-chart svg > desc")).count(), 2);
    // One bar segment per non-zero (quarter, severity), each titled with its figures.
    let bars = texts(
        &html,
        "figure.bar-chart:first-of-type g.bar-series rect title",
    );
    assert_eq!(
        bars,
        vec![
            "2026-Q1, SEV1 Critical: 1",
            "2026-Q3, SEV1 Critical: 1",
            "2025-Q4, SEV2 Major: 1"
        ]
    );
    // The configured colour of SEV1 is used; meaning also comes from patterns and the legend.
    let html_text = std::fs::read_to_string(out.join("postmortems/index.html")).unwrap();
    assert!(html_text.contains("--bar-color: #b3261e"));
    assert_eq!(
        texts(&html, "figure.bar-chart:first-of-type .legend .key"),
        vec!["SEV1 Critical", "SEV2 Major", "SEV3 Minor"]
    );
    let medians = texts(&html, "figure.bar-chart g.bar-detect rect title");
    assert_eq!(
        medians,
        vec!["SEV1, Time to detect: 14m", "SEV2, Time to detect: 30m"]
    );
}

#[test]
fn root_cause_index_groups_spellings_and_puts_recurring_first() {
    let (_d, out, _) = built(false);
    let html = page(&out, "postmortems/root-causes/index.html");
    let causes: Vec<_> = html
        .select(&sel("section[aria-labelledby=h-causes] ul.causes > li"))
        .collect();
    let first = &causes[0];
    let name: String = first
        .select(&sel(".cause strong"))
        .next()
        .unwrap()
        .text()
        .collect();
    // "Connection pool exhaustion", "CONNECTION POOL  exhaustion." and "connection pool
    // exhaustion" are one cause named by three postmortems.
    assert_eq!(
        name.to_lowercase().trim_end_matches('.'),
        "connection pool exhaustion"
    );
    assert!(first.value().classes().any(|c| c == "recurring"));
    let pms: Vec<String> = first
        .select(&sel("ul.links a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        pms,
        vec!["Login and checkout down", "Login outage", "Checkout errors"]
    );
    // Then the single ones, alphabetically; the in-review postmortem's cause is not there.
    let rest: Vec<String> = causes[1..]
        .iter()
        .map(|c| {
            c.select(&sel(".cause strong"))
                .next()
                .unwrap()
                .text()
                .collect()
        })
        .collect();
    assert_eq!(
        rest,
        vec![
            "Campaign not shared with on-call",
            "Webhook retries without backoff"
        ]
    );
    // Triggers are compared the same way.
    let triggers = texts(
        &html,
        "section[aria-labelledby=h-triggers] ul.causes > li .cause",
    );
    assert_eq!(triggers.len(), 1, "{triggers:?}");
    assert!(
        triggers[0].contains("recurring: 2 postmortems"),
        "{triggers:?}"
    );
    // A postmortem page links each of its causes to its entry.
    let pm = page(&out, "postmortems/2026-03-14-login-outage/index.html");
    let links = attrs(&pm, "section[aria-labelledby=h-rc] a", "href");
    assert_eq!(
        links[0],
        "/sre/postmortems/root-causes/#c-connection-pool-exhaustion"
    );
    assert_eq!(
        attrs(&html, "li#c-connection-pool-exhaustion", "id").len(),
        1,
        "the anchor exists"
    );
    // The library lists the recurring causes.
    let lib = page(&out, "postmortems/index.html");
    let recurring = texts(&lib, "section[aria-labelledby=h-recurring] li");
    assert_eq!(recurring.len(), 1);
    assert!(recurring[0].ends_with("— 3 postmortems"), "{recurring:?}");
}

// ---------------------------------------------------------------------------------------------
// A postmortem page

#[test]
fn times_are_shown_as_written_with_durations_across_midnight_and_zones() {
    let (_d, out, _) = built(false);
    let html = page(&out, "postmortems/2026-03-14-login-outage/index.html");
    let stats = texts(&html, "ul.stats li");
    assert_eq!(
        stats,
        vec![
            "Time to detect 8m",
            "Time to mitigate 12m",
            "Time to resolve 15m"
        ]
    );
    let times: Vec<(String, String)> = html
        .select(&sel("section[aria-labelledby=h-times] td time"))
        .map(|t| {
            (
                t.value().attr("datetime").unwrap().to_string(),
                t.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        times,
        vec![
            (
                "2026-03-14T23:50:00+01:00".into(),
                "2026-03-14 23:50 +01:00".into()
            ),
            (
                "2026-03-14T22:58:00+00:00".into(),
                "2026-03-14 22:58 UTC".into()
            ),
            (
                "2026-03-15T00:02:00+01:00".into(),
                "2026-03-15 00:02 +01:00".into()
            ),
            (
                "2026-03-15T01:05:00+02:00".into(),
                "2026-03-15 01:05 +02:00".into()
            ),
        ]
    );
    // The UTC equivalent is given beside a non-UTC time.
    let cells = texts(&html, "section[aria-labelledby=h-times] td");
    assert!(
        cells.contains(&"2026-03-15 01:05 +02:00 (2026-03-14 23:05 UTC)".to_string()),
        "{cells:?}"
    );
}

#[test]
fn body_timelines_render_as_timelines() {
    let (_d, out, _) = built(false);
    let html = page(&out, "postmortems/2026-03-14-login-outage/index.html");
    let entries = texts(&html, ".prose ol.timeline > li.timeline-entry");
    assert_eq!(
        entries,
        vec![
            "23:50 — campaign SMS sent.",
            "23:58 — alert fires.",
            "00:02 — pool resized."
        ]
    );
    assert_eq!(
        attrs(&html, ".prose ol.timeline time", "datetime"),
        vec!["23:50", "23:58", "00:02"]
    );
    assert_eq!(
        attrs(&html, ".prose div.timeline table td time", "datetime"),
        vec!["23:50", "01:05"]
    );
}

#[test]
fn postmortem_links_to_its_services_teams_and_slos_and_appears_on_theirs() {
    let (_d, out, _) = built(false);
    let html = page(&out, "postmortems/2026-03-14-login-outage/index.html");
    let links = attrs(&html, "dl.facts a", "href");
    for l in [
        "/sre/services/login/",
        "/sre/teams/identity/",
        "/sre/slos/login-availability/",
        "/sre/postmortems/severity/sev1/",
        "/sre/postmortems/year/2026/",
    ] {
        assert!(links.contains(&l.to_string()), "{l} in {links:?}");
    }
    for rel in [
        "services/login/index.html",
        "teams/identity/index.html",
        "slos/login-availability/index.html",
    ] {
        let html = page(&out, rel);
        let links = attrs(&html, "main a", "href");
        assert!(
            links.contains(&"/sre/postmortems/2026-03-14-login-outage/".to_string()),
            "{rel}: {links:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Action items

#[test]
fn action_items_report_groups_by_status_and_team_with_counts_and_ages() {
    let (_d, out, _) = built(false);
    let html = page(&out, "action-items/index.html");
    assert_eq!(
        texts(&html, "main > ul.stats li"),
        vec![
            "Open 3",
            "In progress 1",
            "Overdue 2",
            "Done 1",
            "Won't fix 1"
        ]
    );
    // Overdue: open, due before 2026-11-26; the oldest due first. Age is days since the
    // postmortem: 2025-11-02 -> 2026-11-26 is 389 days, 2026-03-14 -> 2026-11-26 is 257.
    let overdue = html
        .select(&sel("section[aria-labelledby=h-overdue] tbody tr"))
        .map(|r| {
            r.select(&sel("th, td"))
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    assert_eq!(
        overdue,
        vec![
            vec![
                "Backoff in the webhook consumer",
                "Checkout errors",
                "Dee",
                "open",
                "2025-12-01 overdue",
                "389 d"
            ],
            vec![
                "Load test before campaigns",
                "Login outage",
                "Bob",
                "open",
                "2026-06-30 overdue",
                "257 d"
            ],
        ]
    );
    assert_eq!(
        html.select(&sel("tr.is-overdue")).count(),
        6,
        "overdue rows stand out wherever they are listed"
    );
    // By status: every status has its section and count.
    assert_eq!(
        texts(&html, "section[aria-labelledby=h-status] h3"),
        vec![
            "open 3 items Open",
            "in progress 1 item In progress",
            "done 1 item Done",
            "wontfix 1 item Won't fix"
        ]
    );
    let open = texts(&html, "section[aria-labelledby=st-open] tbody th");
    assert_eq!(
        open,
        vec![
            "Backoff in the webhook consumer",
            "Load test before campaigns",
            "Shared pool budget"
        ]
    );
    // By team: counts per team (the two-team postmortem counts for both) and open items.
    let team_rows = html
        .select(&sel(
            "section[aria-labelledby=h-team] table.compact tbody tr",
        ))
        .map(|r| {
            r.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    assert_eq!(
        team_rows,
        vec![
            vec!["Identity", "2", "1", "1", "1", "0", "4"],
            vec!["Payments", "2", "0", "1", "0", "1", "3"],
        ]
    );
    let identity = texts(&html, "section[aria-labelledby=team-identity] tbody tr");
    assert_eq!(identity.len(), 3, "{identity:?}");
    assert!(
        identity
            .iter()
            .any(|r| r.contains("Shared pool budget") && r.ends_with("98 d")),
        "{identity:?}"
    );
    assert!(
        !identity
            .iter()
            .any(|r| r.contains("Alert on pool saturation")),
        "done items are not open"
    );
}

#[test]
fn overdue_items_warn_and_check_deny_overdue_fails() {
    let (_d, root) = copy();
    let diags = sitrep::check(&opts(&root, false)).expect("warnings only");
    let overdue: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == "overdue-action-item")
        .collect();
    let places: Vec<(String, usize)> = overdue
        .iter()
        .map(|d| (d.file.display().to_string(), d.line))
        .collect();
    assert_eq!(
        places,
        vec![
            (
                "content/postmortems/2025-11-02-checkout-errors.md".into(),
                16
            ),
            ("content/postmortems/2026-03-14-login-outage.md".into(), 21),
        ]
    );
    assert!(overdue.iter().all(|d| d.severity == Severity::Warning));
    // An item due on the build date is not overdue yet; the day after it is.
    let day_before = BuildOptions {
        build_date: Some(jiff::civil::date(2025, 12, 1)),
        ..opts(&root, false)
    };
    let diags = sitrep::check(&day_before).unwrap();
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.code == "overdue-action-item")
            .count(),
        0
    );
    let day_after = BuildOptions {
        build_date: Some(jiff::civil::date(2025, 12, 2)),
        ..opts(&root, false)
    };
    let diags = sitrep::check(&day_after).unwrap();
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.code == "overdue-action-item")
            .count(),
        1
    );

    // The command line: warnings pass, --deny overdue fails, SOURCE_DATE_EPOCH fixes "today".
    assert_eq!(sitrep_cli(&["check"], &root).status.code(), Some(0));
    let o = sitrep_cli(&["check", "--deny", "overdue", "--format", "json"], &root);
    assert_eq!(o.status.code(), Some(1));
    let errors: Vec<_> = json_diags(&o)
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|d| d["code"] == "overdue-action-item"));
    let early = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["check", "--deny", "overdue", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1764547200") // 2025-12-01: nothing overdue yet
        .output()
        .unwrap();
    assert_eq!(
        early.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&early.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// Blameless language

#[test]
fn blaming_language_is_a_warning_at_the_phrase_in_fields_and_body() {
    let (_d, root) = copy();
    // The draft is still checked without --drafts.
    let diags = sitrep::check(&opts(&root, false)).expect("warnings never fail a check");
    let blame: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == "blaming-language")
        .collect();
    let got: Vec<(String, usize, usize)> = blame
        .iter()
        .map(|d| (d.file.display().to_string(), d.line, d.column))
        .collect();
    let draft = "content/postmortems/2026-11-10-draft.md".to_string();
    // CRLF file: columns count characters ("Één" is 3), \r takes none; body lines are file lines.
    assert_eq!(
        got,
        vec![
            (draft.clone(), 7, 19),  // impact: "human error"
            (draft.clone(), 9, 18),  // root_causes: "careless"
            (draft.clone(), 11, 23), // action item title: "fault of"
            (draft.clone(), 15, 14), // body: "should have known"
            (draft.clone(), 15, 37), // body: "dropped the ball", from sitrep.yaml
        ]
    );
    assert!(blame.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        blame[0].message.contains("\"human error\" in `impact`"),
        "{}",
        blame[0].message
    );
    assert!(
        blame[2].message.contains("`action_items.0.title`"),
        "{}",
        blame[2].message
    );
    assert!(
        blame[3].message.contains("in the text"),
        "{}",
        blame[3].message
    );
    for d in &blame {
        let help = d.help.as_deref().unwrap_or_default();
        assert!(help.contains("systems, not people"), "{help}");
    }
    assert!(
        blame[0]
            .help
            .as_deref()
            .unwrap()
            .contains("what in the system made the action possible")
    );
    assert!(
        blame[4]
            .help
            .as_deref()
            .unwrap()
            .contains("what the system allowed or lacked")
    );
    // Pages that quote the phrases are not postmortems and are not checked.
    assert!(!diags.iter().any(|d| d.file.ends_with("guide.md")));

    // Builds succeed with them; `--deny warnings` turns them into errors.
    let o = sitrep_cli(&["check"], &root);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("2026-11-10-draft.md:7:19"), "{stderr}");
    let o = sitrep_cli(&["check", "--deny", "warnings"], &root);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn configured_phrases_extend_the_built_in_ones() {
    let (_d, root) = copy();
    std::fs::write(
        root.join("sitrep.yaml"),
        "title: X\nbase_url: /sre/\nseverities: [{id: SEV1, label: Critical}, {id: SEV2, label: Major}, {id: SEV3, label: Minor}]\npostmortems: {blaming_phrases: [\"Bob dropped\"]}\n",
    )
    .unwrap();
    let diags = sitrep::check(&opts(&root, false)).unwrap();
    let cols: Vec<usize> = diags
        .iter()
        .filter(|d| d.code == "blaming-language" && d.line == 15)
        .map(|d| d.column)
        .collect();
    // The defaults still apply ("should have known" at 14) beside the portal's phrase (at 33).
    assert_eq!(cols, vec![14, 33]);
}

// ---------------------------------------------------------------------------------------------
// Drafts

#[test]
fn drafts_and_in_review_are_built_only_with_drafts() {
    let (_d, out, report) = built(true);
    assert!(
        out.join("postmortems/2026-11-01-in-review/index.html")
            .is_file()
    );
    assert!(
        out.join("postmortems/2026-11-10-draft/index.html")
            .is_file()
    );
    assert!(out.join("postmortems/severity/sev3/index.html").is_file());
    assert!(
        out.join("postmortems/tag/review-only-tag/index.html")
            .is_file()
    );
    let html = page(&out, "postmortems/2026-11-01-in-review/index.html");
    assert!(
        texts(&html, ".note")
            .iter()
            .any(|n| n.starts_with("Draft."))
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "blaming-language")
    );
}

#[test]
fn a_link_to_an_in_review_postmortem_fails_without_drafts() {
    let (_d, root) = copy();
    std::fs::write(
        root.join("content/pages/guide.md"),
        "---\ntitle: Postmortem guide\n---\nSee\nthe [regression](@postmortems/2026-11-01-in-review).\n",
    )
    .unwrap();
    let before = root.join("public");
    let Err(sitrep::BuildError::Content(diags)) = sitrep::build(&opts(&root, false)) else {
        panic!("the build must fail");
    };
    let d = diags
        .iter()
        .find(|d| d.code == "link-to-draft")
        .expect("link-to-draft");
    assert_eq!(
        (d.file.as_path(), d.line, d.column),
        (Path::new("content/pages/guide.md"), 5, 5)
    );
    assert!(!before.exists(), "nothing written");
    // With drafts, the link resolves.
    sitrep::build(&opts(&root, true)).expect("fine with drafts");
    let html = page(&before, "pages/guide/index.html");
    assert!(
        attrs(&html, ".prose a", "href")
            .contains(&"/sre/postmortems/2026-11-01-in-review/".to_string())
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input: file:line:column, a code, exit status 1

fn bad(front: &str) -> (tempfile::TempDir, PathBuf, Vec<serde_json::Value>) {
    let (d, root) = copy();
    std::fs::write(
        root.join("content/postmortems/2026-12-01-bad.md"),
        format!("---\ntitle: Bad\ndate: 2026-12-01\n{front}---\nx\n"),
    )
    .unwrap();
    let o = sitrep_cli(&["check", "--format", "json"], &root);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let errors = json_diags(&o)
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    (d, root, errors)
}

fn at(errors: &[serde_json::Value], code: &str) -> (u64, u64) {
    let d = errors
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {errors:#?}"));
    assert_eq!(d["file"], "content/postmortems/2026-12-01-bad.md");
    (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
}

#[test]
fn unknown_severity_is_an_error_at_its_value() {
    let (_d, _r, errors) = bad("severity: SEV9\n");
    assert_eq!(at(&errors, "unknown-severity"), (4, 11));
}

#[test]
fn bad_timestamp_is_an_error_at_its_value() {
    let (_d, _r, errors) = bad("severity: SEV1\nstarted_at: 2026-12-01 25:00\n");
    assert_eq!(at(&errors, "wrong-type"), (5, 13));
}

#[test]
fn timestamps_out_of_order_are_an_error_at_the_later_field() {
    // 10:30+02:00 is 08:30Z: before the 09:00Z start although it reads later.
    let (_d, _r, errors) = bad(
        "severity: SEV1\nstarted_at: 2026-12-01T09:00:00Z\ndetected_at: 2026-12-01T10:30:00+02:00\n",
    );
    assert_eq!(at(&errors, "timestamps-out-of-order"), (6, 14));
}

#[test]
fn action_item_without_title_is_an_error_at_the_item() {
    let (_d, _r, errors) = bad(
        "severity: SEV1\naction_items:\n  - {title: \"ok\", status: open}\n  - {owner: Ann, status: open}\n",
    );
    assert_eq!(at(&errors, "missing-field"), (7, 5));
}

// ---------------------------------------------------------------------------------------------
// sitrep new

#[test]
fn new_postmortem_has_every_field_and_section_and_is_valid() {
    let (_d, root) = copy();
    let o = sitrep_cli(&["new", "postmortem", "Payments: webhook backlog"], &root);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rel = "content/postmortems/2026-11-26-payments-webhook-backlog.md";
    assert!(String::from_utf8_lossy(&o.stdout).contains(rel));
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    for field in [
        "title:",
        "date: 2026-11-26",
        "severity: SEV3",
        "status: draft",
        "services:",
        "teams:",
        "slos:",
        "authors:",
        "started_at:",
        "detected_at:",
        "mitigated_at:",
        "resolved_at:",
        "impact:",
        "trigger:",
        "root_causes:",
        "action_items:",
        "tags:",
    ] {
        assert!(text.contains(field), "{field} missing in\n{text}");
    }
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        vec![
            "## Summary",
            "## Impact",
            "## Timeline",
            "## Root causes",
            "## What went well",
            "## What went wrong",
            "## Where we got lucky",
            "## Action items",
            "## Lessons learned",
        ]
    );
    // A scaffold is a draft that check validates without errors or blaming warnings.
    let diags = sitrep::check(&opts(&root, false)).unwrap();
    assert!(
        !diags.iter().any(|d| d.file.as_path() == Path::new(rel)),
        "{diags:#?}"
    );
    // With drafts it builds, and its timeline table renders as a timeline.
    sitrep::build(&opts(&root, true)).unwrap();
    let html = page(
        &root.join("public"),
        "postmortems/2026-11-26-payments-webhook-backlog/index.html",
    );
    assert_eq!(html.select(&sel(".prose div.timeline")).count(), 1);
}

#[test]
fn new_writes_every_kind_and_never_overwrites() {
    let (_d, root) = copy();
    for (kind, rel) in [
        ("team", "content/teams/night-shift.md"),
        ("service", "content/services/night-shift.md"),
        ("slo", "content/slos/night-shift.md"),
        (
            "postmortem",
            "content/postmortems/2026-11-26-night-shift.md",
        ),
        ("session", "content/sessions/2026-11-26-night-shift.md"),
        ("assessment", "content/assessments/night-shift.yaml"),
        ("page", "content/pages/night-shift.md"),
    ] {
        let o = sitrep_cli(&["new", kind, "Night shift"], &root);
        assert!(
            o.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(text.contains("Night shift"), "{rel}");
        // A second run refuses, exits 1 and leaves the (edited) file alone.
        std::fs::write(&path, "edited by hand").unwrap();
        let again = sitrep_cli(&["new", kind, "Night shift"], &root);
        assert_eq!(again.status.code(), Some(1), "{kind}");
        assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand");
    }
    // The plural works too; an unknown kind or an empty title is a usage error.
    let o = sitrep_cli(&["new", "postmortems", "Another one"], &root);
    assert!(o.status.success());
    assert!(
        root.join("content/postmortems/2026-11-26-another-one.md")
            .is_file()
    );
    assert_eq!(
        sitrep_cli(&["new", "incident", "X"], &root).status.code(),
        Some(2)
    );
    assert_eq!(
        sitrep_cli(&["new", "page", "!!!"], &root).status.code(),
        Some(2)
    );
}

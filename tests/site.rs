//! End-to-end builds of fixture portals (tests/fixtures/small and the sample portal at the
//! repository root), asserting on the produced HTML.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use sitrep::{BuildOptions, build};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_into(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> sitrep::BuildReport {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: base_url.map(str::to_string),
        drafts,
        build_date: Some(jiff::civil::date(2026, 11, 26)),
    };
    match build(&opts) {
        Ok(r) => r,
        Err(e) => panic!("build of {} failed: {e:?}", root.display()),
    }
}

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn main_text(html: &Html) -> String {
    texts(html, "main").join(" ")
}

fn hrefs(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

fn small() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_into(&repo().join("tests/fixtures/small"), &out, None, false);
    (dir, out)
}

#[test]
fn every_kind_has_an_index_and_document_pages() {
    let (_d, out) = small();
    for rel in [
        "index.html",
        "404.html",
        "style.css",
        "teams/index.html",
        "teams/ops/index.html",
        "services/gateway/index.html",
        "slos/gateway-availability/index.html",
        "postmortems/2026-11-03-gateway-outage/index.html",
        "sessions/2026-12-01-slo-intro/index.html",
        "assessments/ops-2026-06/index.html",
        "assessments/web-2026-06-02/index.html",
        "pages/budget-policy/index.html",
        "tags/platform/index.html",
        "culture/index.html",
        "ladder/index.html",
        "action-items/index.html",
    ] {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
    assert!(
        !out.join("postmortems/2026-11-20-draft-incident").exists(),
        "drafts stay out"
    );
}

#[test]
fn team_page_aggregates_everything_related() {
    let (_d, out) = small();
    let html = page(&out, "teams/ops/index.html");
    let text = main_text(&html);
    assert!(text.contains("API Gateway"), "services: {text}");
    assert!(text.contains("Gateway availability"), "slos");
    assert!(text.contains("Gateway outage"), "postmortems");
    assert!(text.contains("SLOs for beginners"), "sessions");
    assert!(text.contains("Step 5"), "adoption step");
    assert!(
        text.contains("After 15m: secondary on-call"),
        "escalation: {text}"
    );
    assert!(
        text.contains("5.00") && text.contains("generative"),
        "culture: {text}"
    );
    let backlinks = texts(&html, ".backlinks li");
    assert!(
        backlinks.iter().any(|b| b.contains("API Gateway")),
        "{backlinks:?}"
    );
    assert!(backlinks.iter().any(|b| b.contains("Gateway outage")));
}

#[test]
fn service_dependencies_show_in_both_directions() {
    let (_d, out) = small();
    let gateway = page(&out, "services/gateway/index.html");
    let web = page(&out, "services/web/index.html");
    assert!(
        hrefs(&gateway, "main a").contains(&"/services/web/".to_string()),
        "used by"
    );
    assert!(
        hrefs(&web, "main a").contains(&"/services/gateway/".to_string()),
        "depends on"
    );
    assert!(
        hrefs(&gateway, "main a").contains(&"/teams/ops/".to_string()),
        "owner"
    );
    assert!(main_text(&gateway).contains("https://runbooks.example.test/gateway"));
}

#[test]
fn slo_page_shows_budget_and_status() {
    let (_d, out) = small();
    let html = page(&out, "slos/gateway-availability/index.html");
    let text = main_text(&html);
    // 99.9% over 28 days: 0.001 * 28 * 86400 s = 2419.2 s
    assert!(text.contains("40m 19s"), "{text}");
    // bad = 50 + 10 + 1000 = 1060 of an allowed 300: exhausted
    assert!(text.contains("exhausted"), "{text}");
    assert!(text.contains("3 of 28 days"), "partial window: {text}");
    assert!(hrefs(&html, "main a").contains(&"/pages/budget-policy/".to_string()));
}

#[test]
fn postmortem_page_shows_durations_across_time_zones_and_overdue_items() {
    let (_d, out) = small();
    let html = page(&out, "postmortems/2026-11-03-gateway-outage/index.html");
    let text = main_text(&html);
    // started 22:50Z; detected 23:00Z; mitigated 23:30Z; resolved 00:05Z next day
    assert!(text.contains("Time to detect 10m"), "{text}");
    assert!(text.contains("Time to mitigate 40m"), "{text}");
    assert!(text.contains("Time to resolve 1h 15m"), "{text}");
    assert_eq!(texts(&html, "tr.is-overdue th"), vec!["Add pool metrics"]);
    assert!(
        texts(&html, "table th").iter().any(|t| t == "Time"),
        "timeline table renders"
    );
    let links = hrefs(&html, "main a");
    for l in [
        "/services/gateway/",
        "/teams/ops/",
        "/slos/gateway-availability/",
        "/teams/web/",
    ] {
        assert!(links.contains(&l.to_string()), "{l} in {links:?}");
    }
    let backlinks = texts(&html, ".backlinks li");
    assert!(
        backlinks.iter().any(|b| b.contains("SLOs for beginners")),
        "{backlinks:?}"
    );
}

#[test]
fn small_groups_are_not_shown() {
    let (_d, out) = small();
    let html = page(&out, "assessments/web-2026-06-02/index.html");
    assert!(main_text(&html).contains("Not enough responses"));
    let culture = main_text(&page(&out, "culture/index.html"));
    assert!(culture.contains("Not enough responses"), "{culture}");
    // the web group's bridging mean is 1.50: it must appear nowhere
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        assert!(
            !text.contains("1.50"),
            "{} leaks a suppressed score",
            entry.path().display()
        );
    }
    assert!(
        !walkdir::WalkDir::new(&out).into_iter().flatten().any(|e| e
            .path()
            .extension()
            .is_some_and(|x| x == "csv")
            && !e.path().ends_with("culture/survey/survey-template.csv"))
    );
}

#[test]
fn drafts_are_built_with_the_drafts_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_into(&repo().join("tests/fixtures/small"), &out, None, true);
    assert!(
        out.join("postmortems/2026-11-20-draft-incident/index.html")
            .is_file()
    );
}

#[test]
fn front_matter_values_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/small"), &root);
    std::fs::write(
        root.join("content/pages/evil.md"),
        "---\ntitle: \"<script>alert(1)</script>\"\nsummary: \"<img src=x onerror=alert(1)>\"\n---\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    build_into(&root, &out, None, false);
    let raw = std::fs::read_to_string(out.join("pages/evil/index.html")).unwrap();
    assert!(!raw.contains("<script>"), "{raw}");
    assert!(!raw.contains("<img src=x"));
    assert!(!raw.contains("javascript:"));
    assert!(raw.contains("&lt;script&gt;alert(1)"));
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every internal href/src in every page points to a file that exists in the output.
fn assert_links_resolve(out: &Path, base_path: &str) {
    let sel = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut checked = 0;
    let mut broken = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for el in html.select(&sel) {
            let url = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            if url.starts_with('#')
                || url.contains("://")
                || url.starts_with("mailto:")
                || url.starts_with("tel:")
            {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let Some(rel) = path.strip_prefix(base_path) else {
                broken.insert(format!(
                    "{} -> {url} (outside {base_path})",
                    entry.path().display()
                ));
                continue;
            };
            let mut target = out.join(percent_decode(rel));
            if path.ends_with('/') {
                target = target.join("index.html");
            }
            checked += 1;
            if !target.is_file() {
                broken.insert(format!(
                    "{} -> {url}",
                    entry.path().strip_prefix(out).unwrap().display()
                ));
            }
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_internal_link_of_the_sample_portal_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let report = build_into(&repo(), &out, None, false);
    assert!(report.files > 150, "{} files", report.files);
    assert_links_resolve(&out, "/");
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_into(
        &repo(),
        &out,
        Some("https://intranet.example.test/sre/"),
        false,
    );
    assert_links_resolve(&out, "/sre/");
    let home = page(&out, "index.html");
    assert!(
        hrefs(&home, "a")
            .iter()
            .all(|h| !h.starts_with('/') || h.starts_with("/sre/"))
    );
}

#[test]
fn rebuild_keeps_unchanged_files_and_their_mtime() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = repo().join("tests/fixtures/small");
    build_into(&root, &out, None, false);
    let file = out.join("teams/ops/index.html");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_500_000_000);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(old)
        .unwrap();
    build_into(&root, &out, None, false);
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), old);
}

#[test]
fn a_portal_without_themes_uses_the_built_in_theme_and_overrides_work() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/small"), &root);
    assert!(!root.join("themes").exists());
    let out = dir.path().join("public");
    build_into(&root, &out, None, false);
    assert!(out.join("style.css").is_file());
    std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    std::fs::write(
        root.join("themes/default/templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ doc.title }}</h1>{% endblock content %}",
    )
    .unwrap();
    build_into(&root, &out, None, false);
    assert_eq!(
        texts(&page(&out, "pages/budget-policy/index.html"), "h1.custom"),
        vec!["Error budget policy"]
    );
}

#[test]
fn build_prints_one_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["build", "--root"])
        .arg(repo().join("tests/fixtures/small"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(
        lines[0].contains("files written")
            && lines[0].contains("warning")
            && lines[0].contains(" ms"),
        "{stdout}"
    );
}

/// `search: false` in sitrep.yaml: no index, no script, no search box; the search page still
/// lists the indexes to browse. (The benchmark's plain portal uses it: Hugo builds no index.)
#[test]
fn a_portal_without_search_has_no_index_and_no_search_box() {
    let src = tempfile::tempdir().unwrap();
    let root = src.path();
    copy_dir(&repo().join("tests/fixtures/small"), root);
    let config = std::fs::read_to_string(root.join("sitrep.yaml")).unwrap();
    std::fs::write(
        root.join("sitrep.yaml"),
        format!("{config}\nsearch: false\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let report = build_into(root, &public, None, false);
    assert!(report.search.is_none());
    assert!(!public.join("pagefind").exists());
    let home = page(&public, "index.html");
    let select = |s: &str| Selector::parse(s).unwrap();
    assert_eq!(home.select(&select("script")).count(), 0);
    assert_eq!(home.select(&select("form[role=search]")).count(), 0);
    let search = page(&public, "search/index.html");
    assert_eq!(search.select(&select("form")).count(), 0);
    assert!(search.select(&select("main a")).count() > 3, "browse links");
}

/// Building again with nothing changed checks the inputs and the output and writes nothing;
/// any change to either (a source, the build date, a file of the output) builds again.
#[test]
fn a_build_with_nothing_changed_is_skipped_and_any_change_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/small"), &root);
    // A warning, to see it reported again when the build is skipped.
    std::fs::write(
        root.join("content/pages/odd.md"),
        "---\ntitle: Odd\ncolour: blue\n---\nText.\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let first = build_into(&root, &out, None, false);
    assert!(!first.up_to_date);
    assert!(first.warnings() > 0);
    let built = common::snapshot(&out);

    let again = build_into(&root, &out, None, false);
    assert!(again.up_to_date);
    assert_eq!(again.files, built.len());
    assert_eq!(again.diagnostics, first.diagnostics);
    assert!(again.search.is_none());
    assert_eq!(common::snapshot(&out), built);

    // A file of the output removed: built again, and back.
    std::fs::remove_file(out.join("index.html")).unwrap();
    assert!(!build_into(&root, &out, None, false).up_to_date);
    assert_eq!(common::snapshot(&out), built);
    assert!(build_into(&root, &out, None, false).up_to_date);

    // A source edited.
    let page = root.join("content/pages/odd.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}More.\n")).unwrap();
    assert!(!build_into(&root, &out, None, false).up_to_date);
    assert!(build_into(&root, &out, None, false).up_to_date);

    // Another build date (overdue action items, upcoming sessions depend on it).
    let opts = |day| BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        build_date: Some(jiff::civil::date(2026, 11, day)),
        ..BuildOptions::default()
    };
    assert!(!build(&opts(27)).unwrap().up_to_date);
    assert!(build(&opts(27)).unwrap().up_to_date);
}

/// The navigation and the footer are rendered once per build (render::chrome) and the same on
/// every page, apart from the entry marked current: the page itself (`page`), or on a
/// document's page the entry of its kind (`true`).
#[test]
fn navigation_marks_the_current_entry_and_every_page_has_the_footer() {
    let (_d, out) = small();
    let current = |rel: &str| -> Vec<(String, String)> {
        let html = page(&out, rel);
        let sel = Selector::parse("nav[aria-label=Main] a[aria-current]").unwrap();
        html.select(&sel)
            .map(|a| {
                (
                    a.value().attr("href").unwrap_or_default().to_string(),
                    a.value()
                        .attr("aria-current")
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    };
    let pair = |href: &str, how: &str| vec![(href.to_string(), how.to_string())];
    assert_eq!(current("teams/index.html"), pair("/teams/", "page"));
    assert_eq!(current("teams/ops/index.html"), pair("/teams/", "true"));
    assert_eq!(
        current("services/gateway/index.html"),
        pair("/services/", "true")
    );
    assert_eq!(current("ladder/index.html"), pair("/ladder/", "page"));
    // A menu page is its own entry; plain pages have no kind entry in the navigation.
    assert_eq!(
        current("pages/budget-policy/index.html"),
        pair("/pages/budget-policy/", "page")
    );
    assert_eq!(current("tags/index.html"), vec![]);
    assert_eq!(current("assessments/index.html"), vec![]);
    // Every entry is on every page, in the same order.
    let entries = |rel: &str| hrefs(&page(&out, rel), "nav[aria-label=Main] a");
    let all = entries("index.html");
    assert!(all.len() >= 8, "{all:?}");
    for rel in ["teams/ops/index.html", "tags/index.html", "404.html"] {
        assert_eq!(entries(rel), all, "{rel}");
    }
    // The footer, once per page, with the build date.
    for rel in ["index.html", "teams/ops/index.html", "404.html"] {
        let footer = texts(&page(&out, rel), "footer.site-footer");
        assert_eq!(footer.len(), 1, "{rel}");
        assert!(
            footer[0].contains("Built 2026-11-26 with sitrep."),
            "{footer:?}"
        );
    }
}

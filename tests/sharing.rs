//! Knowledge sharing: the session calendar, Atom feeds, the `/data/` export against its JSON
//! Schemas, tag pages, the search index's content, sitemap and robots.txt, code highlighting and
//! the home dashboard's figures, on the fixture portal tests/fixtures/sharing (built on
//! 2026-11-26, served under the sub-path `/cop/`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scraper::{Html, Selector};
use sitrep::{BuildOptions, BuildReport, build};
use tempfile::TempDir;

mod common;

const ROOT: &str = "https://sre.example.test/cop/";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sharing")
}

fn build_to(out: &Path, drafts: bool) -> BuildReport {
    let opts = BuildOptions {
        root: fixture(),
        output: Some(out.to_path_buf()),
        base_url: None,
        drafts,
        build_date: Some(jiff::civil::date(2026, 11, 26)),
    };
    build(&opts).unwrap_or_else(|e| panic!("build failed: {e:?}"))
}

/// One build of the fixture shared by the read-only tests.
fn site() -> &'static (TempDir, BuildReport) {
    static SITE: OnceLock<(TempDir, BuildReport)> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let report = build_to(&dir.path().join("public"), false);
        (dir, report)
    })
}

fn out() -> PathBuf {
    site().0.path().join("public")
}

fn read(rel: &str) -> String {
    let p = out().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn page(rel: &str) -> Html {
    Html::parse_document(&read(rel))
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

fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

// ---------------------------------------------------------------- calendar

fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn value(props: &[ical::property::Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut cals = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = cals
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(cals.next().is_none());
    cal
}

#[test]
fn calendar_is_valid_rfc5545_with_stable_uids_and_folded_lines() {
    let text = read("sessions/calendar.ics");
    // Content lines end with CRLF and are at most 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    // The long title was folded (a CRLF followed by a space).
    assert!(text.contains("\r\n "), "no folded line");

    let cal = parse_calendar(&text);
    assert_eq!(value(&cal.properties, "VERSION"), "2.0");
    assert!(value(&cal.properties, "PRODID").contains("sitrep"));
    // Drafts are left out; oldest first.
    let summaries: Vec<String> = cal
        .events
        .iter()
        .map(|e| value(&e.properties, "SUMMARY"))
        .collect();
    assert_eq!(summaries.len(), 3, "{summaries:?}");
    assert_eq!(summaries[0], "SLOs 101");
    assert_eq!(summaries[1], "Reviewing the API outage");
    assert!(summaries[2].starts_with("A very long session title about error budgets"));
    // Unfolded, the long title is whole again (the parser keeps RFC 5545's text escapes).
    assert_eq!(
        summaries[2],
        "A very long session title about error budgets\\, burn rates\\, alerting\\; and what to do when\\, at last\\, the budget is gone"
    );

    for e in &cal.events {
        let uid = value(&e.properties, "UID");
        assert!(
            uid.starts_with("session-") && uid.ends_with("@sre.example.test"),
            "{uid}"
        );
        assert_eq!(value(&e.properties, "DTSTAMP"), "20261126T000000Z");
        let start = prop(&e.properties, "DTSTART").unwrap();
        let params = start.params.clone().unwrap_or_default();
        assert!(
            params
                .iter()
                .any(|(k, v)| k == "VALUE" && v == &["DATE".to_string()])
        );
        let url = value(&e.properties, "URL");
        assert!(url.starts_with(&format!("{ROOT}sessions/")), "{url}");
    }
    let review = &cal.events[1];
    assert_eq!(value(&review.properties, "DTSTART"), "20261020");
    assert_eq!(value(&review.properties, "DTEND"), "20261021");
    assert_eq!(
        value(&review.properties, "LOCATION"),
        "Room 1\\, Building A"
    );
    assert_eq!(
        value(&review.properties, "UID"),
        "session-2026-10-20-api-outage-review@sre.example.test"
    );
}

#[test]
fn each_session_has_its_own_calendar_linked_from_its_page() {
    let rel = "sessions/2026-10-20-api-outage-review/";
    let cal = parse_calendar(&read(&format!("{rel}session.ics")));
    assert_eq!(cal.events.len(), 1);
    assert_eq!(
        value(&cal.events[0].properties, "UID"),
        "session-2026-10-20-api-outage-review@sre.example.test",
        "the same UID as in the full calendar, so imports update one event"
    );
    let html = page(&format!("{rel}index.html"));
    assert!(attrs(&html, "a[download]", "href").contains(&format!("/cop/{rel}session.ics")));
    assert!(!out().join("sessions/2026-12-20-draft-session").exists());
}

// ---------------------------------------------------------------- feeds

fn feed(rel: &str) -> atom_syndication::Feed {
    read(rel)
        .parse::<atom_syndication::Feed>()
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn check_feed(f: &atom_syndication::Feed, self_url: &str) {
    // RFC 4287 4.1.1: id, title, updated; an author on the feed (so entries may omit theirs);
    // a self link.
    assert_eq!(f.id(), self_url);
    assert!(!f.title().as_str().is_empty());
    assert!(!f.authors().is_empty());
    let links = f.links();
    assert!(
        links
            .iter()
            .any(|l| l.rel() == "self" && l.href() == self_url)
    );
    assert!(
        links
            .iter()
            .any(|l| l.rel() == "alternate" && l.href().starts_with(ROOT))
    );
    for e in f.entries() {
        assert!(e.id().starts_with(ROOT), "entry id {}", e.id());
        assert!(!e.title().as_str().is_empty());
        assert!(
            e.links()
                .iter()
                .any(|l| l.rel() == "alternate" && l.href().starts_with(ROOT))
        );
        assert!(e.updated() <= f.updated());
        assert!(
            !e.title().as_str().contains("Zanzibar"),
            "a draft in a feed"
        );
    }
}

#[test]
fn feeds_validate_with_absolute_urls_and_no_drafts() {
    let all = feed("atom.xml");
    check_feed(&all, &format!("{ROOT}atom.xml"));
    let titles: Vec<&str> = all.entries().iter().map(|e| e.title().as_str()).collect();
    // The site-wide feed holds the dated kinds, newest first.
    assert_eq!(
        titles[0],
        "A very long session title about error budgets, burn rates, alerting; and what to do when, at last, the budget is gone"
    );
    assert!(titles.contains(&"API outage"));
    assert!(titles.contains(&"SLOs 101"));
    assert!(
        !titles.contains(&"Public API"),
        "undated kinds have their own feeds"
    );
    assert_eq!(all.updated().to_rfc3339(), "2026-12-10T00:00:00+00:00");

    for kind in [
        "teams",
        "services",
        "slos",
        "postmortems",
        "sessions",
        "assessments",
        "pages",
    ] {
        let f = feed(&format!("{kind}/atom.xml"));
        check_feed(&f, &format!("{ROOT}{kind}/atom.xml"));
    }
    let pms = feed("postmortems/atom.xml");
    let ids: Vec<&str> = pms.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        [
            format!("{ROOT}postmortems/2026-10-01-api-outage/"),
            format!("{ROOT}postmortems/2026-09-01-db-slow/")
        ]
    );
    let outage = &pms.entries()[0];
    assert_eq!(
        outage.summary().map(|s| s.as_str()),
        Some("The public API returned errors for 40 minutes.")
    );
    let terms: Vec<&str> = outage.categories().iter().map(|c| c.term()).collect();
    assert_eq!(terms, ["postmortem", "outage", "api"]);
    assert_eq!(outage.authors()[0].name(), "Ada");
    // No score or note of a suppressed group reaches a feed.
    let assessments = read("assessments/atom.xml");
    assert!(!assessments.contains("1.37") && !assessments.contains("Quokkanotes"));
    // Pages link their feed.
    assert!(
        attrs(&page("index.html"), "link[rel=alternate]", "href")
            .contains(&"/cop/atom.xml".to_string())
    );
}

// ---------------------------------------------------------------- data export

fn json(rel: &str) -> serde_json::Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_export_validates_against_its_published_schema() {
    for name in [
        "slos.json",
        "postmortems.json",
        "action-items.json",
        "culture.json",
        "ladder.json",
    ] {
        let v = schema(name);
        let data = json(&format!("data/{name}"));
        let errors: Vec<String> = v
            .iter_errors(&data)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert_eq!(data["version"], 1);
        assert_eq!(data["generated"], "2026-11-26");
        // The schema is published next to the data, identical to the committed one.
        assert_eq!(
            read(&format!("data/schema/{name}")),
            std::fs::read_to_string(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("docs/schema")
                    .join(name)
            )
            .unwrap()
        );
    }
    let html = page("data/index.html");
    assert_eq!(attrs(&html, "main th a", "href").len(), 5);
}

#[test]
fn exports_hold_the_figures_and_no_drafts() {
    let slos = json("data/slos.json");
    let api = slos["slos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "api-availability")
        .unwrap();
    assert_eq!(api["status"], "exhausted");
    assert_eq!(api["team"], "alpha");
    assert_eq!(api["url"], format!("{ROOT}slos/api-availability/"));
    // 1% bad against 0.1% allowed: the budget is overspent nine times over.
    assert!((api["budget_remaining"].as_f64().unwrap() + 9.0).abs() < 1e-9);
    assert!((api["attainment"].as_f64().unwrap() - 0.99).abs() < 1e-12);

    let pms = json("data/postmortems.json");
    let ids: Vec<&str> = pms["postmortems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(!ids.iter().any(|i| i.contains("draft")));
    let outage = pms["postmortems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "2026-10-01-api-outage")
        .unwrap();
    assert_eq!(outage["time_to_detect"], 300);
    assert_eq!(outage["time_to_resolve"], 2400);
    assert_eq!(
        outage["action_items"],
        serde_json::json!({"total": 3, "open": 2, "overdue": 1})
    );

    let items = json("data/action-items.json");
    let items = items["action_items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items.iter().filter(|i| i["overdue"] == true).count(), 2);
    assert!(!read("data/action-items.json").contains("Secret draft item"));

    let ladder = json("data/ladder.json");
    let steps: Vec<u64> = ladder["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["teams"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, [0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    let gamma = ladder["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "gamma")
        .unwrap();
    assert!(gamma["step"].is_null());
}

#[test]
fn culture_export_honours_the_anonymity_rule() {
    let text = read("data/culture.json");
    let culture: serde_json::Value = serde_json::from_str(&text).unwrap();
    let list = culture["assessments"].as_array().unwrap();
    let alpha = list.iter().find(|a| a["team"] == "alpha").unwrap();
    assert_eq!(alpha["suppressed"], false);
    assert_eq!(alpha["respondents"], 8);
    assert_eq!(alpha["class"], "generative");
    assert_eq!(alpha["scores"]["bridging"], 6.0);
    let beta = list.iter().find(|a| a["team"] == "beta").unwrap();
    let mut keys: Vec<&String> = beta.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["date", "suppressed", "team", "url"]);
    assert_eq!(beta["suppressed"], true);
    assert!(!text.contains("1.37") && !text.contains("Quokkanotes"));
    assert_eq!(culture["organisation"]["groups_suppressed"], 1);

    // The schema itself refuses a suppressed group that carries figures.
    let v = schema("culture.json");
    let mut leaky = culture.clone();
    let beta = leaky["assessments"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["team"] == "beta")
        .unwrap();
    beta["respondents"] = 3.into();
    assert!(
        !v.is_valid(&leaky),
        "a suppressed group with a respondent count must not validate"
    );
}

// ---------------------------------------------------------------- tags

#[test]
fn tag_pages_list_documents_of_every_kind() {
    let tags = page("tags/index.html");
    let names = texts(&tags, "main .tag");
    assert!(names.iter().any(|t| t.starts_with("#api 4")), "{names:?}");
    assert!(
        names.iter().any(|t| t.starts_with("#outage 2")),
        "{names:?}"
    );

    let api = page("tags/api/index.html");
    assert_eq!(
        texts(&api, "main h2"),
        ["Services", "SLOs", "Postmortems", "Pages"]
    );
    let links = attrs(&api, "main li a", "href");
    assert_eq!(
        links,
        [
            "/cop/services/api/",
            "/cop/slos/api-availability/",
            "/cop/postmortems/2026-10-01-api-outage/",
            "/cop/pages/runbook/"
        ]
    );
    let outage = page("tags/outage/index.html");
    assert_eq!(texts(&outage, "main h2"), ["Postmortems", "Sessions"]);
    assert!(!read("tags/outage/index.html").contains("Zanzibar"));
    // Every page shows its tags linking to the tag pages.
    let pm = page("postmortems/2026-10-01-api-outage/index.html");
    assert!(attrs(&pm, "main .tags a", "href").contains(&"/cop/tags/outage/".to_string()));
}

// ---------------------------------------------------------------- search index

/// Every fragment of the Pagefind index, decompressed: one JSON record per document.
fn fragments(out: &Path) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(out.join("pagefind/fragment")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let json = text
            .strip_prefix("pagefind_dcd")
            .expect("pagefind's marker");
        all.push(serde_json::from_str(json).unwrap());
    }
    all
}

/// Every file of the search index as text (decompressed when gzipped), to look for leaks.
fn index_texts(out: &Path) -> Vec<String> {
    common::snapshot(&out.join("pagefind"))
        .into_values()
        .map(|bytes| {
            let mut text = Vec::new();
            if flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut text)
                .is_err()
            {
                text = bytes;
            }
            String::from_utf8_lossy(&text).into_owned()
        })
        .collect()
}

fn check_search_index(out: &Path) {
    assert!(out.join("pagefind/pagefind.js").is_file());
    assert!(out.join("pagefind/pagefind-entry.json").is_file());
    assert!(
        !out.join("pagefind/pagefind-ui.js").exists(),
        "the theme has its own UI"
    );
    let frags = fragments(out);
    let urls: Vec<&str> = frags.iter().map(|f| f["url"].as_str().unwrap()).collect();
    assert!(
        urls.contains(&"/postmortems/2026-10-01-api-outage/"),
        "{urls:?}"
    );
    assert!(urls.contains(&"/assessments/beta-2026-06/"), "{urls:?}");
    assert!(!urls.iter().any(|u| u.contains("draft")), "{urls:?}");
    let outage = frags
        .iter()
        .find(|f| f["url"] == "/postmortems/2026-10-01-api-outage/")
        .unwrap();
    assert_eq!(outage["meta"]["title"], "API outage");
    assert_eq!(outage["meta"]["kind"], "postmortem");
    assert_eq!(outage["filters"]["kind"], serde_json::json!(["postmortem"]));
    assert_eq!(
        outage["filters"]["tag"],
        serde_json::json!(["outage", "api"])
    );
    let content = outage["content"].as_str().unwrap();
    assert!(
        content.contains("quokkas")
            && content.contains("40 minutes")
            && content.contains("outage, api"),
        "{content}"
    );
    let session = frags
        .iter()
        .find(|f| f["url"] == "/sessions/2026-10-20-api-outage-review/")
        .unwrap();
    assert!(
        session["content"].as_str().unwrap().contains("Ada, Bob"),
        "speakers are searchable"
    );
    for text in index_texts(out) {
        assert!(
            !text.contains("Zanzibar") && !text.contains("zanzibar"),
            "a draft in the search index"
        );
        assert!(
            !text.contains("1.37")
                && !text.contains("Quokkanotes")
                && !text.contains("quokkanotes"),
            "a suppressed group in the search index"
        );
    }
}

#[test]
fn search_index_holds_published_documents_only_and_is_timed() {
    check_search_index(&out());
    let report = &site().1;
    let search = report.search.expect("the build reports the search index");
    // 3 teams, 2 services, 2 SLOs, 2 postmortems, 3 sessions, 2 assessments, 1 page.
    assert_eq!(search.documents, 15);
    assert!(search.files > 3);
    assert!(search.elapsed <= report.elapsed);
}

#[test]
fn a_drafts_build_shows_drafts_in_pages_but_never_in_machine_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_to(&out, true);
    assert!(
        out.join("postmortems/2026-11-10-draft-incident/index.html")
            .is_file()
    );
    check_search_index(&out);
    for rel in [
        "atom.xml",
        "postmortems/atom.xml",
        "sessions/calendar.ics",
        "data/postmortems.json",
        "data/action-items.json",
        "sitemap.xml",
    ] {
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(
            !text.contains("Zanzibar")
                && !text.contains("draft-incident")
                && !text.contains("Secret draft item"),
            "{rel}"
        );
    }
}

#[test]
fn every_page_has_the_search_box_and_a_link_for_readers_without_javascript() {
    for rel in [
        "index.html",
        "tags/api/index.html",
        "postmortems/2026-10-01-api-outage/index.html",
        "404.html",
    ] {
        let html = page(rel);
        assert_eq!(
            attrs(&html, "header form[role=search]", "action"),
            ["/cop/search/"],
            "{rel}"
        );
        assert_eq!(
            attrs(&html, "header input[type=search]", "name"),
            ["q"],
            "{rel}"
        );
        assert_eq!(
            attrs(&html, "script[type=module]", "src"),
            ["/cop/search.js"],
            "{rel}"
        );
        // Tera escapes `/` in attributes as `&#x2F;`.
        let raw = read(rel).replace("&#x2F;", "/");
        assert!(
            raw.contains("<noscript><a class=\"search-fallback\" href=\"/cop/search/\">"),
            "{rel}"
        );
    }
    let search = page("search/index.html");
    let links = attrs(&search, "main a", "href");
    for want in [
        "/cop/postmortems/",
        "/cop/sessions/",
        "/cop/tags/api/",
        "/cop/culture/",
    ] {
        assert!(links.contains(&want.to_string()), "{want} in {links:?}");
    }
    assert!(out().join("search.js").is_file());
}

// ---------------------------------------------------------------- sitemap, robots, 404

#[test]
fn sitemap_is_valid_and_absolute_robots_points_to_it() {
    let text = read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .map(|u| {
            assert_eq!(u.tag_name().name(), "url");
            u.children()
                .find(|c| c.has_tag_name("loc"))
                .and_then(|l| l.text())
                .unwrap()
        })
        .collect();
    assert!(locs.iter().all(|l| l.starts_with(ROOT)), "{locs:?}");
    for want in [
        "",
        "sessions/",
        "sessions/2026-10-20-api-outage-review/",
        "tags/api/",
        "culture/",
        "search/",
    ] {
        assert!(locs.contains(&format!("{ROOT}{want}").as_str()), "{want}");
    }
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("404") || l.contains("draft"))
    );
    // Every listed page exists.
    for l in &locs {
        let rel = l.strip_prefix(ROOT).unwrap();
        assert!(out().join(rel).join("index.html").is_file(), "{l}");
    }

    assert_eq!(
        read("robots.txt"),
        format!("User-agent: *\nDisallow: /cop/drafts/\nSitemap: {ROOT}sitemap.xml\n")
    );
    let nf = page("404.html");
    assert_eq!(texts(&nf, "h1"), ["Page not found"]);
    assert!(attrs(&nf, "main a", "href").contains(&"/cop/".to_string()));
}

#[test]
fn default_robots_allows_everything_and_names_the_sitemap() {
    let dir = common::portal(&[]);
    let out = dir.path().join("public");
    build(&BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(out.clone()),
        build_date: Some(jiff::civil::date(2026, 11, 26)),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\nAllow: /\nSitemap: https://sre.example.test/sitemap.xml\n"
    );
}

// ---------------------------------------------------------------- sessions

#[test]
fn sessions_index_splits_upcoming_and_past_by_year() {
    let html = page("sessions/index.html");
    assert_eq!(texts(&html, "main h2"), ["Upcoming", "Past"]);
    assert_eq!(texts(&html, "main h3"), ["2026", "2025"]);
    let up = texts(&html, "section[aria-labelledby=h-up] li");
    assert_eq!(up.len(), 1);
    assert!(
        up[0].starts_with("2026-12-10 · A very long session title"),
        "{up:?}"
    );
    assert!(
        up[0].contains("Grace") && up[0].contains("teams: Gamma Team"),
        "{up:?}"
    );
    let y2026 = texts(&html, "section[aria-labelledby=h-past-2026] li");
    assert_eq!(
        y2026,
        ["2026-10-20 · Reviewing the API outage — Ada, Bob · teams: Alpha Team, Beta Team"]
    );
    assert!(attrs(&html, "main a", "href").contains(&"/cop/sessions/calendar.ics".to_string()));
    assert!(!read("sessions/index.html").contains("Zanzibar"));
}

#[test]
fn a_session_shows_on_the_postmortem_it_discusses() {
    let session = page("sessions/2026-10-20-api-outage-review/index.html");
    let related = attrs(&session, "section[aria-labelledby=h-rel] a", "href");
    assert_eq!(
        related,
        [
            "/cop/postmortems/2026-10-01-api-outage/",
            "/cop/slos/api-availability/"
        ]
    );
    let pm = page("postmortems/2026-10-01-api-outage/index.html");
    let discussed = attrs(&pm, "section[aria-labelledby=h-sess] a", "href");
    assert!(
        discussed.contains(&"/cop/sessions/2026-10-20-api-outage-review/".to_string()),
        "{discussed:?}"
    );
}

// ---------------------------------------------------------------- highlighting

#[test]
fn fenced_code_is_highlighted_with_classes_for_light_and_dark() {
    let html = page("pages/runbook/index.html");
    assert_eq!(
        attrs(&html, "pre.hl-code > code", "class"),
        ["language-promql", "language-shell", "language-yaml"]
    );
    let body = read("pages/runbook/index.html");
    assert!(body.contains("hl-support hl-function hl-promql"));
    assert!(
        !body.contains("style=\"color"),
        "classes, not inline colours"
    );
    let css = read("highlight.css");
    assert!(css.contains(".hl-code") && css.contains("prefers-color-scheme: dark"));
    assert!(
        attrs(&html, "link[rel=stylesheet]", "href").contains(&"/cop/highlight.css".to_string())
    );
}

// ---------------------------------------------------------------- home dashboard

#[test]
fn home_dashboard_shows_the_fixture_figures() {
    let html = page("index.html");
    let slo = texts(&html, "section[aria-labelledby=h-slo] .stats li");
    assert_eq!(slo, ["exhausted 1", "no data 1"]);
    assert_eq!(
        texts(&html, "section[aria-labelledby=h-slo] .links a"),
        ["API availability"]
    );
    assert_eq!(
        texts(&html, "section[aria-labelledby=h-ai] .stats li"),
        ["Open 3", "Overdue 2"]
    );
    let up = texts(&html, "section[aria-labelledby=h-up] li");
    assert_eq!(up.len(), 1);
    assert!(up[0].contains("A very long session title"));
    let culture = texts(&html, "section[aria-labelledby=h-cu] .stats li");
    assert_eq!(
        culture,
        ["pathological 0", "bureaucratic 0", "generative 1"]
    );
    assert!(
        texts(&html, "section[aria-labelledby=h-cu] p")
            .iter()
            .any(|p| p.contains("1 not shown"))
    );
    assert_eq!(
        texts(&html, "section[aria-labelledby=h-la] .stats li"),
        ["Step 3 1", "Step 7 1"]
    );
    let latest = attrs(&html, "section[aria-labelledby=h-pm] tbody a", "href");
    assert_eq!(
        latest
            .iter()
            .filter(|h| h.starts_with("/cop/postmortems/2"))
            .collect::<Vec<_>>(),
        [
            "/cop/postmortems/2026-10-01-api-outage/",
            "/cop/postmortems/2026-09-01-db-slow/"
        ]
    );
    let browse = attrs(&html, "section[aria-labelledby=h-ix] a", "href");
    for want in [
        "teams/",
        "services/",
        "slos/",
        "postmortems/",
        "sessions/",
        "assessments/",
        "pages/",
        "tags/",
        "culture/",
        "ladder/",
        "action-items/",
        "search/",
        "atom.xml",
        "sessions/calendar.ics",
        "data/",
    ] {
        assert!(
            browse.contains(&format!("/cop/{want}")),
            "{want} in {browse:?}"
        );
    }
}

// ---------------------------------------------------------------- reproducible

#[test]
fn two_builds_produce_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    build_to(&a, false);
    let first = common::snapshot(&a);
    let b = dir.path().join("b");
    build_to(&b, false);
    let second = common::snapshot(&b);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            second[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
}

//! Culture assessments (Westrum) and the adoption ladder, end to end: a fixture portal with both
//! inputs (aggregated yaml and raw survey csv) built and checked on /culture/, /culture/survey/,
//! /ladder/, the team and assessment pages; the anonymity rule checked over EVERY output file;
//! and the bad inputs of this area reported with file, line, column and code.
//!
//! The fixture (tests/fixtures/culture), worked by hand:
//! - alpha 2026-03-10 (yaml, 8 respondents): 4.5 4.0 4.2 4.4 3.8 4.3, overall 25.2/6 = 4.20.
//! - alpha 2026-09-01 (csv, 6 respondents, 3 blank cells): cooperation 32/6 = 5.33, messengers
//!   30/6 = 5.00, risks 27/5 = 5.40, bridging 28/5 = 5.60, failure 25/5 = 5.00, novelty
//!   34/6 = 5.67; overall 32/6 = 5.33 (generative); change since 2026-03-10 +1.13.
//! - beta 2026-03-02 (csv, 6): 17/6 = 2.83, 16/6 = 2.67, 2.67, 2.67, 15/6 = 2.50, 2.67; overall
//!   96/36 = 2.67 (pathological).
//! - beta 2026-09-01 (csv, 3 respondents: SUPPRESSED, and beta's latest): 4/3 = 1.33, 20/3 = 6.67,
//!   7/3 = 2.33, 19/3 = 6.33, 1.33, 6.67; overall 74/18 = 4.11. Against beta's March results the
//!   changes would be -1.50, +4.00, -0.33, +3.67, -1.17, +4.00, overall +1.44.
//! - gamma 2026-06-01 (csv, 5 respondents, only 4 answered risks: WITHHELD, 27/4 = 6.75):
//!   4.60, 4.60, -, 4.40, 4.40, 4.60; overall of the five shown 22.6/5 = 4.52 (bureaucratic); with
//!   risks it would be 4.89.
//! - organization at each team's latest (alpha Sept, gamma June; beta not enough responses),
//!   weighted by answers: cooperation (32 + 23)/11 = 5.00, messengers 53/11 = 4.82, risks 5.40
//!   (alpha only), bridging 50/10 = 5.00, failure 47/10 = 4.70, novelty 57/11 = 5.18; overall
//!   30.1/6 = 5.02.

mod common;

use std::path::{Path, PathBuf};

use common::{portal, write};
use jiff::civil::date;
use scraper::{Html, Selector};
use sitrep::{BuildError, BuildOptions, Diagnostic, Severity};
use tempfile::TempDir;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/culture")
}

fn build_to(root: &Path, out: &Path) -> sitrep::BuildReport {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        build_date: Some(date(2026, 11, 26)),
        ..Default::default()
    };
    match sitrep::build(&opts) {
        Ok(r) => r,
        Err(e) => panic!("build of {} failed: {e:?}", root.display()),
    }
}

/// The fixture built into a fresh folder.
fn built() -> TempDir {
    let out = tempfile::tempdir().expect("temp");
    build_to(&fixture(), out.path());
    out
}

/// A copy of the fixture, with `edit` applied to sitrep.yaml.
fn fixture_copy(edit: impl Fn(&str) -> String) -> TempDir {
    let dir = tempfile::tempdir().expect("temp");
    for entry in walkdir::WalkDir::new(fixture()) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(fixture()).expect("below");
            let bytes = std::fs::read(entry.path()).expect("read");
            write(dir.path(), &rel.to_string_lossy(), bytes);
        }
    }
    let cfg = dir.path().join("sitrep.yaml");
    let text = std::fs::read_to_string(&cfg).expect("config");
    std::fs::write(&cfg, edit(&text)).expect("write config");
    dir
}

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

fn norm(s: impl AsRef<str>) -> String {
    s.as_ref().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("selector");
    html.select(&sel)
        .map(|e| norm(e.text().collect::<Vec<_>>().join(" ")))
        .collect()
}

fn main_text(html: &Html) -> String {
    texts(html, "main").join(" ")
}

/// The cells (th and td) of each row of the first table matching `table`.
fn rows(html: &Html, table: &str) -> Vec<Vec<String>> {
    let t = Selector::parse(table).expect("selector");
    let tr = Selector::parse("tr").expect("selector");
    let cell = Selector::parse("th, td").expect("selector");
    let table = html
        .select(&t)
        .next()
        .unwrap_or_else(|| panic!("no {table}"));
    table
        .select(&tr)
        .map(|r| {
            r.select(&cell)
                .map(|c| norm(c.text().collect::<Vec<_>>().join(" ")))
                .collect()
        })
        .collect()
}

fn row_starting<'a>(rows: &'a [Vec<String>], start: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with(start)))
        .unwrap_or_else(|| panic!("no row starting with {start:?} in {rows:#?}"))
}

// ---------------------------------------------------------------------------------------------
// Anonymity over the whole output

/// Every file of the output, as text (lossy for binary files).
fn all_files(out: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read");
            (
                e.path().strip_prefix(out).expect("below").to_path_buf(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

/// Where `needle` occurs as a whole number in `text`: not preceded by a digit or a decimal
/// point, not followed by a digit (so "3.67" does not match "13.67" or "3.675").
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    text.match_indices(needle)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + needle.len()).copied();
            !before.is_some_and(|b| b.is_ascii_digit() || b == b'.')
                && !after.is_some_and(|b| b.is_ascii_digit())
        })
        .collect()
}

/// Every (file, needle, context) where one of `needles` occurs in the output.
fn find_in_output(out: &Path, needles: &[&str]) -> Vec<(PathBuf, String, String)> {
    let mut found = Vec::new();
    for (path, text) in all_files(out) {
        for needle in needles {
            for i in occurrences(&text, needle) {
                let mut lo = i.saturating_sub(60);
                while !text.is_char_boundary(lo) {
                    lo -= 1;
                }
                let mut hi = (i + needle.len() + 60).min(text.len());
                while !text.is_char_boundary(hi) {
                    hi += 1;
                }
                found.push((path.clone(), needle.to_string(), text[lo..hi].to_string()));
            }
        }
    }
    found
}

/// The suppressed group (beta 2026-09-01) in every form its figures could take: means with two
/// and one decimals, its overall, the changes against beta's previous assessment (with ASCII and
/// typographic minus), and the withheld aspect of gamma (6.75; overall with it 4.89).
const SUPPRESSED: &[&str] = &[
    "1.33", "6.67", "2.33", "6.33", "4.11", "1.3", "6.7", "2.3", "6.3", "4.1", "+4.00", "+3.67",
    "-1.50", "−1.50", "-1.17", "−1.17", "+1.44", "-0.33", "−0.33", "6.75", "6.8", "4.89",
];

/// Raw rows of the survey: the suppressed group's and one of a shown group.
const RAW_ROWS: &[&str] = &[
    "1,7,2,6,1,7",
    "2,7,1,6,2,6",
    "1,6,4,7,1,7",
    "beta,2026-09-01",
    "alpha,2026-09-01,6,5,5,6,5,6",
];

#[test]
fn suppressed_and_withheld_values_appear_in_no_output_file() {
    let out = built();
    let leaks = find_in_output(out.path(), SUPPRESSED);
    assert!(
        leaks.is_empty(),
        "suppressed values in the output: {leaks:#?}"
    );
    let raw = find_in_output(out.path(), RAW_ROWS);
    assert!(raw.is_empty(), "raw survey rows in the output: {raw:#?}");
    // No raw csv is copied: the only csv in the output is the survey template.
    let csvs: Vec<PathBuf> = all_files(out.path())
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    assert_eq!(
        csvs,
        vec![PathBuf::from("culture/survey/survey-template.csv")]
    );
    // The search is not vacuous: shown figures are found the same way.
    for shown in ["5.33", "5.67", "4.52", "2.83", "+1.13"] {
        assert!(
            !find_in_output(out.path(), &[shown]).is_empty(),
            "{shown} should be in the output"
        );
    }
}

/// The control experiment: with a threshold of 3 the same group is shown, and the search above
/// finds its figures in exactly the forms it looks for. So the absence above is the rule at work.
#[test]
fn the_same_search_finds_the_group_when_the_threshold_lets_it_through() {
    let dir = fixture_copy(|c| c.replace("min_respondents: 5", "min_respondents: 3"));
    let out = tempfile::tempdir().expect("temp");
    build_to(dir.path(), out.path());
    for v in ["1.33", "6.67", "2.33", "6.33", "4.11", "6.75"] {
        assert!(
            !find_in_output(out.path(), &[v]).is_empty(),
            "{v} should be shown with min_respondents 3"
        );
    }
    // Beta's change since March is published once September is shown.
    assert!(!find_in_output(out.path(), &["+4.00"]).is_empty());
}

/// The sample portal: the data-platform group of 2026-03-16 has 3 respondents. Its means
/// (3.67, 2.33, ...) coincide with shown figures of other groups, so here the check is on its raw
/// rows and on the files, which are distinctive.
#[test]
fn the_sample_portal_publishes_no_raw_response() {
    let out = tempfile::tempdir().expect("temp");
    build_to(&PathBuf::from(env!("CARGO_MANIFEST_DIR")), out.path());
    let rows = [
        "data-platform,2026-03-16",
        "2,1,1,3,1,2",
        "4,2,3,4,4,5",
        "5,4,4,5,3,4",
    ];
    let found = find_in_output(out.path(), &rows);
    assert!(found.is_empty(), "{found:#?}");
    let html = main_text(&page(
        out.path(),
        "assessments/data-platform-2026-03-16/index.html",
    ));
    assert!(
        html.contains("Not enough responses (3 respondents;"),
        "{html}"
    );
    // Its overall, 57/18 = 3.17, would be the only figure on its own team page's history.
    let team = page(out.path(), "teams/data-platform/index.html");
    let hist = rows_of_history(&team);
    assert!(
        hist.iter().all(|r| !r.contains(&"3.17".to_string())),
        "{hist:#?}"
    );
}

fn rows_of_history(html: &Html) -> Vec<Vec<String>> {
    rows(html, "#h-cult ~ div table.history")
}

// ---------------------------------------------------------------------------------------------
// Pages

#[test]
fn culture_page_heatmap_distribution_trends_and_meanings() {
    let out = built();
    let html = page(out.path(), "culture/index.html");
    let heat = rows(&html, "table.heatmap");
    assert_eq!(
        heat[0],
        [
            "Team",
            "High cooperation",
            "Messengers are trained",
            "Risks are shared",
            "Bridging is encouraged",
            "Failure leads to inquiry",
            "Novelty is implemented",
            "Overall"
        ]
    );
    assert_eq!(
        row_starting(&heat, "Alpha")[..],
        [
            "Alpha 2026-09-01",
            "5.33",
            "5.00",
            "5.40",
            "5.60",
            "5.00",
            "5.67",
            "5.33 generative"
        ]
    );
    // Beta's latest is suppressed: said so with its date, and the older shown results are
    // labelled with their own date, never presented as current.
    let beta = row_starting(&heat, "Beta");
    assert_eq!(beta[0], "Beta 2026-09-01");
    assert!(
        beta[1].starts_with("Not enough responses (3 respondents;"),
        "{beta:?}"
    );
    assert!(
        beta[1].contains("Latest results with enough responses: 2026-03-02 , overall 2.67"),
        "{beta:?}"
    );
    assert_eq!(
        row_starting(&heat, "Gamma")[..],
        [
            "Gamma 2026-06-01",
            "4.60",
            "4.60",
            "too few answers",
            "4.40",
            "4.40",
            "4.60",
            "4.52 bureaucratic"
        ]
    );
    // The organization row: over the shown latest assessments only (beta left out entirely).
    assert_eq!(
        row_starting(&heat, "Organization")[..],
        [
            "Organization (2 teams)",
            "5.00",
            "4.82",
            "5.40",
            "5.00",
            "4.70",
            "5.18",
            "5.02 generative"
        ]
    );
    // Distribution over the classes at each team's latest assessment.
    assert_eq!(
        texts(&html, "#h-org + p + ul.stats li"),
        [
            "pathological 0",
            "bureaucratic 1",
            "generative 1",
            "not enough responses 1"
        ]
    );
    // Text beside each aspect.
    let text = main_text(&html);
    assert!(text.contains("Failure leads to inquiry Failure leads to a blameless inquiry"));
    assert!(text.contains("SLIs and SLOs agreed"));
    // One trend card per team, each with a chart; alpha's change per aspect since March.
    assert_eq!(texts(&html, ".trends h3"), ["Alpha", "Beta", "Gamma"]);
    let charts = Selector::parse(".trends svg[role=img]").expect("selector");
    assert_eq!(html.select(&charts).count(), 3);
    assert!(text.contains("Change per aspect since 2026-03-10"));
    assert!(text.contains("High cooperation 5.33 +0.83"), "{text}");
    assert!(text.contains("Overall 5.33 +1.13"));
    // Beta's history: March shown, September not, and no change for either.
    assert!(text.contains("2026-09-01 3 respondents Not enough responses"));
    assert!(text.contains("2026-03-02 6 respondents 2.67 pathological –"));
}

#[test]
fn trend_chart_leaves_a_gap_for_the_suppressed_assessment() {
    let out = built();
    let html = page(out.path(), "teams/beta/index.html");
    let data = rows(&html, ".chart-data table");
    assert_eq!(
        data[1..],
        [vec!["2026-03-02", "2.7"], vec!["2026-09-01", "–"]]
    );
}

#[test]
fn team_pages_show_their_history() {
    let out = built();
    let alpha = page(out.path(), "teams/alpha/index.html");
    let hist = rows_of_history(&alpha);
    assert_eq!(
        hist[1..],
        [
            vec![
                "2026-09-01 6 respondents",
                "5.33 generative",
                "+1.13 since 2026-03-10"
            ],
            vec!["2026-03-10 8 respondents", "4.20 bureaucratic", "–"],
        ]
    );
    let text = main_text(&alpha);
    assert!(text.contains("Latest assessment, 2026-09-01, per aspect (1-7)"));
    assert!(text.contains("Novelty is implemented 5.67 +1.37"), "{text}");
    let beta = main_text(&page(out.path(), "teams/beta/index.html"));
    assert!(beta.contains("Latest assessment with enough responses, 2026-03-02"));
    assert!(beta.contains("Not enough responses"));
    let gamma = main_text(&page(out.path(), "teams/gamma/index.html"));
    assert!(
        gamma.contains("Risks are shared too few answers"),
        "{gamma}"
    );
}

#[test]
fn assessment_pages_radar_and_anonymity() {
    let out = built();
    let html = page(out.path(), "assessments/alpha-2026-09-01/index.html");
    let svg = Selector::parse("svg.radar-svg[role=img]").expect("selector");
    let svg = html.select(&svg).next().expect("a radar chart");
    let labelled = svg.value().attr("aria-labelledby").expect("labelled");
    assert!(
        labelled.ends_with("-t radar-alpha-2026-09-01-westrum-aspects-d"),
        "{labelled}"
    );
    assert_eq!(
        texts(&html, ".radar .legend .key"),
        [
            "2026-09-01",
            "2026-03-10 (previous)",
            "Generative from 5.00"
        ]
    );
    assert_eq!(
        html.select(&Selector::parse(".radar-target").expect("s"))
            .count(),
        1
    );
    let data = rows(&html, ".radar .chart-data table");
    assert_eq!(data[1], ["High cooperation", "5.33", "4.50", "5.00"]);
    assert_eq!(data.len(), 7);
    let text = main_text(&html);
    assert!(
        text.contains("Respondents 6 Overall 5.33 generative Change since 2026-03-10 +1.13"),
        "{text}"
    );
    // The suppressed group's page: no chart, no table, no notes.
    let beta = page(out.path(), "assessments/beta-2026-09-01/index.html");
    assert!(main_text(&beta).contains("Not enough responses (3 respondents;"));
    assert_eq!(
        beta.select(&Selector::parse("main svg, main table").expect("s"))
            .count(),
        0
    );
    // Yaml notes are shown for a shown group; gamma's withheld aspect is explained.
    let yaml = main_text(&page(out.path(), "assessments/alpha-2026-03/index.html"));
    assert!(yaml.contains("First round, run at the team offsite."));
    let gamma = main_text(&page(out.path(), "assessments/gamma-2026-06-01/index.html"));
    assert!(gamma.contains("1 aspect left out: too few people answered it"));
}

#[test]
fn home_page_counts_each_teams_latest_assessment() {
    let out = built();
    let html = page(out.path(), "index.html");
    let text = main_text(&html);
    // Four assessments are shown in all (alpha twice, beta March, gamma), but the home page
    // counts teams at their latest: one generative, one bureaucratic, one not shown.
    assert!(
        text.contains("pathological 0 bureaucratic 1 generative 1"),
        "{text}"
    );
    assert!(text.contains("1 not shown: not enough responses"), "{text}");
    assert!(!text.contains("bureaucratic 2"), "{text}");
}

#[test]
fn survey_page_and_csv_template() {
    let out = built();
    let html = page(out.path(), "culture/survey/index.html");
    let grid = rows(&html, "table.survey-grid");
    assert_eq!(grid.len(), 7);
    assert_eq!(grid[1][0], "1. On my team, information is actively sought.");
    assert_eq!(grid[5][0], "5. On my team, failure causes inquiry.");
    assert_eq!(grid[0][1], "1 Strongly disagree");
    assert_eq!(grid[0][7], "7 Strongly agree");
    let text = main_text(&html);
    assert!(text.contains("A typology of organisation cultures"));
    assert!(text.contains("BMJ Quality & Safety"));
    assert!(text.contains("Accelerate"));
    // The page links the template under the portal's sub-path, and it is the raw input header.
    let link = Selector::parse("a[download]").expect("selector");
    let href = html
        .select(&link)
        .next()
        .expect("download link")
        .value()
        .attr("href");
    assert_eq!(href, Some("/portal/culture/survey/survey-template.csv"));
    let template = std::fs::read_to_string(out.path().join("culture/survey/survey-template.csv"))
        .expect("template");
    assert_eq!(
        template,
        "team,date,cooperation,messengers,risks,bridging,failure,novelty\n"
    );
    // Print CSS exists for the page.
    let css = std::fs::read_to_string(out.path().join("style.css")).expect("css");
    assert!(css.contains("@media print{\nbody:has(.survey)"));

    // A round filled in from the template is valid input: five rows, one skipped answer.
    let mut filled = template.clone();
    for row in [
        "identity,2026-12-01,5,6,5,6,5,",
        "identity,2026-12-01,6,6,5,6,5,5",
        "identity,2026-12-01,5,5,5,5,5,5",
        "identity,2026-12-01,6,6,6,6,6,6",
        "identity,2026-12-01,5,6,5,6,5,5",
    ] {
        filled.push_str(row);
        filled.push('\n');
    }
    let dir = portal(&[
        (
            "sitrep.yaml",
            "title: T\nbase_url: https://sre.example.test/\nculture: {min_respondents: 4}\n",
        ),
        ("content/assessments/round.csv", &filled),
    ]);
    let out2 = tempfile::tempdir().expect("temp");
    build_to(dir.path(), out2.path());
    let a = main_text(&page(
        out2.path(),
        "assessments/identity-2026-12-01/index.html",
    ));
    // novelty: (5 + 5 + 6 + 5) / 4 = 5.25, over the four who answered.
    assert!(a.contains("Novelty is implemented 5.25"), "{a}");
    assert!(a.contains("Respondents 5"), "{a}");
}

#[test]
fn ladder_page_steps_dates_next_steps_evidence_and_distribution() {
    let out = built();
    let html = page(out.path(), "ladder/index.html");
    let table = rows(&html, "table.ladder");
    let alpha = row_starting(&table, "Alpha");
    assert_eq!(alpha[1], "Step 8: Error budget policies");
    assert_eq!(alpha[2], "2026-01-15");
    assert!(alpha[3].starts_with("Step 9: Error-budget-based decision-making."));
    assert_eq!(
        alpha[4],
        "Step 3 the team's services have SLOs Step 5 the team has an escalation policy \
         Step 7 the team has postmortems Step 8 missing: the team's SLOs name an error-budget \
         policy (1 of 2 SLOs names one)"
    );
    let beta = row_starting(&table, "Beta");
    assert_eq!(beta[4], "Step 3 missing: the team's services have SLOs");
    let gamma = row_starting(&table, "Gamma");
    assert!(gamma[1].starts_with("Not on the ladder yet"));
    // The flags are marked with more than colour: a word and a symbol class.
    assert_eq!(
        html.select(&Selector::parse("table.ladder .mark-bad").expect("s"))
            .count(),
        2
    );
    let dist = rows(&html, "table.dist");
    assert_eq!(dist.len(), 11);
    assert_eq!(dist[3][..2], ["3. Initial SLOs set", "1"]);
    assert_eq!(dist[8][..2], ["8. Error budget policies", "1"]);
    assert_eq!(dist[1][..2], ["1. SRE on the list of big initiatives", "0"]);
    assert!(main_text(&html).contains("How the 2 teams on the ladder are spread"));
}

// ---------------------------------------------------------------------------------------------
// Bad input of this area (what tests/bad_input.rs does not already cover)

const HEADER: &str = "team,date,cooperation,messengers,risks,bridging,failure,novelty\n";

fn errors_of(dir: &TempDir) -> Vec<Diagnostic> {
    let out = dir.path().join("public");
    let opts = BuildOptions {
        root: dir.path().to_path_buf(),
        build_date: Some(date(2026, 11, 26)),
        ..Default::default()
    };
    let diags = match sitrep::build(&opts) {
        Err(BuildError::Content(d)) => d,
        other => panic!("expected content errors, got {other:?}"),
    };
    assert!(!out.exists(), "a failed build writes nothing");
    diags
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

#[track_caller]
fn assert_one(
    diags: &[Diagnostic],
    code: &str,
    file: &str,
    line: usize,
    column: usize,
) -> Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one `{code}` expected in {diags:#?}");
    let d = found[0];
    assert_eq!(
        (d.file.as_path(), d.line, d.column),
        (Path::new(file), line, column),
        "{d:#?}"
    );
    d.clone()
}

#[test]
fn unknown_aspect_in_the_csv_header() {
    let text = "team,date,cooperation,messengers,risk,bridging,failure,novelty\nidentity,2026-03-01,5,5,5,5,5,5\n";
    let dir = portal(&[("content/assessments/s.csv", text)]);
    let diags = errors_of(&dir);
    let d = assert_one(&diags, "csv-header", "content/assessments/s.csv", 1, 1);
    assert!(d.message.contains("risk"), "{}", d.message);
    assert!(d.help.unwrap_or_default().contains(HEADER.trim()));
}

#[test]
fn unknown_aspect_in_yaml_scores() {
    let dir = portal(&[(
        "content/assessments/identity-2026-03.yaml",
        "team: identity\ndate: 2026-03-01\nrespondents: 9\nscores:\n  cooperation: 5\n  novelity: 4\n",
    )]);
    let diags = errors_of(&dir);
    let d = assert_one(
        &diags,
        "unknown-aspect",
        "content/assessments/identity-2026-03.yaml",
        6,
        3,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `novelty`?"));
}

#[test]
fn bad_dates_in_csv_and_yaml() {
    let csv = format!(
        "{HEADER}identity,2026-03-01,5,5,5,5,5,5\nidentity,2026-13-01,5,5,5,5,5,5\nidentity,01/03/2026,5,5,5,5,5,5\n"
    );
    let dir = portal(&[
        ("content/assessments/s.csv", &csv),
        (
            "content/assessments/identity-2026-03.yaml",
            "team: identity\ndate: 2026-02-30\nrespondents: 9\nscores: {cooperation: 5}\n",
        ),
    ]);
    let diags = errors_of(&dir);
    let csv_dates: Vec<usize> = diags
        .iter()
        .filter(|d| d.code == "bad-date" && d.file == Path::new("content/assessments/s.csv"))
        .map(|d| d.line)
        .collect();
    assert_eq!(csv_dates, vec![3, 4], "{diags:#?}");
    let yaml: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.file == Path::new("content/assessments/identity-2026-03.yaml"))
        .collect();
    assert_eq!(yaml.len(), 1, "{diags:#?}");
    assert_eq!((yaml[0].line, yaml[0].column), (2, 7));
}

#[test]
fn scores_that_are_not_whole_numbers_from_1_to_7_and_rows_without_a_team() {
    let csv = format!(
        "{HEADER}identity,2026-03-01,4.5,5,5,5,5,5\nidentity,2026-03-01,5,5,x,5,5,5\n,2026-03-01,5,5,5,5,5,5\nidentity,2026-03-01,5,5,5,5,5,5,5\n"
    );
    let dir = portal(&[("content/assessments/s.csv", &csv)]);
    let diags = errors_of(&dir);
    let codes: Vec<(&str, usize)> = diags.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        codes,
        vec![
            ("score-out-of-range", 2),
            ("score-out-of-range", 3),
            ("missing-field", 4),
            ("ragged-row", 5)
        ]
    );
    assert!(diags[0].message.contains("cooperation"));
    assert!(diags[1].message.contains("risks"));
}

#[test]
fn unknown_team_in_yaml() {
    let dir = portal(&[(
        "content/assessments/x.yaml",
        "team: identiti\ndate: 2026-03-01\nrespondents: 9\nscores: {cooperation: 5}\n",
    )]);
    let diags = errors_of(&dir);
    let d = assert_one(
        &diags,
        "broken-reference",
        "content/assessments/x.yaml",
        1,
        7,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `identity`?"));
}

#[test]
fn two_assessments_of_one_team_on_one_date() {
    let csv = format!("{HEADER}identity,2026-03-01,5,5,5,5,5,5\n");
    let dir = portal(&[
        ("content/assessments/s.csv", &csv),
        (
            "content/assessments/identity-march.yaml",
            "team: identity\ndate: 2026-03-01\nrespondents: 9\nscores: {cooperation: 5}\n",
        ),
    ]);
    let diags = errors_of(&dir);
    // Reported on the second in id order, at its team.
    let d = assert_one(
        &diags,
        "duplicate-assessment",
        "content/assessments/identity-march.yaml",
        1,
        7,
    );
    assert!(
        d.message
            .contains("`identity-2026-03-01` is also in content/assessments/s.csv"),
        "{}",
        d.message
    );
}

#[test]
fn prefer_not_to_answer_cells_are_not_errors_and_still_count() {
    // Five respondents, one of whom skipped everything: still five, so the group is shown.
    let csv = format!(
        "{HEADER}identity,2026-03-01,5,5,5,5,5,5\nidentity,2026-03-01,7,5,5,5,5,5\nidentity,2026-03-01,,,,,,\nidentity,2026-03-01,6,5,5,5,5,5\nidentity,2026-03-01,6,5,5,5,5,5\n"
    );
    let dir = portal(&[("content/assessments/s.csv", &csv)]);
    let out = tempfile::tempdir().expect("temp");
    build_to(dir.path(), out.path());
    let text = main_text(&page(
        out.path(),
        "assessments/identity-2026-03-01/index.html",
    ));
    // cooperation (5 + 7 + 6 + 6) / 4 = 6.00; but only 4 answered each aspect, fewer than 5:
    // every aspect is withheld, so nothing but the respondent count is shown.
    assert!(text.contains("Respondents 5"), "{text}");
    assert!(text.contains("6 aspects left out"), "{text}");
    assert!(!text.contains("6.00"), "{text}");
}

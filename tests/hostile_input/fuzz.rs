//! Fuzz-like property tests (proptest) for the loaders: inputs are stitched together from
//! fragments that matter to each parser (fences, YAML indicators, anchors, aliases, markdown
//! containers, `@kind/id` links, CSV quotes, BOMs, CRLF, multibyte and control characters) plus
//! arbitrary text. Properties: no panic, every diagnostic points inside the file, and no markup
//! from the input survives escaping. A first step before cargo-fuzz targets (which need minutes
//! of compile time per target on the shared CI machine).

use super::*;
use proptest::prelude::*;
use sitrep::config::Config;
use sitrep::load::{csvdata, document, openslo};
use sitrep::markdown::{self, MarkdownOptions};
use sitrep::model::Kind;

const FRAGMENTS: &[&str] = &[
    "---\n",
    "...\n",
    "\n",
    "\r\n",
    "\u{feff}",
    "title: T\n",
    "title: ",
    "tags: [a, b]\n",
    "tags:\n  - x\n",
    "team: identity\n",
    "service: login\n",
    "objective: 99.9\n",
    "window: 28d\n",
    "severity: SEV1\n",
    "status: published\n",
    "date: 2026-02-30\n",
    "started: 2026-01-01T10:00:00+01:00\n",
    "action_items:\n  - title: x\n    owner: y\n",
    "related: [page/a, slo/b]\n",
    "&a [x, *a]\n",
    "a: &x 1\nb: *x\n",
    "<<: *x\n",
    "!!binary aGk=\n",
    "? complex\n: key\n",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    ":",
    "- ",
    "  ",
    "\t",
    "#",
    "> ",
    "* ",
    "1. ",
    "```\n",
    "| a | b |\n|---|---|\n",
    "[x](@slo/login-availability)",
    "[x](@pages/missing#frag)",
    "[x](@)",
    "[x](../slos/login-availability.md)",
    "[x](javascript:alert(1))",
    "[^1]\n\n[^1]: note\n",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "10:00 ",
    "é",
    "𝄞",
    "\u{0}",
    "\u{202e}",
];

fn text_from(parts: Vec<(usize, String)>) -> String {
    parts
        .into_iter()
        .map(|(i, free)| {
            if i < FRAGMENTS.len() {
                FRAGMENTS[i].to_string()
            } else {
                free
            }
        })
        .collect()
}

/// Texts of up to 40 pieces, each a fragment (mostly) or short arbitrary text.
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec((0..FRAGMENTS.len() + 8, "\\PC{0,12}"), 0..40).prop_map(text_from)
}

/// Like [`hostile_text`] but starting with front matter more often than not.
fn hostile_document() -> impl Strategy<Value = String> {
    (any::<bool>(), hostile_text(), hostile_text()).prop_map(|(fenced, fm, body)| {
        if fenced {
            format!("---\ntitle: T\n{fm}\n---\n{body}")
        } else {
            fm + &body
        }
    })
}

/// Positions are 1-based lines of the file, or 0 for "the whole file".
fn assert_inside(diags: &[Diagnostic], text: &str) {
    let lines = text.split('\n').count();
    for d in diags {
        assert!(
            d.line <= lines,
            "line {} of {lines}: {d:?}\n{text:?}",
            d.line
        );
        assert!(
            d.line > 0 || d.column == 0,
            "a column without a line: {d:?}"
        );
    }
}

fn config() -> Config {
    Config::default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn document_parsing_never_panics_and_points_inside(text in hostile_document(), k in 0..7usize) {
        // Assessments are YAML files, never parsed as markdown (the loader does not call this).
        let kind = Kind::ALL.into_iter().filter(|k| *k != Kind::Assessment).nth(k % 6).unwrap();
        let config = config();
        let opts = document::DocOptions {
            config: &config,
            markdown: MarkdownOptions { allow_raw_html: false, base_path: "/" },
        };
        let normalized = sitrep::load::frontmatter::normalize(&text);
        let (_doc, diags) = document::parse(kind, "fuzzed", Path::new("content/x/fuzzed.md"), &normalized, &opts);
        assert_inside(&diags, &normalized);
    }

    #[test]
    fn markdown_never_lets_markup_or_script_urls_through(body in hostile_text()) {
        let out = markdown::render(&body, "pages", &MarkdownOptions { allow_raw_html: false, base_path: "/sre/" });
        // Markdown images are allowed (`![x](y)`); script, handlers and script URLs are not.
        let found = super::security::csp_violations(&scraper::Html::parse_fragment(&out.html));
        prop_assert!(found.is_empty(), "{:?} in {}", found, out.html);
        let lines = body.split('\n').count();
        for l in &out.links {
            prop_assert!(l.pos.line >= 1 && l.pos.line <= lines, "{:?}", l);
        }
        for l in &out.bad_links {
            prop_assert!(l.pos.line >= 1 && l.pos.line <= lines, "{:?}", l);
        }
    }

    #[test]
    fn csv_readers_never_panic_and_point_inside(
        rows in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("2026-09-01".to_string()),
                    Just("10".to_string()),
                    Just("-1".to_string()),
                    Just("1e309".to_string()),
                    Just("NaN".to_string()),
                    Just("\"a,b\"".to_string()),
                    Just("\"unclosed".to_string()),
                    Just("identity".to_string()),
                    "\\PC{0,6}",
                ],
                0..6,
            ),
            0..12,
        ),
        header in prop_oneof![
            Just("date,good,total".to_string()),
            Just("team,date,cooperation,messengers,risks,bridging,failure,novelty".to_string()),
            "\\PC{0,20}",
        ],
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        text.push_str(&header);
        for r in rows {
            text.push_str(nl);
            text.push_str(&r.join(","));
        }
        let file = Path::new("content/slos/x.csv");
        if let Err(d) = csvdata::measurements(file, &text) {
            assert_inside(&d, &text);
        }
        if let Err(d) = csvdata::survey(file, &text) {
            assert_inside(&d, &text);
        }
    }

    #[test]
    fn openslo_parsing_never_panics_and_points_inside(text in hostile_text(), prefix in any::<bool>()) {
        let text = if prefix {
            format!("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  {text}")
        } else {
            text
        };
        let (_parsed, diags) = openslo::parse(Path::new("content/slos/x.yaml"), &text);
        assert_inside(&diags, &text);
    }
}

proptest! {
    // Whole builds are slower: fewer cases.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_portal_of_fuzzed_files_builds_or_reports_errors(
        files in prop::collection::vec((0..7usize, hostile_document()), 1..6),
    ) {
        let dir = portal(&[]);
        for (n, (k, text)) in files.iter().enumerate() {
            let kind = Kind::ALL[*k];
            let ext = if kind == Kind::Assessment { "yaml" } else { "md" };
            write(dir.path(), &format!("content/{}/fuzz-{n}.{ext}", kind.dir()), text);
        }
        match sitrep::build(&opts(&dir)) {
            Ok(report) => {
                prop_assert_eq!(sitrep::diagnostics::count_errors(&report.diagnostics), 0);
                prop_assert!(public(&dir).join("index.html").is_file());
            }
            Err(BuildError::Content(diags)) => {
                prop_assert!(sitrep::diagnostics::count_errors(&diags) > 0);
                prop_assert!(!public(&dir).exists(), "a failed build wrote output");
            }
            Err(BuildError::Environment(e)) => prop_assert!(false, "environment error: {}", e),
        }
    }
}

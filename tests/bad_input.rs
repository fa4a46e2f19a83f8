//! Bad input: every way an author can get a portal wrong is reported with the exact file, line,
//! column and code, as an error (or a warning where the contract says so), and a failed build
//! writes nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{portal, snapshot, write};
use jiff::civil::date;
use sitrep::{BuildError, BuildOptions, Diagnostic, Severity};
use tempfile::TempDir;

fn opts(dir: &TempDir) -> BuildOptions {
    BuildOptions {
        root: dir.path().to_path_buf(),
        build_date: Some(date(2026, 10, 1)),
        ..Default::default()
    }
}

fn public(dir: &TempDir) -> PathBuf {
    dir.path().join("public")
}

/// Builds with `options`, expects content errors, checks that nothing was written, and returns
/// every diagnostic.
fn build_fails_with(dir: &TempDir, options: &BuildOptions) -> Vec<Diagnostic> {
    let output = options.output.clone().unwrap_or_else(|| public(dir));
    let before = output.exists().then(|| snapshot(&output));
    let diags = match sitrep::build(options) {
        Err(BuildError::Content(d)) => d,
        Err(BuildError::Environment(e)) => {
            panic!("expected content errors, got environment error: {e}")
        }
        Ok(r) => panic!(
            "expected the build to fail, it succeeded with {:?}",
            r.diagnostics
        ),
    };
    match before {
        None => assert!(
            !output.exists(),
            "a failed build must not create {}",
            output.display()
        ),
        Some(before) => assert!(
            before == snapshot(&output),
            "a failed build must leave the previous output untouched"
        ),
    }
    // check agrees with build.
    match sitrep::check(options) {
        Err(BuildError::Content(c)) => assert_eq!(c, diags, "check and build disagree"),
        other => panic!("check should fail like build: {other:?}"),
    }
    diags
}

fn build_fails(dir: &TempDir) -> Vec<Diagnostic> {
    build_fails_with(dir, &opts(dir))
}

/// The one diagnostic with `code`; fails when there are none or several.
fn the<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{code}` diagnostic in {diags:#?}"
    );
    found[0]
}

#[track_caller]
fn assert_at(d: &Diagnostic, file: &str, line: usize, column: usize, severity: Severity) {
    assert_eq!(
        (d.file.as_path(), d.line, d.column, d.severity),
        (Path::new(file), line, column, severity),
        "wrong place or severity for {d:#?}"
    );
}

fn errors(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.is_error()).collect()
}

/// A valid postmortem's front matter lines (without fences), to be varied by tests.
const POSTMORTEM: &str =
    "title: Login outage\ndate: 2026-03-14\nseverity: SEV1\nstatus: published\nservices: [login]\n";

fn postmortem(extra: &str) -> String {
    format!("---\n{POSTMORTEM}{extra}---\nWhat happened.\n")
}

// ---------------------------------------------------------------------------------------------
// Sanity: the base portal builds.

#[test]
fn the_base_portal_builds_cleanly() {
    let dir = portal(&[("content/postmortems/2026-03-14-login.md", &postmortem(""))]);
    let report = sitrep::build(&opts(&dir)).expect("the base portal builds");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert!(public(&dir).join("index.html").is_file());
    assert!(public(&dir).join("services/login/index.html").is_file());
}

// ---------------------------------------------------------------------------------------------
// Front matter

#[test]
fn yaml_syntax_error_points_into_the_file_not_the_front_matter() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\nweight: 1\nsummary: a: b\n---\nBody.\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "yaml-syntax");
    // `summary: a: b` is line 4 of the file (line 3 of the front matter); the second `:` is
    // column 11.
    assert_at(d, "content/pages/charter.md", 4, 11, Severity::Error);
    assert_eq!(errors(&diags).len(), 1, "{diags:#?}");
}

#[test]
fn yaml_syntax_error_on_the_first_front_matter_line() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\n@title: Charter\n---\nWhy.\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "yaml-syntax");
    // Line 1 of the front matter is line 2 of the file.
    assert_at(d, "content/pages/charter.md", 2, 1, Severity::Error);
}

#[test]
fn front_matter_never_closed() {
    let dir = portal(&[(
        "content/services/login.md",
        "---\ntitle: Login\nteam: identity\n\nLogs people in.\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "unclosed-front-matter"),
        "content/services/login.md",
        1,
        1,
        Severity::Error,
    );
}

#[test]
fn file_without_front_matter() {
    let dir = portal(&[("content/pages/notes.md", "# Notes\n\nNo front matter.\n")]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "missing-front-matter"),
        "content/pages/notes.md",
        1,
        1,
        Severity::Error,
    );
}

#[test]
fn empty_file() {
    let dir = portal(&[("content/pages/empty.md", "")]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "empty-file"),
        "content/pages/empty.md",
        1,
        1,
        Severity::Error,
    );
}

#[test]
fn whitespace_only_file_is_empty() {
    let dir = portal(&[("content/pages/blank.md", "\n  \n\t\n")]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "empty-file"),
        "content/pages/blank.md",
        1,
        1,
        Severity::Error,
    );
}

#[test]
fn missing_required_field() {
    let dir = portal(&[(
        "content/services/login.md",
        "---\ntitle: Login\ntier: 1\n---\nNo team.\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "missing-field");
    // Reported at the start of the front matter.
    assert_at(d, "content/services/login.md", 1, 1, Severity::Error);
    assert!(d.message.contains("`team`"), "{}", d.message);
}

#[test]
fn missing_title() {
    let dir = portal(&[("content/pages/charter.md", "---\nmenu: true\n---\nx\n")]);
    let diags = build_fails(&dir);
    let d = the(&diags, "missing-field");
    assert_at(d, "content/pages/charter.md", 1, 1, Severity::Error);
    assert!(d.message.contains("`title`"), "{}", d.message);
}

#[test]
fn wrong_type_objective() {
    let dir = portal(&[(
        "content/slos/login-availability.md",
        "---\ntitle: Login availability\nservice: login\nobjective: high\nwindow: 28d\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "wrong-type");
    assert_at(
        d,
        "content/slos/login-availability.md",
        4,
        12,
        Severity::Error,
    );
    assert!(d.message.contains("objective"), "{}", d.message);
    assert_eq!(errors(&diags).len(), 1, "{diags:#?}");
}

#[test]
fn wrong_type_draft() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\ndraft: maybe\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "wrong-type"),
        "content/pages/charter.md",
        3,
        8,
        Severity::Error,
    );
}

#[test]
fn single_string_where_a_list_is_expected_is_a_list_of_one() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\ntags: culture\n---\nx\n",
    )]);
    let report = sitrep::build(&opts(&dir)).expect("`tags: culture` is a list of one");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert!(public(&dir).join("tags/culture/index.html").is_file());
}

#[test]
fn number_tags_are_wrong_types_at_the_element() {
    // Tags are strings: `tags: 5` is a list of one number, which is a wrong type (quote it).
    let dir = portal(&[
        (
            "content/pages/charter.md",
            "---\ntitle: Charter\ntags: 5\n---\nx\n",
        ),
        (
            "content/pages/history.md",
            "---\ntitle: History\ntags: [outage, 2026]\n---\nx\n",
        ),
    ]);
    let diags = build_fails(&dir);
    let errs = errors(&diags);
    assert_eq!(errs.len(), 2, "{diags:#?}");
    assert_eq!(errs[0].code, "wrong-type");
    assert_at(errs[0], "content/pages/charter.md", 3, 7, Severity::Error);
    assert_eq!(errs[1].code, "wrong-type");
    assert_at(errs[1], "content/pages/history.md", 3, 16, Severity::Error);
}

#[test]
fn wrong_type_in_a_list_element() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        "---\ntitle: Login outage\ndate: 2026-03-14\nseverity: SEV1\nservices: [login, {name: x}]\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "wrong-type");
    assert_at(
        d,
        "content/postmortems/2026-03-14-login.md",
        5,
        19,
        Severity::Error,
    );
}

#[test]
fn unknown_severity_suggests_the_nearest() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        "---\ntitle: Login outage\ndate: 2026-03-14\nseverity: sev2\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "unknown-severity");
    assert_at(
        d,
        "content/postmortems/2026-03-14-login.md",
        4,
        11,
        Severity::Error,
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert!(help.contains("did you mean `SEV2`?"), "{help}");
}

#[test]
fn unknown_field_is_a_warning_naming_the_nearest_field() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem("severty: SEV2\n"),
    )]);
    let report = sitrep::build(&opts(&dir)).expect("an unknown field does not fail the build");
    assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
    let d = &report.diagnostics[0];
    assert_eq!(d.code, "unknown-field");
    assert_at(
        d,
        "content/postmortems/2026-03-14-login.md",
        7,
        1,
        Severity::Warning,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `severity`?"));
    assert!(
        public(&dir)
            .join("postmortems/2026-03-14-login/index.html")
            .is_file()
    );
    // check agrees and succeeds.
    let checked = sitrep::check(&opts(&dir)).expect("check succeeds with a warning");
    assert_eq!(checked, report.diagnostics);
}

#[test]
fn unknown_nested_field_is_a_warning() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem("action_items:\n  - {title: Fix it, owner: Ann, stauts: open}\n"),
    )]);
    let report = sitrep::build(&opts(&dir)).expect("an unknown nested field does not fail");
    let d = the(&report.diagnostics, "unknown-field");
    assert_at(
        d,
        "content/postmortems/2026-03-14-login.md",
        8,
        33,
        Severity::Warning,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `status`?"));
}

#[test]
fn bom_and_crlf_build_fine() {
    let dir = portal(&[(
        "content/services/login.md",
        "\u{feff}---\r\ntitle: Login\r\nteam: identity\r\ntags: [auth]\r\n---\r\nLogs people in; see [the SLO](@slos/login-availability).\r\n",
    )]);
    let report = sitrep::build(&opts(&dir)).expect("BOM and CRLF are fine");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let html = std::fs::read_to_string(public(&dir).join("services/login/index.html")).unwrap();
    assert!(
        html.contains("/slos/login-availability/"),
        "the body link is rewritten"
    );
}

#[test]
fn bom_and_crlf_keep_positions() {
    let dir = portal(&[(
        "content/services/login.md",
        "\u{feff}---\r\ntitle: Login\r\nteam: identiy\r\n---\r\n\r\nSee [x](@slos/login-availabilty).\r\n",
    )]);
    let diags = build_fails(&dir);
    let errs = errors(&diags);
    assert_eq!(errs.len(), 2, "{diags:#?}");
    assert_at(errs[0], "content/services/login.md", 3, 7, Severity::Error);
    assert_at(errs[1], "content/services/login.md", 6, 5, Severity::Error);
}

#[test]
fn non_utf8_bytes_report_the_line_of_the_first_bad_byte() {
    let dir = portal(&[]);
    write(
        dir.path(),
        "content/pages/cafe.md",
        b"---\ntitle: Menu\nsummary: Caf\xe9 au lait\n---\nx \xff\n",
    );
    let diags = build_fails(&dir);
    let d = the(&diags, "not-utf8");
    // `summary: Caf` is 12 characters: the bad byte is the 13th.
    assert_at(d, "content/pages/cafe.md", 3, 13, Severity::Error);
}

#[test]
fn non_utf8_after_multibyte_characters_counts_characters() {
    let dir = portal(&[]);
    write(
        dir.path(),
        "content/pages/cafe.md",
        "---\ntitle: Café crème \u{2014} \n---\n"
            .bytes()
            .chain(*b"\xc3(\n")
            .collect::<Vec<u8>>(),
    );
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "not-utf8"),
        "content/pages/cafe.md",
        4,
        1,
        Severity::Error,
    );
}

// ---------------------------------------------------------------------------------------------
// References and links

#[test]
fn reference_to_a_missing_document_suggests_the_nearest_id() {
    let dir = portal(&[(
        "content/services/login.md",
        "---\ntitle: Login\nteam: identiy\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(d, "content/services/login.md", 3, 7, Severity::Error);
    assert!(d.message.contains("`identiy`"), "{}", d.message);
    assert_eq!(d.help.as_deref(), Some("did you mean `identity`?"));
}

#[test]
fn reference_in_a_list_points_at_the_element() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        "---\ntitle: Login outage\ndate: 2026-03-14\nseverity: SEV1\nservices:\n  - login\n  - logn\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(
        d,
        "content/postmortems/2026-03-14-login.md",
        7,
        5,
        Severity::Error,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `login`?"));
}

#[test]
fn body_link_to_a_missing_document() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\n# Charter\n\nWe own the\nlogin flow: see [the login service](@services/logn) now.\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(d, "content/pages/charter.md", 7, 17, Severity::Error);
    assert!(d.message.contains("`logn`"), "{}", d.message);
    assert_eq!(d.help.as_deref(), Some("did you mean `login`?"));
}

#[test]
fn body_link_in_a_nested_list_to_a_missing_document() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\n- one\n  - two é [x](@teams/identity) and [y](@teams/idenity#a)\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(d, "content/pages/charter.md", 5, 36, Severity::Error);
    assert_eq!(d.help.as_deref(), Some("did you mean `identity`?"));
}

#[test]
fn relative_md_link_to_a_missing_document() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\nSee [login](../services/logim.md).\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(d, "content/pages/charter.md", 4, 5, Severity::Error);
    assert_eq!(d.help.as_deref(), Some("did you mean `login`?"));
}

#[test]
fn malformed_at_link() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\n\nA [broken](@nothing) link.\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "bad-link");
    assert_at(d, "content/pages/charter.md", 5, 3, Severity::Error);
    assert!(d.message.contains("@nothing"), "{}", d.message);
}

#[test]
fn at_link_with_an_unknown_kind() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\n[a](@servics/login)\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "bad-link"),
        "content/pages/charter.md",
        4,
        1,
        Severity::Error,
    );
}

#[test]
fn related_without_a_kind_is_a_bad_reference() {
    let dir = portal(&[(
        "content/sessions/2026-04-09-slos.md",
        "---\ntitle: SLOs 101\ndate: 2026-04-09\nrelated: [slos/login-availability, login]\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "bad-reference"),
        "content/sessions/2026-04-09-slos.md",
        4,
        36,
        Severity::Error,
    );
}

#[test]
fn ids_differing_only_in_case_are_both_reported() {
    let dir = portal(&[
        ("content/pages/a.md", "---\ntitle: A\n---\nx\n"),
        ("content/pages/A.md", "---\ntitle: Big A\n---\nx\n"),
    ]);
    let diags = build_fails(&dir);
    let dups: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(dups.len(), 2, "{diags:#?}");
    // A clash is about the whole file: line 0, column 0.
    assert_at(dups[0], "content/pages/A.md", 0, 0, Severity::Error);
    assert_at(dups[1], "content/pages/a.md", 0, 0, Severity::Error);
    assert!(
        dups[0].message.contains("content/pages/a.md"),
        "{}",
        dups[0].message
    );
    assert!(
        dups[1].message.contains("content/pages/A.md"),
        "{}",
        dups[1].message
    );
}

#[test]
fn ids_differing_only_in_a_titlecase_letter_are_reported_too() {
    // U+01C5 is titlecase, not uppercase: it still lowercases to U+01C6.
    let dir = portal(&[
        ("content/pages/x\u{1c5}.md", "---\ntitle: One\n---\nx\n"),
        ("content/pages/x\u{1c6}.md", "---\ntitle: Two\n---\nx\n"),
    ]);
    let diags = build_fails(&dir);
    let dups: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(dups.len(), 2, "{diags:#?}");
}

#[test]
fn same_slo_id_from_markdown_and_openslo_is_a_duplicate() {
    let dir = portal(&[(
        "content/slos/more.yaml",
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: login-availability\nspec:\n  service: login\n  objectives:\n    - targetPercent: 99\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n",
    )]);
    let diags = build_fails(&dir);
    let dups: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(dups.len(), 2, "{diags:#?}");
    assert_eq!(
        dups[0].file,
        Path::new("content/slos/login-availability.md")
    );
    assert_eq!(dups[1].file, Path::new("content/slos/more.yaml"));
}

#[test]
fn link_from_a_published_page_to_a_draft() {
    let dir = portal(&[
        (
            "content/pages/secret.md",
            "---\ntitle: Secret plan\ndraft: true\n---\nNot yet.\n",
        ),
        (
            "content/pages/charter.md",
            "---\ntitle: Charter\n---\nRead [the plan](@pages/secret).\n",
        ),
    ]);
    let diags = build_fails(&dir);
    let d = the(&diags, "link-to-draft");
    assert_at(d, "content/pages/charter.md", 4, 6, Severity::Error);

    let with_drafts = BuildOptions {
        drafts: true,
        ..opts(&dir)
    };
    let report = sitrep::build(&with_drafts).expect("fine with drafts");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert!(public(&dir).join("pages/secret/index.html").is_file());
}

#[test]
fn front_matter_reference_to_a_postmortem_in_review() {
    // A postmortem in review is a draft: a session relating to it fails without drafts.
    let dir = portal(&[
        (
            "content/postmortems/2026-03-14-login.md",
            &postmortem("").replace("status: published", "status: in-review"),
        ),
        (
            "content/sessions/2026-04-09-outage.md",
            "---\ntitle: Anatomy of an outage\ndate: 2026-04-09\nrelated:\n  - postmortems/2026-03-14-login\n---\nx\n",
        ),
    ]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "link-to-draft"),
        "content/sessions/2026-04-09-outage.md",
        5,
        5,
        Severity::Error,
    );
    let with_drafts = BuildOptions {
        drafts: true,
        ..opts(&dir)
    };
    sitrep::build(&with_drafts).expect("fine with drafts");
}

// ---------------------------------------------------------------------------------------------
// Postmortems

#[test]
fn timestamps_out_of_order() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem(
            "started_at: 2026-03-14T09:12:00+01:00\ndetected_at: 2026-03-14T09:05:00+01:00\nresolved_at: 2026-03-14T12:30:00+01:00\n",
        ),
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "timestamps-out-of-order");
    assert_at(
        d,
        "content/postmortems/2026-03-14-login.md",
        8,
        14,
        Severity::Error,
    );
    assert!(d.message.contains("detected_at"), "{}", d.message);
}

#[test]
fn timestamp_offsets_are_compared_as_instants() {
    // 09:30+02:00 is 08:30+01:00: before the start.
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem(
            "started_at: 2026-03-14T09:12:00+01:00\nmitigated_at: 2026-03-14T09:30:00+02:00\n",
        ),
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "timestamps-out-of-order"),
        "content/postmortems/2026-03-14-login.md",
        8,
        15,
        Severity::Error,
    );
}

#[test]
fn bad_timestamp_is_a_wrong_type() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem("started_at: yesterday at nine\n"),
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "wrong-type"),
        "content/postmortems/2026-03-14-login.md",
        7,
        13,
        Severity::Error,
    );
}

// ---------------------------------------------------------------------------------------------
// CSV inputs

#[test]
fn bad_measurement_rows_are_reported_with_their_lines() {
    let dir = portal(&[(
        "content/slos/login-availability.csv",
        "date,good,total\n\
         2026-09-01,990,1000\n\
         2026-09-02,1001,1000\n\
         2026-09-03,990,1000\n\
         2026-09-03,995,1000\n\
         2026-09-04,990,1000\n\
         2026-09-02,990,1000\n\
         2026-09-05,990,1000\n",
    )]);
    let diags = build_fails(&dir);
    let errs = errors(&diags);
    assert_eq!(errs.len(), 3, "{diags:#?}");
    let file = "content/slos/login-availability.csv";
    for (d, line) in errs.iter().zip([3, 5, 7]) {
        assert_eq!(d.code, "bad-measurement");
        assert_at(d, file, line, 1, Severity::Error);
    }
    assert!(
        errs[0].message.contains("greater than total"),
        "{}",
        errs[0].message
    );
    assert!(errs[1].message.contains("twice"), "{}", errs[1].message);
    assert!(
        errs[2].message.contains("date order"),
        "{}",
        errs[2].message
    );
}

#[test]
fn measurement_csv_with_crlf_and_bom_keeps_lines() {
    let dir = portal(&[(
        "content/slos/login-availability.csv",
        "\u{feff}date,good,total\r\n2026-09-01,990,1000\r\n2026-09-02,9,x\r\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "bad-measurement"),
        "content/slos/login-availability.csv",
        3,
        1,
        Severity::Error,
    );
}

#[test]
fn measurement_csv_with_a_wrong_header() {
    let dir = portal(&[(
        "content/slos/login-availability.csv",
        "day,good,total\n2026-09-01,990,1000\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "csv-header"),
        "content/slos/login-availability.csv",
        1,
        1,
        Severity::Error,
    );
}

#[test]
fn measurements_file_named_in_front_matter_must_exist() {
    let dir = portal(&[(
        "content/slos/login-availability.md",
        "---\ntitle: Login availability\nservice: login\nobjective: 99.9\nwindow: 28d\nmeasurements: data/login.csv\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "missing-measurements");
    assert_at(
        d,
        "content/slos/login-availability.md",
        6,
        15,
        Severity::Error,
    );
}

const SURVEY_HEADER: &str = "team,date,cooperation,messengers,risks,bridging,failure,novelty\n";

#[test]
fn survey_score_out_of_range_and_ragged_row() {
    let text = format!(
        "{SURVEY_HEADER}\
         identity,2026-03-01,5,5,5,5,5,5\n\
         identity,2026-03-01,5,8,5,5,5,5\n\
         identity,2026-03-01,5,5,5,5,5,5\n\
         identity,2026-03-01,5,5,5\n\
         identity,2026-03-01,0,5,5,5,5,5\n"
    );
    let dir = portal(&[("content/assessments/survey-2026-03.csv", &text)]);
    let diags = build_fails(&dir);
    let file = "content/assessments/survey-2026-03.csv";
    let errs = errors(&diags);
    assert_eq!(errs.len(), 3, "{diags:#?}");
    assert_eq!(errs[0].code, "score-out-of-range");
    assert_at(errs[0], file, 3, 1, Severity::Error);
    assert!(
        errs[0].message.contains("messengers"),
        "{}",
        errs[0].message
    );
    assert_eq!(errs[1].code, "ragged-row");
    assert_at(errs[1], file, 5, 1, Severity::Error);
    assert_eq!(errs[2].code, "score-out-of-range");
    assert_at(errs[2], file, 6, 1, Severity::Error);
    assert!(
        errs[2].message.contains("cooperation"),
        "{}",
        errs[2].message
    );
}

#[test]
fn survey_with_an_unknown_team() {
    let text = format!(
        "{SURVEY_HEADER}identity,2026-03-01,5,5,5,5,5,5\nidentiti,2026-03-01,5,5,5,5,5,5\n"
    );
    let dir = portal(&[("content/assessments/survey-2026-03.csv", &text)]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(
        d,
        "content/assessments/survey-2026-03.csv",
        3,
        1,
        Severity::Error,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `identity`?"));
}

#[test]
fn assessment_yaml_score_out_of_range() {
    let dir = portal(&[(
        "content/assessments/identity-2026-03.yaml",
        "team: identity\ndate: 2026-03-01\nrespondents: 9\nscores:\n  cooperation: 5.1\n  messengers: 4.2\n  risks: 9.5\n  bridging: 4\n  failure: 4\n  novelty: 4\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "score-out-of-range"),
        "content/assessments/identity-2026-03.yaml",
        7,
        10,
        Severity::Error,
    );
}

#[test]
fn assessment_yaml_syntax_error_has_no_front_matter_offset() {
    let dir = portal(&[(
        "content/assessments/identity-2026-03.yaml",
        "team: identity\ndate: 2026-03-01\nrespondents: 9\nscores: {cooperation: 5\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "yaml-syntax");
    assert_at(
        d,
        "content/assessments/identity-2026-03.yaml",
        5,
        1,
        Severity::Error,
    );
}

// ---------------------------------------------------------------------------------------------
// sitrep.yaml

#[test]
fn broken_sitrep_yaml_reports_the_position() {
    let dir = portal(&[(
        "sitrep.yaml",
        "title: Test portal\nbase_url: https://sre.example.test/\nseverities:\n  - {id: SEV1, label: Critical\n  - {id: SEV2}\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "yaml-syntax");
    // The flow mapping opened on line 4 is still open at the `-` of line 5.
    assert_at(d, "sitrep.yaml", 5, 5, Severity::Error);
    assert!(!d.message.contains(" at line "), "{}", d.message);
}

#[test]
fn sitrep_yaml_wrong_type_points_at_the_value() {
    let dir = portal(&[(
        "sitrep.yaml",
        "title: Test portal\nculture:\n  min_respondents: many\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "wrong-type");
    assert_at(d, "sitrep.yaml", 3, 3, Severity::Error);
}

#[test]
fn sitrep_yaml_not_utf8() {
    let dir = portal(&[]);
    write(
        dir.path(),
        "sitrep.yaml",
        b"title: Test\ndescription: caf\xe9\n",
    );
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "not-utf8"),
        "sitrep.yaml",
        2,
        17,
        Severity::Error,
    );
}

#[test]
fn missing_sitrep_yaml_is_an_environment_error() {
    let dir = portal(&[]);
    std::fs::remove_file(dir.path().join("sitrep.yaml")).unwrap();
    assert!(matches!(
        sitrep::build(&opts(&dir)),
        Err(BuildError::Environment(_))
    ));
    assert!(!public(&dir).exists());
}

// ---------------------------------------------------------------------------------------------
// Whole runs

#[test]
fn all_errors_across_files_are_reported_in_one_run() {
    let dir = portal(&[
        (
            "content/services/login.md",
            "---\ntitle: Login\nteam: identiy\n---\nx\n",
        ),
        (
            "content/postmortems/2026-03-14-login.md",
            "---\ntitle: Login outage\ndate: 2026-03-14\nseverity: SEV9\n---\nSee [x](@nothing).\n",
        ),
        (
            "content/slos/login-availability.csv",
            "date,good,total\n2026-09-01,11,10\n",
        ),
        ("content/pages/empty.md", ""),
        (
            "content/slos/login-availability.md",
            "---\ntitle: Login availability\nservice: login\nobjective: 120\nwindow: 28days\n---\nx\n",
        ),
    ]);
    let diags = build_fails(&dir);
    let got: Vec<(String, usize, usize, &str)> = errors(&diags)
        .iter()
        .map(|d| (d.file.display().to_string(), d.line, d.column, d.code))
        .collect();
    let want = vec![
        ("content/pages/empty.md".to_string(), 1, 1, "empty-file"),
        (
            "content/postmortems/2026-03-14-login.md".to_string(),
            4,
            11,
            "unknown-severity",
        ),
        (
            "content/postmortems/2026-03-14-login.md".to_string(),
            6,
            5,
            "bad-link",
        ),
        (
            "content/services/login.md".to_string(),
            3,
            7,
            "broken-reference",
        ),
        (
            "content/slos/login-availability.csv".to_string(),
            2,
            1,
            "bad-measurement",
        ),
        (
            "content/slos/login-availability.md".to_string(),
            4,
            12,
            "out-of-range",
        ),
        (
            "content/slos/login-availability.md".to_string(),
            5,
            9,
            "invalid-window",
        ),
    ];
    assert_eq!(got, want, "{diags:#?}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = portal(&[]);
    sitrep::build(&opts(&dir)).expect("the first build succeeds");
    let before = snapshot(&public(&dir));
    assert!(!before.is_empty());
    write(
        dir.path(),
        "content/services/login.md",
        "---\ntitle: Login renamed\nteam: identiy\n---\nx\n",
    );
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "broken-reference"),
        "content/services/login.md",
        3,
        7,
        Severity::Error,
    );
    assert!(before == snapshot(&public(&dir)), "the output changed");
    // No staging leftovers beside the output either (the manifest of the first build stays).
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        [
            ".public.sitrep-manifest",
            "content",
            "public",
            "sitrep.yaml"
        ]
    );
}

#[test]
fn a_failed_build_into_a_custom_output_writes_nothing() {
    let dir = portal(&[("content/pages/empty.md", "")]);
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let options = BuildOptions {
        output: Some(target.clone()),
        ..opts(&dir)
    };
    build_fails_with(&dir, &options);
    assert!(!target.exists());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

// ---------------------------------------------------------------------------------------------
// The binary

fn sitrep_cmd(dir: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1790000000");
    cmd
}

#[test]
fn binary_exits_1_on_content_errors_and_writes_nothing() {
    let dir = portal(&[(
        "content/services/login.md",
        "---\ntitle: Login\nteam: identiy\n---\nx\n",
    )]);
    let out = sitrep_cmd(&dir).arg("build").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/services/login.md:3:7"), "{stderr}");
    assert!(stderr.contains("identity"), "{stderr}");
    assert!(!public(&dir).exists());

    let out = sitrep_cmd(&dir).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn binary_exits_0_on_warnings_only() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem("severty: SEV2\n"),
    )]);
    let out = sitrep_cmd(&dir).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = sitrep_cmd(&dir)
        .args(["check", "--deny", "warnings"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn binary_exits_1_on_a_broken_sitrep_yaml() {
    let dir = portal(&[("sitrep.yaml", "title: [unclosed\nbase_url: /\n")]);
    let out = sitrep_cmd(&dir).arg("build").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sitrep.yaml:"), "{stderr}");
    assert!(!public(&dir).exists());
}

#[test]
fn binary_exits_2_without_sitrep_yaml() {
    let dir = portal(&[]);
    std::fs::remove_file(dir.path().join("sitrep.yaml")).unwrap();
    for args in [&["build"][..], &["check"], &["check", "--format", "json"]] {
        let out = sitrep_cmd(&dir).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
    assert!(!public(&dir).exists());
}

#[test]
fn binary_exits_2_on_usage_errors() {
    let dir = portal(&[]);
    for args in [
        &["frobnicate"][..],
        &[],
        &["check", "--format", "xml"],
        &["build", "--no-such-flag"],
    ] {
        let out = sitrep_cmd(&dir).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
    let out = sitrep_cmd(&dir)
        .args(["check", "--root", "does-not-exist"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn binary_json_output_is_an_array_of_diagnostics() {
    let dir = portal(&[
        (
            "content/services/login.md",
            "---\ntitle: Login\nteam: identiy\n---\nx\n",
        ),
        (
            "content/postmortems/2026-03-14-login.md",
            &postmortem("severty: SEV2\n"),
        ),
    ]);
    let out = sitrep_cmd(&dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document");
    let items = json.as_array().expect("a JSON array");
    assert_eq!(items.len(), 2, "{json:#}");
    for item in items {
        let obj = item.as_object().expect("objects");
        for key in ["file", "line", "column", "severity", "code", "message"] {
            assert!(obj.contains_key(key), "missing `{key}` in {item}");
        }
        assert!(obj["line"].is_u64() && obj["column"].is_u64(), "{item}");
    }
    let warning = &items[0];
    assert_eq!(warning["file"], "content/postmortems/2026-03-14-login.md");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["code"], "unknown-field");
    assert_eq!(
        (warning["line"].as_u64(), warning["column"].as_u64()),
        (Some(7), Some(1))
    );
    let error = &items[1];
    assert_eq!(error["file"], "content/services/login.md");
    assert_eq!(error["severity"], "error");
    assert_eq!(error["code"], "broken-reference");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(3), Some(7))
    );
}

#[test]
fn binary_json_output_for_a_broken_sitrep_yaml() {
    let dir = portal(&[("sitrep.yaml", "title: Test\nseverities: 5\n")]);
    let out = sitrep_cmd(&dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 1, "{json:#}");
    assert_eq!(items[0]["file"], "sitrep.yaml");
    assert_eq!(items[0]["code"], "wrong-type");
    assert_eq!(
        (items[0]["line"].as_u64(), items[0]["column"].as_u64()),
        (Some(2), Some(13))
    );
}

#[test]
fn binary_json_output_is_an_empty_array_when_clean() {
    let dir = portal(&[]);
    let out = sitrep_cmd(&dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json, serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------------
// Found while writing these tests (each failed before its fix)

#[test]
fn duplicate_key_points_at_the_repeated_key() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\nweight: 1\ntitle: Again\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "yaml-syntax");
    assert_at(d, "content/pages/charter.md", 4, 1, Severity::Error);
    assert!(d.message.contains("duplicate"), "{}", d.message);
}

#[test]
fn duplicate_nested_key_points_at_the_repeated_key() {
    let dir = portal(&[(
        "content/assessments/identity-2026-03.yaml",
        "team: identity\ndate: 2026-03-01\nrespondents: 9\nscores:\n  cooperation: 5\n  risks: 4\n  cooperation: 6\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "yaml-syntax"),
        "content/assessments/identity-2026-03.yaml",
        7,
        3,
        Severity::Error,
    );
}

#[test]
fn wrong_type_slo_service_is_reported_once() {
    let dir = portal(&[(
        "content/slos/login-availability.md",
        "---\ntitle: Login availability\nservice: 5\nobjective: 99.9\nwindow: 28d\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_at(
        the(&diags, "wrong-type"),
        "content/slos/login-availability.md",
        3,
        10,
        Severity::Error,
    );
}

#[test]
fn bad_list_element_of_block_mappings_points_at_its_first_key() {
    let dir = portal(&[(
        "content/postmortems/2026-03-14-login.md",
        &postmortem(
            "action_items:\n  - owner: Ann\n  - title: Fix it\n    due: someday\n  - just text\n",
        ),
    )]);
    let diags = build_fails(&dir);
    let file = "content/postmortems/2026-03-14-login.md";
    let errs = errors(&diags);
    assert_eq!(errs.len(), 3, "{diags:#?}");
    assert_eq!(errs[0].code, "missing-field");
    assert_at(errs[0], file, 8, 5, Severity::Error);
    assert_eq!(errs[1].code, "wrong-type");
    assert_at(errs[1], file, 9, 5, Severity::Error);
    assert_eq!(errs[2].code, "wrong-type");
    assert_at(errs[2], file, 11, 5, Severity::Error);
}

#[test]
fn misspelt_key_in_a_block_list_item_warns_at_the_key() {
    let dir = portal(&[(
        "content/teams/identity.md",
        "---\ntitle: Identity\nescalation:\n  - after: 15m\n    notify: on-call\n  - aftr: 30m\n    notify: lead\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let file = "content/teams/identity.md";
    // The step misses `after` (an error) because `aftr` is misspelt (a warning): both at `aftr`.
    assert_at(the(&diags, "wrong-type"), file, 6, 5, Severity::Error);
    let w = the(&diags, "unknown-field");
    assert_at(w, file, 6, 5, Severity::Warning);
    assert_eq!(w.help.as_deref(), Some("did you mean `after`?"));
}

#[test]
fn openslo_errors_after_an_empty_document_keep_their_lines() {
    let dir = portal(&[(
        "content/slos/more.yaml",
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: login-latency\nspec:\n  service: login\n---\n---\napiVersion: openslo/v2\nkind: SLO\n---\napiVersion: openslo/v1\nkind: SLI\n---\napiVersion: openslo/v1\nkind: Slo\n",
    )]);
    let diags = build_fails(&dir);
    let file = "content/slos/more.yaml";
    assert_at(the(&diags, "openslo-version"), file, 9, 13, Severity::Error);
    let d = the(&diags, "openslo-kind");
    assert_at(d, file, 16, 7, Severity::Error);
    assert_eq!(d.help.as_deref(), Some("did you mean `SLO`?"));
}

#[test]
fn missing_measurements_file_points_at_the_field() {
    // (see measurements_file_named_in_front_matter_must_exist; this one with CRLF line endings)
    let dir = portal(&[(
        "content/slos/login-availability.md",
        "---\r\ntitle: Login availability\r\nservice: login\r\nobjective: 99.9\r\nwindow: 28d\r\nmeasurements: ../data.csv\r\n---\r\nx\r\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "missing-measurements"),
        "content/slos/login-availability.md",
        6,
        15,
        Severity::Error,
    );
}

#[test]
fn non_utf8_column_ignores_a_bom() {
    let dir = portal(&[]);
    write(dir.path(), "sitrep.yaml", b"\xef\xbb\xbftitle: caf\xe9\n");
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "not-utf8"),
        "sitrep.yaml",
        1,
        11,
        Severity::Error,
    );

    let dir = portal(&[]);
    write(
        dir.path(),
        "content/pages/x.md",
        b"\xef\xbb\xbf---\xe9\ntitle: X\n---\n",
    );
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "not-utf8"),
        "content/pages/x.md",
        1,
        4,
        Severity::Error,
    );
}

// ---------------------------------------------------------------------------------------------
// More front matter shapes

#[test]
fn tab_indentation_in_front_matter() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\ntags:\n\t- a\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "yaml-syntax"),
        "content/pages/charter.md",
        4,
        1,
        Severity::Error,
    );
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    let dir = portal(&[("content/pages/charter.md", "---\njust text\n---\nx\n")]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "yaml-syntax"),
        "content/pages/charter.md",
        2,
        1,
        Severity::Error,
    );
}

#[test]
fn empty_title_value_is_missing_at_its_key() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\nmenu: true\ntitle:\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "missing-field"),
        "content/pages/charter.md",
        3,
        1,
        Severity::Error,
    );
}

#[test]
fn impossible_date() {
    let dir = portal(&[(
        "content/postmortems/2026-02-30-x.md",
        "---\ntitle: P\ndate: 2026-02-30\nseverity: SEV1\n---\n",
    )]);
    let diags = build_fails(&dir);
    assert_at(
        the(&diags, "wrong-type"),
        "content/postmortems/2026-02-30-x.md",
        3,
        7,
        Severity::Error,
    );
}

#[test]
fn unknown_enum_value_in_a_block_mapping() {
    let dir = portal(&[(
        "content/slos/login-availability.md",
        "---\ntitle: Login availability\nservice: login\nobjective: 99.9\nwindow: 28d\nsli:\n  type: speed\n---\nx\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "wrong-type");
    assert_at(
        d,
        "content/slos/login-availability.md",
        7,
        3,
        Severity::Error,
    );
    assert!(d.message.contains("speed"), "{}", d.message);
}

#[test]
fn dots_close_front_matter_and_reference_style_links_are_checked() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: Charter\n...\nSee [x][r].\n\n[r]: @services/logn\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "broken-reference");
    assert_at(d, "content/pages/charter.md", 4, 5, Severity::Error);
    assert_eq!(d.help.as_deref(), Some("did you mean `login`?"));
}

#[test]
fn unclosed_quote_in_front_matter() {
    let dir = portal(&[(
        "content/pages/charter.md",
        "---\ntitle: \"Charter\n---\nWhy.\n",
    )]);
    let diags = build_fails(&dir);
    let d = the(&diags, "yaml-syntax");
    // The YAML ends at the closing fence (line 3), where the parser finds the quote still open.
    assert_at(d, "content/pages/charter.md", 3, 1, Severity::Error);
    // Positions in the message are in file coordinates too: the quote opened on line 2.
    assert!(d.message.contains("line 2, column 8"), "{}", d.message);
    assert!(!d.message.contains("line 1"), "{}", d.message);
}

//! The checks behind sitrep's cargo-fuzz targets, one function per target. Each takes the raw
//! fuzz input, drives the same public entry points the loader uses, and panics when a property
//! does not hold: no panic inside sitrep, no hang, every diagnostic and recorded position inside
//! its file, and no script or event handler through the markdown renderer.
//!
//! The fuzz targets in `fuzz_targets/` are one line each around these functions, and
//! `tests/fuzz_regressions.rs` in the main crate includes this file with `#[path]`, so the
//! committed corpus and every input a fuzzer ever crashed on are replayed by `cargo test` on
//! stable, without cargo-fuzz.

use std::borrow::Cow;
use std::path::{Component, Path};

use sitrep::config::Config;
use sitrep::diagnostics::{self, Diagnostic};
use sitrep::load::{assessment, csvdata, document, frontmatter, openslo};
use sitrep::markdown::{self, MarkdownOptions};
use sitrep::model::{Document, Kind};
use sitrep::{BuildError, BuildOptions};

/// A fuzz target's check: panics when a property does not hold for the input.
pub type Check = fn(&[u8]);

/// Every target by name (the folder names under `fuzz/corpus/` and `tests/fuzz_regressions/`).
pub const TARGETS: [(&str, Check); 5] = [
    ("document", document),
    ("markdown", markdown),
    ("csv", csv),
    ("openslo", openslo),
    ("portal", portal),
];

/// The loader reads files as UTF-8 (reporting invalid bytes itself) and then normalizes them;
/// the single-file targets start from there. Lossy decoding keeps inputs with stray bytes useful.
fn text_of(data: &[u8]) -> String {
    let raw = String::from_utf8_lossy(data);
    frontmatter::normalize(&raw).into_owned()
}

/// One markdown file of every kind (and the same text as an assessment's YAML), as the loader
/// parses it: front matter, fields per kind, the body with its links.
pub fn document(data: &[u8]) {
    let text = text_of(data);
    let lines = lines_of(&text);
    let config = Config::default();
    let opts = document::DocOptions {
        config: &config,
        markdown: MarkdownOptions {
            allow_raw_html: false,
            base_path: "/",
        },
    };
    for kind in Kind::ALL {
        let file = Path::new("content").join(kind.dir()).join("fuzz.md");
        let (doc, diags) = if kind == Kind::Assessment {
            assessment::from_yaml("fuzz", &file, &text)
        } else {
            document::parse(kind, "fuzz", &file, &text, &opts)
        };
        check_diagnostics(&diags, &file, &lines);
        match doc {
            Some(doc) => check_document(&doc, &file, &lines),
            None => assert!(
                diagnostics::count_errors(&diags) > 0,
                "no document, no error"
            ),
        }
    }
}

/// A markdown body on its own, with `@kind/id` and relative links resolved from a nested folder.
pub fn markdown(data: &[u8]) {
    let body = text_of(data);
    let out = markdown::render(
        &body,
        "pages/guides",
        &MarkdownOptions {
            allow_raw_html: false,
            base_path: "/sre/",
        },
    );
    check_html(&out.html);
    let lines = lines_of(&body);
    for pos in out
        .links
        .iter()
        .map(|l| l.pos)
        .chain(out.bad_links.iter().map(|l| l.pos))
    {
        assert_inside(pos.line, pos.column, &lines, || {
            format!("a link at {pos:?}")
        });
    }
}

/// The same text as SLO measurements and as raw survey responses (then grouped per team and
/// date, as the loader does).
pub fn csv(data: &[u8]) {
    let text = text_of(data);
    let lines = lines_of(&text);
    let file = Path::new("content/slos/fuzz.csv");
    match csvdata::measurements(file, &text) {
        Ok(m) => {
            assert_eq!(m.rows.len(), m.lines.len(), "one line per measurement");
            for &line in &m.lines {
                assert_inside(line, 0, &lines, || "a measurement".into());
            }
        }
        Err(diags) => check_errors(&diags, file, &lines),
    }
    let file = Path::new("content/assessments/fuzz.csv");
    match csvdata::survey(file, &text) {
        Ok(rows) => {
            for r in &rows {
                assert_inside(r.line, 0, &lines, || "a survey row".into());
            }
            for doc in assessment::from_survey(file, rows) {
                check_document(&doc, file, &lines);
            }
        }
        Err(diags) => check_errors(&diags, file, &lines),
    }
}

/// One OpenSLO file (any number of documents), read and then resolved on its own.
pub fn openslo(data: &[u8]) {
    let text = text_of(data);
    let lines = lines_of(&text);
    let file = Path::new("content/slos/fuzz.yaml");
    let (parsed, diags) = openslo::parse(file, &text);
    check_diagnostics(&diags, file, &lines);
    let resolved = openslo::resolve(&[parsed]);
    check_diagnostics(&resolved.diagnostics, file, &lines);
    for doc in &resolved.docs {
        check_document(doc, file, &lines);
    }
}

/// Where the parts of a `portal` input go, in order: the input is split at lines `%%`.
pub const PORTAL_FILES: [&str; 11] = [
    "content/postmortems/2026-03-14-fuzz.md",
    "content/slos/fuzz.md",
    "content/slos/fuzz.csv",
    "content/slos/openslo.yaml",
    "content/assessments/identity-2026-03.yaml",
    "content/assessments/survey.csv",
    "content/sessions/2026-04-09-fuzz.md",
    "content/teams/fuzz.md",
    "content/services/fuzz.md",
    "content/pages/fuzz.md",
    "sitrep.yaml",
];

/// The line that separates the files of a `portal` input.
pub const SEPARATOR: &[u8] = b"\n%%\n";

/// The small valid portal the fuzzed files are added to (they may replace `sitrep.yaml`).
const BASE: [(&str, &str); 5] = [
    (
        "sitrep.yaml",
        "title: Fuzz portal\nbase_url: https://sre.example.test/sre/\n",
    ),
    (
        "content/teams/identity.md",
        "---\ntitle: Identity\nmembers: [Ann]\n---\nThe identity team.\n",
    ),
    (
        "content/services/login.md",
        "---\ntitle: Login\nteam: identity\n---\nLogs people in.\n",
    ),
    (
        "content/slos/login-availability.md",
        "---\ntitle: Login availability\nservice: login\nobjective: 99.9\nwindow: 28d\n---\nSuccessful logins.\n",
    ),
    (
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\nSee [login](@service/login).\n",
    ),
];

/// Splits a `portal` input into the bytes of each of [`PORTAL_FILES`] (at most that many parts;
/// the last one keeps any further separators).
pub fn portal_parts(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < PORTAL_FILES.len() {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => {
                parts.push(&rest[..i + 1]);
                rest = &rest[i + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// A whole portal: the base portal plus the fuzzed files, checked as `sitrep check` does
/// (loading, indexing and rendering every page in memory). Every diagnostic must name a file of
/// the portal, point inside it, and render for the terminal as the command line shows it.
pub fn portal(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, bytes).expect("write a file");
    };
    for (rel, text) in BASE {
        write(rel, text.as_bytes());
    }
    for (rel, bytes) in PORTAL_FILES.iter().zip(portal_parts(data)) {
        write(rel, bytes);
    }
    let opts = BuildOptions {
        root: root.to_path_buf(),
        build_date: Some(jiff::civil::date(2026, 10, 1)),
        ..Default::default()
    };
    let diags = match sitrep::check(&opts) {
        Ok(diags) => {
            assert_eq!(diagnostics::count_errors(&diags), 0, "errors but Ok");
            diags
        }
        Err(BuildError::Content(diags)) => {
            assert!(diagnostics::count_errors(&diags) > 0, "Err without errors");
            diags
        }
        Err(BuildError::Environment(e)) => panic!("environment error in a valid folder: {e}"),
    };
    for d in &diags {
        assert!(
            !d.file.as_os_str().is_empty()
                && d.file
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
            "a diagnostic names a path that is not relative to the portal: {d:?}"
        );
        let path = root.join(&d.file);
        if path.is_file() {
            let bytes = std::fs::read(&path).expect("read a named file");
            let text = text_of(&bytes);
            assert_inside(d.line, d.column, &lines_of(&text), || format!("{d:?}"));
        } else {
            assert!(path.is_dir(), "a diagnostic names a missing file: {d:?}");
            assert_eq!(d.line, 0, "a line in a folder: {d:?}");
        }
        diagnostics::to_human(d, root, false);
    }
    diagnostics::to_json(&diags);
}

/// Diagnostics of a single-file target name that file and point inside it.
fn check_diagnostics(diags: &[Diagnostic], file: &Path, lines: &[&str]) {
    for d in diags {
        assert_eq!(d.file, file, "a diagnostic names another file: {d:?}");
        assert_inside(d.line, d.column, lines, || format!("{d:?}"));
    }
}

/// A reader's `Err` holds at least one error, and only diagnostics inside the file.
fn check_errors(diags: &[Diagnostic], file: &Path, lines: &[&str]) {
    assert!(
        diagnostics::count_errors(diags) > 0,
        "Err without an error: {diags:?}"
    );
    check_diagnostics(diags, file, lines);
}

/// A loaded document comes from its file, its references point inside it and its body is safe.
fn check_document(doc: &Document, file: &Path, lines: &[&str]) {
    assert_eq!(doc.source, file, "{:?}", doc.key);
    for r in &doc.refs {
        assert_inside(r.pos.line, r.pos.column, lines, || format!("{r:?}"));
    }
    check_html(&doc.body_html);
}

/// The lines of a text as diagnostics count them (split at `\n`), computed once per input so
/// that checking many positions stays linear.
fn lines_of(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

/// `line` and `column` (1-based, columns in characters, 0 for "none") are inside the text of
/// `lines`: a column may point just past the end of its line (the end of the file, a missing
/// value).
#[track_caller]
fn assert_inside(line: usize, column: usize, lines: &[&str], what: impl Fn() -> String) {
    if line == 0 {
        assert_eq!(column, 0, "a column without a line: {}", what());
        return;
    }
    let Some(content) = lines.get(line - 1) else {
        panic!("line {line} of a {}-line file: {}", lines.len(), what());
    };
    // A line has at least one character per 4 bytes: counting them only when that is not enough
    // keeps many positions on one long line linear.
    if column <= content.len() / 4 + 1 {
        return;
    }
    let width = content.chars().count();
    assert!(
        column <= width + 1,
        "column {column} of a {width}-character line {line}: {}",
        what()
    );
}

/// Tags that never come out of markdown with raw HTML escaped.
const FORBIDDEN_TAGS: [&str; 12] = [
    "script", "iframe", "object", "embed", "style", "svg", "math", "form", "base", "meta", "link",
    "frame",
];

/// Attributes the renderer writes (pulldown-cmark, the highlighter and timelines).
/// `tabindex` is the renderer's own, on the box a wide table scrolls in.
const ALLOWED_ATTRIBUTES: [&str; 13] = [
    "href", "src", "alt", "title", "id", "class", "datetime", "type", "checked", "disabled",
    "start", "style", "tabindex",
];

/// Rendered markdown (raw HTML escaped) has no script, no event handler and no script URL. With
/// raw HTML escaped every `<` in the output starts a tag the renderer wrote and every attribute
/// value is quoted, so a scan of the tags sees all there is.
pub fn check_html(html: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        // Closing tags have no attributes (their names were checked when they opened); comments
        // hide nothing from a browser.
        let tag = &rest[..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with('/') || tag.starts_with('!') {
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        assert!(
            !FORBIDDEN_TAGS.contains(&name.as_str()),
            "<{name}> in rendered markdown: {html}"
        );
        for (attr, value) in attributes(&tag[name_end..]) {
            assert!(
                ALLOWED_ATTRIBUTES.contains(&attr.as_str()),
                "attribute `{attr}` on <{name}> in rendered markdown: {html}"
            );
            if attr == "href" || attr == "src" {
                let url = value
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                assert!(
                    sitrep::url::neutralize(&url) == url,
                    "unsafe {attr}=\"{value}\" in rendered markdown: {html}"
                );
            }
        }
    }
}

/// The `name="value"` (or bare `name`) attributes of the inside of a tag, names lowercased.
fn attributes(mut s: &str) -> Vec<(String, Cow<'_, str>)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            return out;
        }
        let name_end = s
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = &s[name_end..];
        let mut value = Cow::Borrowed("");
        if let Some(after) = s.strip_prefix('=') {
            if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted.find('"').unwrap_or(quoted.len());
                value = Cow::Borrowed(&quoted[..end]);
                s = quoted.get(end + 1..).unwrap_or("");
            } else {
                // Unquoted values are never written by the renderer: keep the rest as the value.
                value = Cow::Borrowed(after);
                s = "";
            }
        }
        out.push((name, value));
    }
}

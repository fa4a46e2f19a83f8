//! Hostile input: what a careless or malicious commit can put in a portal (alias bombs, huge and
//! deeply nested documents, odd bytes and names, symlink loops, files vanishing mid-build). Each
//! case ends in a clear diagnostic naming the file, or a correct page: never a panic, never a
//! blow-up, and the previous output untouched when the build fails. tests/bad_input.rs covers the
//! ordinary mistakes (BOM, CRLF and non-UTF-8 markdown, case-clashing ids, a sitrep.yaml syntax
//! error); this file does not repeat them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

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

/// Builds the valid base portal once, adds `files`, and expects the build to fail with content
/// errors, leaving that first output byte for byte. Returns the diagnostics.
fn fails_keeping_previous(files: &[(&str, &[u8])]) -> (TempDir, Vec<Diagnostic>) {
    let dir = portal(&[]);
    sitrep::build(&opts(&dir)).expect("the base portal builds");
    let before = snapshot(&public(&dir));
    for (rel, bytes) in files {
        write(dir.path(), rel, bytes);
    }
    let diags = match sitrep::build(&opts(&dir)) {
        Err(BuildError::Content(d)) => d,
        Err(BuildError::Environment(e)) => panic!("expected content errors, got: {e}"),
        Ok(r) => panic!("expected a failure, got {:?}", r.diagnostics),
    };
    assert!(
        before == snapshot(&public(&dir)),
        "a failed build must leave the previous output untouched"
    );
    (dir, diags)
}

/// The errors among `diags` that name `file`.
fn errors_in<'a>(diags: &'a [Diagnostic], file: &str) -> Vec<&'a Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error && d.file == Path::new(file))
        .collect()
}

#[track_caller]
fn one_error_in<'a>(diags: &'a [Diagnostic], file: &str) -> &'a Diagnostic {
    let found = errors_in(diags, file);
    assert_eq!(found.len(), 1, "expected one error in {file}: {diags:#?}");
    found[0]
}

fn sitrep_cmd(dir: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1790000000");
    cmd
}

// ---------------------------------------------------------------------------------------------
// YAML alias bombs ("billion laughs"): refused quickly, wherever the YAML is.

/// Ten levels of nine aliases each: 9^10 (3.4 billion) nodes if expanded.
fn alias_bomb(indent: &str) -> String {
    let mut text = format!("{indent}a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in 'b'..='k' {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{indent}{name}: &{name} [{refs}]\n"));
        prev = name;
    }
    text
}

#[test]
fn alias_bombs_are_refused_fast_in_every_yaml_input() {
    let bomb = alias_bomb("");
    let cases: Vec<(&str, String)> = vec![
        (
            "content/pages/bomb.md",
            format!("---\ntitle: Bomb\n{bomb}---\nbody\n"),
        ),
        (
            "content/assessments/identity-bomb.yaml",
            format!("team: identity\ndate: 2026-03-16\n{bomb}"),
        ),
        (
            "content/slos/bomb.yaml",
            format!(
                "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: bomb\nspec:\n{}",
                alias_bomb("  ")
            ),
        ),
    ];
    for (rel, text) in cases {
        let started = Instant::now();
        let (_dir, diags) = fails_keeping_previous(&[(rel, text.as_bytes())]);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{rel}: took {:?}",
            started.elapsed()
        );
        assert!(!errors_in(&diags, rel).is_empty(), "{rel}: {diags:#?}");
    }
}

#[test]
fn an_alias_bomb_in_sitrep_yaml_is_an_error_naming_it() {
    let dir = portal(&[(
        "sitrep.yaml",
        &format!("title: T\nbase_url: https://x.test/\n{}", alias_bomb("")),
    )]);
    let started = Instant::now();
    let out = sitrep_cmd(&dir).arg("build").output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sitrep.yaml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!public(&dir).exists());
}

// ---------------------------------------------------------------------------------------------
// Size and depth

#[test]
fn a_50_mb_document_is_a_page_not_a_crash() {
    let dir = portal(&[]);
    let line = "An ordinary paragraph line about error budgets and burn rates, repeated.\n";
    let mut text = String::from("---\ntitle: Huge\n---\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
        if text.len() % 4096 < line.len() {
            text.push('\n');
        }
    }
    write(dir.path(), "content/pages/huge.md", &text);
    match sitrep::build(&opts(&dir)) {
        Ok(_) => {
            let page = std::fs::read_to_string(public(&dir).join("pages/huge/index.html")).unwrap();
            assert!(page.contains("<h1>Huge</h1>") || page.contains(">Huge</h1>"));
            assert!(page.matches("burn rates, repeated.").count() > 600_000);
        }
        Err(BuildError::Content(d)) => {
            one_error_in(&d, "content/pages/huge.md");
        }
        Err(BuildError::Environment(e)) => panic!("{e}"),
    }
}

#[test]
fn huge_front_matter_is_refused_with_a_clear_error() {
    let mut fm = String::from("---\ntitle: Big\ntags:\n");
    while fm.len() < 5 * 1024 * 1024 {
        fm.push_str("  - a-tag-that-goes-on-and-on\n");
    }
    fm.push_str("---\nx\n");
    let (_dir, diags) = fails_keeping_previous(&[("content/pages/big.md", fm.as_bytes())]);
    let d = one_error_in(&diags, "content/pages/big.md");
    assert!(d.message.contains("more than the 4194304"), "{d:?}");
    assert_eq!(d.line, 2, "points at the start of the YAML: {d:?}");
}

/// Builds a portal with one page of `body`. Loading and rendering run on rayon's worker threads
/// (2 MiB stacks), so a recursion per nesting level would overflow long before 10,000 levels.
fn build_page(body: &str) -> TempDir {
    let dir = portal(&[]);
    write(
        dir.path(),
        "content/pages/deep.md",
        format!("---\ntitle: Deep\n---\n{body}"),
    );
    sitrep::build(&opts(&dir)).expect("a deeply nested page builds");
    dir
}

#[test]
fn ten_thousand_nested_blockquotes_do_not_overflow_the_stack() {
    let body = format!("{} deepest\n", ">".repeat(10_000));
    let dir = build_page(&body);
    let page = std::fs::read_to_string(public(&dir).join("pages/deep/index.html")).unwrap();
    assert!(page.contains("deepest"));
}

#[test]
fn ten_thousand_nested_lists_do_not_overflow_the_stack() {
    // Each level indented under the previous item's content: a list nested 10,000 deep.
    let mut body = String::new();
    for level in 0..10_000 {
        body.push_str(&" ".repeat(level * 2));
        body.push_str("- item\n");
    }
    body.push('\n');
    let dir = build_page(&body);
    assert!(public(&dir).join("pages/deep/index.html").is_file());
    // Bullet markers on one line nest too.
    let dir = build_page(&format!("{}deepest\n", "- ".repeat(10_000)));
    let page = std::fs::read_to_string(public(&dir).join("pages/deep/index.html")).unwrap();
    assert!(page.contains("deepest"));
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_stack_overflow() {
    let fm = format!(
        "---\ntitle: Deep\nextra: {}{}\n---\nx\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (_dir, diags) = fails_keeping_previous(&[("content/pages/deep.md", fm.as_bytes())]);
    let d = one_error_in(&diags, "content/pages/deep.md");
    assert!(d.line > 0, "{d:?}");
}

// ---------------------------------------------------------------------------------------------
// Bytes and names

#[test]
fn non_utf8_in_data_files_names_the_file_and_line() {
    let cases: [(&str, &[u8], usize); 2] = [
        (
            "content/assessments/identity-2026-01.yaml",
            b"team: identity\ndate: 2026-01-10\nnotes: caf\xe9\n",
            3,
        ),
        (
            "content/slos/login-availability.csv",
            b"date,good,total\n2026-09-01,10,10\n2026-09-02,9\xff,10\n",
            3,
        ),
    ];
    for (rel, bytes, line) in cases {
        let (_dir, diags) = fails_keeping_previous(&[(rel, bytes)]);
        let d = one_error_in(&diags, rel);
        assert_eq!((d.code, d.line), ("not-utf8", line), "{d:?}");
    }
}

#[test]
fn bom_and_crlf_in_sitrep_yaml_and_assessments_build_fine() {
    let dir = portal(&[
        (
            "sitrep.yaml",
            "\u{feff}title: CRLF portal\r\nbase_url: https://sre.example.test/\r\n",
        ),
        (
            "content/assessments/identity-2026-03.yaml",
            "\u{feff}team: identity\r\ndate: 2026-03-16\r\nrespondents: 7\r\nscores:\r\n  cooperation: 4.9\r\n  messengers: 4.3\r\n  risks: 4.6\r\n  bridging: 4.4\r\n  failure: 4.1\r\n  novelty: 4.7\r\n",
        ),
    ]);
    let report = sitrep::build(&opts(&dir)).expect("BOM and CRLF are fine");
    assert_eq!(sitrep::diagnostics::count_errors(&report.diagnostics), 0);
    let home = std::fs::read_to_string(public(&dir).join("index.html")).unwrap();
    assert!(home.contains("CRLF portal"));
    assert!(!home.contains('\u{feff}'));
}

#[test]
fn ids_with_spaces_and_unicode_get_working_pages_and_links() {
    let dir = portal(&[
        (
            "content/pages/on call guide.md",
            "---\ntitle: On call\nrelated: [page/überblick]\n---\nSee [the overview](@page/überblick).\n",
        ),
        (
            "content/pages/überblick.md",
            "---\ntitle: Überblick\n---\nBack to [the guide](<@page/on call guide>).\n",
        ),
    ]);
    let report = sitrep::build(&opts(&dir)).expect("odd ids build");
    assert_eq!(sitrep::diagnostics::count_errors(&report.diagnostics), 0);
    let out = public(&dir);
    for (file, title) in [
        ("pages/on call guide/index.html", "On call"),
        ("pages/überblick/index.html", "Überblick"),
    ] {
        let html =
            std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(html.contains(title), "{file}");
    }
    // Links are percent-encoded, and decode to the folders written.
    let html = std::fs::read_to_string(out.join("pages/on call guide/index.html")).unwrap();
    assert!(html.contains("href=\"/pages/%C3%BCberblick/\""), "{html}");
    let html = std::fs::read_to_string(out.join("pages/überblick/index.html")).unwrap();
    assert!(
        html.contains("href=\"/pages/on%20call%20guide/\""),
        "{html}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported_not_mangled() {
    use std::os::unix::ffi::OsStrExt;
    let dir = portal(&[]);
    sitrep::build(&opts(&dir)).unwrap();
    let before = snapshot(&public(&dir));
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    let path = dir.path().join("content/pages").join(name);
    std::fs::write(&path, "---\ntitle: Cafe\n---\nx\n").unwrap();
    let diags = match sitrep::build(&opts(&dir)) {
        Err(BuildError::Content(d)) => d,
        other => panic!("a name that cannot become an id must fail the build: {other:?}"),
    };
    let named: Vec<_> = diags
        .iter()
        .filter(|d| d.file == Path::new("content/pages").join(name))
        .collect();
    assert_eq!(named.len(), 1, "{diags:#?}");
    assert_eq!(named[0].code, "not-utf8-name");
    assert!(before == snapshot(&public(&dir)));
}

// ---------------------------------------------------------------------------------------------
// The file system

#[cfg(unix)]
#[test]
fn symlink_loops_in_content_are_reported_once_with_the_folder() {
    let dir = portal(&[]);
    sitrep::build(&opts(&dir)).unwrap();
    let before = snapshot(&public(&dir));
    std::os::unix::fs::symlink("..", dir.path().join("content/pages/loop")).unwrap();
    std::os::unix::fs::symlink("self.md", dir.path().join("content/pages/self.md")).unwrap();
    let diags = match sitrep::build(&opts(&dir)) {
        Err(BuildError::Content(d)) => d,
        other => panic!("{other:?}"),
    };
    let d = one_error_in(&diags, "content/pages/loop");
    assert!(d.message.contains("loop"), "{d:?}");
    one_error_in(&diags, "content/pages/self.md");
    assert!(before == snapshot(&public(&dir)));
}

/// A file that disappears between discovery and reading: the race itself cannot be timed
/// reliably, so both halves are tested. A dangling symlink is a name whose target is gone at
/// discovery; `read_text` on a discovered path that no longer exists is the read half.
#[cfg(unix)]
#[test]
fn a_file_deleted_during_the_build_is_reported_with_its_name() {
    let dir = portal(&[]);
    sitrep::build(&opts(&dir)).unwrap();
    let before = snapshot(&public(&dir));
    std::os::unix::fs::symlink(
        dir.path().join("content/pages/gone-target.md"),
        dir.path().join("content/pages/gone.md"),
    )
    .unwrap();
    let diags = match sitrep::build(&opts(&dir)) {
        Err(BuildError::Content(d)) => d,
        other => panic!("{other:?}"),
    };
    one_error_in(&diags, "content/pages/gone.md");
    assert!(before == snapshot(&public(&dir)));

    let d = sitrep::load::read_text(dir.path(), Path::new("content/pages/deleted.md")).unwrap_err();
    assert_eq!(d.file, Path::new("content/pages/deleted.md"));
    assert_eq!(d.code, "unreadable");
    assert!(d.help.as_deref().unwrap_or("").contains("deleted"), "{d:?}");
}

// ---------------------------------------------------------------------------------------------
// sitrep.yaml shapes bad_input.rs does not cover

#[test]
fn sitrep_yaml_that_is_a_list_or_a_folder() {
    let dir = portal(&[("sitrep.yaml", "- title\n- base_url\n")]);
    let out = sitrep_cmd(&dir).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("sitrep.yaml:1:1"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A folder named sitrep.yaml exists, so "not found" would mislead: an error naming it.
    let dir = portal(&[]);
    std::fs::remove_file(dir.path().join("sitrep.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("sitrep.yaml")).unwrap();
    let out = sitrep_cmd(&dir).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot read sitrep.yaml"), "{stderr}");
    assert!(!stderr.contains("not found"), "{stderr}");
}

#[test]
fn an_empty_sitrep_yaml_means_every_default() {
    let dir = portal(&[("sitrep.yaml", "")]);
    let report = sitrep::build(&opts(&dir)).expect("an empty config is all defaults");
    assert_eq!(sitrep::diagnostics::count_errors(&report.diagnostics), 0);
    assert!(public(&dir).join("index.html").is_file());
}

// ---------------------------------------------------------------------------------------------
// Security: the pages satisfy the documented Content-Security-Policy, and front matter cannot
// inject HTML or script into any output file.

/// Inline `style` attributes the default theme writes, each setting one custom property from a
/// number or a validated CSS colour; the README's CSP allows them with `style-src-attr`.
const THEME_STYLE_ATTRIBUTES: &[&str] = &["--sev:", "--s:", "--v:", "--bar-color:"];

/// Every `.html` file below `root` with its parsed document.
fn html_pages(root: &Path) -> Vec<(PathBuf, scraper::Html)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), scraper::Html::parse_document(&text))
        })
        .collect()
}

/// What a Content-Security-Policy without `'unsafe-inline'` scripts would block on one page.
fn csp_violations(page: &scraper::Html) -> Vec<String> {
    let mut found = Vec::new();
    let all = scraper::Selector::parse("*").unwrap();
    for el in page.select(&all) {
        let v = el.value();
        if v.name() == "script" && v.attr("src").is_none() && v.attr("nonce").is_none() {
            found.push(format!("inline <script>: {}", el.html()));
        }
        for (name, value) in v.attrs() {
            if name.starts_with("on") {
                found.push(format!("event handler {name}=\"{value}\""));
            }
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && (squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:"))
            {
                found.push(format!("script URL {name}=\"{value}\""));
            }
            if name == "style"
                && !THEME_STYLE_ATTRIBUTES
                    .iter()
                    .any(|p| value.trim_start().starts_with(p) && !value.contains(';'))
            {
                found.push(format!(
                    "style attribute outside the documented set: {value}"
                ));
            }
        }
    }
    found
}

#[test]
fn every_page_of_the_sample_portal_satisfies_the_documented_csp() {
    let out = tempfile::tempdir().unwrap();
    sitrep::build(&BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(out.path().join("public")),
        build_date: Some(date(2026, 10, 1)),
        ..Default::default()
    })
    .expect("the sample portal builds");
    let pages = html_pages(&out.path().join("public"));
    assert!(pages.len() > 50, "only {} pages", pages.len());
    let mut problems = Vec::new();
    for (path, page) in &pages {
        for v in csp_violations(page) {
            problems.push(format!("{}: {v}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const SCRIPT: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(2)>";

#[test]
fn front_matter_cannot_inject_html_into_any_output_file() {
    let evil = format!("{SCRIPT} {BREAKOUT}");
    // YAML single-quoted: only ' needs doubling, and the payloads have none.
    let q = |s: &str| format!("'{s}'");
    let dir = portal(&[
        (
            "sitrep.yaml",
            &format!(
                "title: {}\nbase_url: https://sre.example.test/\n",
                q(&format!("Portal {evil}"))
            ),
        ),
        (
            "content/teams/identity.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\nmembers: [{}]\nchannel: {}\ntags: [{}]\n---\nThe team.\n",
                q(&format!("Identity {evil}")),
                q(&evil),
                q(&evil),
                q("javascript:alert(3)"),
                q(&evil)
            ),
        ),
        (
            "content/services/login.md",
            &format!(
                "---\ntitle: {}\nteam: identity\nrunbook: {}\ntags: [{}]\n---\nx\n",
                q(&format!("Login {evil}")),
                q("javascript:alert(4)"),
                q(&evil)
            ),
        ),
        (
            "content/slos/login-availability.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\nservice: login\nobjective: 99.9\nwindow: 28d\n---\nx\n",
                q(&format!("Login SLO {evil}")),
                q(&evil)
            ),
        ),
        (
            "content/sessions/2026-05-01-evil.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\ndate: 2026-05-01\nspeakers: [{}]\nslides: {}\nrecording: {}\nlocation: {}\ntags: [{}]\n---\nx\n",
                q(&format!("Session {evil}")),
                q(&evil),
                q(&evil),
                q("javascript:alert(5)"),
                q(" JaVaScRiPt:alert(6)"),
                q(&evil),
                q(&evil)
            ),
        ),
        (
            "content/pages/charter.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\ntags: [{}]\n---\nWhy we exist.\n",
                q(&format!("Charter {evil}")),
                q(&evil),
                q(&evil)
            ),
        ),
    ]);
    let report = sitrep::build(&opts(&dir)).expect("hostile values are still valid text");
    assert_eq!(
        sitrep::diagnostics::count_errors(&report.diagnostics),
        0,
        "{:#?}",
        report.diagnostics
    );
    let out = public(&dir);
    let mut problems = Vec::new();
    let mut shown_as_text = 0;
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // binary static files carry no front matter
        };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "html" => {
                let page = scraper::Html::parse_document(&text);
                for v in csp_violations(&page) {
                    problems.push(format!("{}: {v}", path.display()));
                }
                let img = scraper::Selector::parse("img[onerror], img[src=x]").unwrap();
                if page.select(&img).next().is_some() {
                    problems.push(format!("{}: an injected <img>", path.display()));
                }
                // The payload is shown to readers as the text the author wrote.
                if page
                    .root_element()
                    .text()
                    .collect::<String>()
                    .contains(SCRIPT)
                {
                    shown_as_text += 1;
                }
            }
            // JSON is data: it must parse, and the payload may only live inside strings, which
            // must not close an HTML <script> element should a page ever inline the file.
            "json" => {
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    problems.push(format!("{}: not valid JSON", path.display()));
                }
                if text.contains("</script") {
                    problems.push(format!("{}: `</script` not escaped", path.display()));
                }
            }
            "css" | "js" => {
                if text.contains("alert(") {
                    problems.push(format!("{}: payload in code", path.display()));
                }
            }
            // Feeds (XML), the calendar and anything added later: markup must arrive escaped.
            _ => {
                if text.contains("<script") || text.contains("<img") {
                    problems.push(format!("{}: raw markup from front matter", path.display()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        shown_as_text >= 5,
        "the payload should be visible as text on the pages that show these values ({shown_as_text})"
    );
}

#[test]
fn the_csp_checker_itself_catches_each_violation() {
    let page = scraper::Html::parse_document(
        "<p style=\"--v: 3\">ok</p><script>x()</script><script src=\"/a.js\"></script>\
         <a href=\" JaVa\tScript:x()\">a</a><img src=x onerror=\"y()\">\
         <p style=\"--v: 3; background: red\">no</p><p style=\"color: red\">no</p>",
    );
    let found = csp_violations(&page);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(found[0].starts_with("inline <script>"));
    assert!(found[1].starts_with("script URL"));
    assert!(found[2].starts_with("event handler onerror"));
}

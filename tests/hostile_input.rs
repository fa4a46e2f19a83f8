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

#[path = "hostile_input/fuzz.rs"]
mod fuzz;
#[path = "hostile_input/security.rs"]
mod security;

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

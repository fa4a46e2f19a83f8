//! Helpers shared by tests/slo.rs and tests/openslo.rs: copy a fixture portal, build it on a
//! fixed date, read pages and the command line's diagnostics.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{ElementRef, Html, Selector};
use sitrep::{BuildOptions, Diagnostic, Severity};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/slo")
        .join(rel)
}

/// Copies `from` into a fresh temporary folder and returns (guard, root).
pub fn copy(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let target = root.join(e.path().strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), &target).unwrap();
    }
    (dir, root)
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

pub fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        build_date: Some(jiff::civil::date(2026, 1, 15)),
        ..Default::default()
    }
}

/// Builds `root` (which must succeed) and returns the warnings.
pub fn build_ok(root: &Path) -> Vec<Diagnostic> {
    match sitrep::build(&options(root)) {
        Ok(r) => r.diagnostics,
        Err(e) => panic!("build of {} failed: {e:?}", root.display()),
    }
}

/// Builds `root`, which must fail with content errors; returns every diagnostic.
pub fn build_err(root: &Path) -> Vec<Diagnostic> {
    match sitrep::build(&options(root)) {
        Err(sitrep::BuildError::Content(d)) => {
            assert!(
                !root.join("public").exists(),
                "a failed build writes nothing"
            );
            d
        }
        other => panic!("expected content errors, got {other:?}"),
    }
}

pub fn cli(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

pub fn page(root: &Path, rel: &str) -> Html {
    let path = root.join("public").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The text of an element, its text nodes separated by spaces, whitespace collapsed.
pub fn text_of(e: ElementRef) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    html.select(&sel(selector)).map(text_of).collect()
}

pub fn main_text(html: &Html) -> String {
    texts(html, "main").join(" ")
}

/// The rows of the table whose caption starts with `caption`, each as its cells' text.
pub fn table(html: &Html, caption: &str) -> Vec<Vec<String>> {
    let t = html
        .select(&sel("table"))
        .find(|t| {
            t.select(&sel("caption"))
                .next()
                .is_some_and(|c| text_of(c).starts_with(caption))
        })
        .unwrap_or_else(|| panic!("no table captioned {caption:?}"));
    t.select(&sel("tbody tr"))
        .map(|r| r.select(&sel("th, td")).map(text_of).collect())
        .collect()
}

/// (file, line, column, code) of each diagnostic with `severity`.
pub fn located(
    diags: &[Diagnostic],
    severity: Severity,
) -> Vec<(String, usize, usize, &'static str)> {
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| {
            (
                d.file.to_string_lossy().replace('\\', "/"),
                d.line,
                d.column,
                d.code,
            )
        })
        .collect()
}

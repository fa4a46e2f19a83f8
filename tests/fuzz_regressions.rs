//! The cargo-fuzz targets' checks on stable, without cargo-fuzz: every committed seed in
//! `fuzz/corpus/<target>/` and every input a fuzzer once failed on, kept in
//! `tests/fuzz_regressions/<target>/` under a name saying what it found, goes through the same
//! function as the fuzz target (`fuzz/src/lib.rs`, included here as a module).

use std::path::{Path, PathBuf};

#[path = "../fuzz/src/lib.rs"]
mod harness;

/// The files of `dir`, sorted; none when it does not exist (a target nothing was found in).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("a folder entry").path()).collect();
    files.sort();
    files
}

/// Runs each file of `dir/<target>/` whose name passes `keep` through the target's check, and
/// returns how many ran.
fn replay(dir: &str, keep: impl Fn(&Path) -> bool) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut ran = 0;
    for (target, check) in harness::TARGETS {
        for file in files_in(&root.join(target)) {
            if !keep(&file) {
                continue;
            }
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} failed", file.display());
            ran += 1;
        }
    }
    ran
}

/// The committed seeds have an extension; inputs a local `cargo fuzz run` adds to the corpus are
/// named by their SHA-1 alone and are not committed (see `fuzz/.gitignore`).
#[test]
fn the_committed_corpus_passes_every_check() {
    let ran = replay("fuzz/corpus", |f| f.extension().is_some());
    assert!(ran >= 50, "only {ran} seeds");
}

#[test]
fn inputs_that_once_failed_pass_every_check() {
    replay("tests/fuzz_regressions", |_| true);
}

#[test]
fn a_portal_input_is_split_into_its_files_at_separator_lines() {
    let parts = harness::portal_parts(b"a\n%%\nb\n%%\n\n%%\nc%%\n");
    assert_eq!(parts, [&b"a\n"[..], b"b\n", b"\n", b"c%%\n"]);
    let many = "x\n%%\n".repeat(20);
    let parts = harness::portal_parts(many.as_bytes());
    assert_eq!(parts.len(), harness::PORTAL_FILES.len());
    assert!(parts.last().unwrap().starts_with(b"x\n%%\nx"));
}

#[test]
fn the_html_check_catches_what_it_is_for() {
    let fails = |html: &str| std::panic::catch_unwind(|| harness::check_html(html)).is_err();
    assert!(!fails(
        "<p>a <a href=\"/x/\">b</a> <img src=\"i.png\" alt=\"\"/></p>\n<!-- c -->"
    ));
    assert!(fails("<p>x</p><script>alert(1)</script>"));
    assert!(fails("<h1 onclick=\"alert(1)\">x</h1>"));
    assert!(fails("<a href=\"javascript:alert(1)\">x</a>"));
    assert!(fails("<a href=\"JaVa\tScript:x\">x</a>"));
    assert!(fails("<img src=\"data:text/html,x\">"));
}

/// Found by the `document` target: libyaml and yaml-rust2 end a line at a lone `\r` (libyaml also
/// at NEL, LS and PS), sitrep and editors' `file:line:column` at `\n` only.
#[test]
fn yaml_positions_count_lines_at_line_feeds_only() {
    use sitrep::load::document::{self, DocOptions};
    use sitrep::markdown::MarkdownOptions;
    use sitrep::model::Kind;
    let config = sitrep::config::Config::default();
    let opts = DocOptions {
        config: &config,
        markdown: MarkdownOptions {
            allow_raw_html: false,
            base_path: "/",
        },
    };
    let at = |text: &str| {
        let file = Path::new("content/postmortems/x.md");
        let (_, diags) = document::parse(Kind::Postmortem, "x", file, text, &opts);
        diags
            .into_iter()
            .map(|d| (d.code, d.line, d.column, d.message))
            .collect::<Vec<_>>()
    };
    // A field after a lone `\r` is on the same line as the field before it.
    let found = at("---\ntitle: A\rseverity: SEV9\ndate: 2026-03-14\nstatus: published\n---\nx\n");
    assert!(
        found
            .iter()
            .any(|d| (d.0, d.1, d.2) == ("unknown-severity", 2, 20)),
        "{found:?}"
    );
    // An unclosed flow sequence after a NEL (U+0085): the end of the front matter, and the `[`
    // on line 2, column 16 where it started.
    let found = at("---\ntitle: A\u{85}tags: [a, b\n---\nx\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1, found[0].2), ("yaml-syntax", 3, 1));
    assert!(
        found[0].3.contains("(it started at line 2, column 16)"),
        "{found:?}"
    );
}

/// Inputs that took longer than the fuzz targets' 10 s timeout because something was computed
/// from the start of the text (or against every earlier heading) once per item. Found reading the
/// code the targets drive rather than by the fuzzer itself, whose inputs stay a few KB; confirmed
/// on the fuzz binaries (31 s, 68 s and minutes), now well under a second there. Generated here:
/// they are hundreds of KB.
#[test]
fn inputs_that_once_hung_finish_within_the_fuzz_timeout() {
    let cases: [(&str, harness::Check, String); 3] = [
        (
            "40,000 links, each placed from the start of the body",
            harness::markdown,
            "[x](@page/a)\n".repeat(40_000),
        ),
        (
            "8,000 headings with the same text, each id checked against every earlier one",
            harness::markdown,
            "# a\n".repeat(8_000),
        ),
        (
            "20,000 blaming phrases in a postmortem, each placed from the start of the body",
            harness::document,
            format!(
                "---\ntitle: x\n---\n{}",
                "The root cause was human error. ".repeat(20_000)
            ),
        ),
    ];
    for (what, check, input) in cases {
        let started = std::time::Instant::now();
        check(input.as_bytes());
        let took = started.elapsed();
        assert!(took.as_secs() < 10, "{what}: {took:?}");
    }
}

//! `sitrep build` into an output it built before: the search index continues the previous
//! build's (only the shards whose documents changed are indexed again, the others carried over
//! from the output), and the output is byte for byte what a build into an empty folder makes.
//! Anything that breaks the chain (a shard file edited in the output, another shard size) means
//! indexing everything again, with the same result.

mod common;

use std::path::Path;
use std::process::Command;

/// Builds `root` into `output` with 8 or so search shards; returns the summary line.
fn build(root: &Path, output: &Path, shard_docs: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("SITREP_SEARCH_SHARD_DOCS", shard_docs)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The output of a build into an empty folder, for comparison.
fn fresh(root: &Path, shard_docs: &str) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let line = build(root, &out, shard_docs);
    assert!(!line.contains("re-indexed"), "{line}");
    common::snapshot(&out)
}

fn assert_same_as_fresh(root: &Path, output: &Path, shard_docs: &str, step: &str) {
    let got = common::snapshot(output);
    let want = fresh(root, shard_docs);
    common::assert_same_files(&got, &want, &format!("{step}, against a fresh build"));
}

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let mut body = std::fs::read_to_string(&path).unwrap();
    body.push_str(text);
    std::fs::write(&path, body).unwrap();
}

#[test]
fn a_rebuild_reindexes_only_changed_shards_and_equals_a_fresh_build() {
    let dir = common::sample_copy();
    let root = dir.path();
    let out_dir = tempfile::tempdir().unwrap();
    let output = out_dir.path().join("public");

    let first = build(root, &output, "10");
    assert!(
        first.contains("shards,") && !first.contains("re-indexed"),
        "{first}"
    );

    append(
        root,
        "content/postmortems/2026-06-10-ios-release-crash.md",
        "\nThe hotfix added a null check for missing addresses.\n",
    );
    let edited = build(root, &output, "10");
    assert!(edited.contains(", 1 re-indexed,"), "{edited}");
    assert_same_as_fresh(root, &output, "10", "one document edited");

    let again = build(root, &output, "10");
    assert!(
        again.contains("up to date"),
        "the carried-over files as recorded: {again}"
    );

    // A static file at a path of the index, added since: it wins, as in a fresh build.
    common::write(root, "static/pagefind/shards.json", "{\"shards\": []}\n");
    let clash = build(root, &output, "10");
    assert!(clash.contains(", 0 re-indexed,"), "{clash}");
    assert_same_as_fresh(root, &output, "10", "a static file over the index");
    std::fs::remove_dir_all(root.join("static")).unwrap();
    // A path written twice leaves no manifest: this build indexes everything and records it.
    let whole = build(root, &output, "10");
    assert!(!whole.contains("re-indexed"), "{whole}");

    // A shard file changed in the output since: nothing of the index is trusted.
    let shard_file = walkdir::WalkDir::new(output.join("pagefind/shard-1"))
        .into_iter()
        .flatten()
        .find(|e| e.file_type().is_file())
        .expect("a file in shard 1")
        .into_path();
    std::fs::write(&shard_file, b"tampered").unwrap();
    append(root, "content/pages/charter.md", "\nOne more line.\n");
    let tampered = build(root, &output, "10");
    assert!(!tampered.contains("re-indexed"), "{tampered}");
    assert_same_as_fresh(root, &output, "10", "a shard file tampered with");

    // Another shard size: another layout, indexed whole.
    append(root, "content/pages/charter.md", "\nAnd another.\n");
    let resized = build(root, &output, "20");
    assert!(!resized.contains("re-indexed"), "{resized}");
    assert_same_as_fresh(root, &output, "20", "another shard size");
}

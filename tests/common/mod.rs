//! Shared helpers for integration tests: a minimal valid portal in a temporary folder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// The files of a minimal valid portal: a config, a team, a service, an SLO and a page.
pub const BASE: &[(&str, &str)] = &[
    (
        "sitrep.yaml",
        "title: Test portal\nbase_url: https://sre.example.test/\n",
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
        "---\ntitle: Charter\n---\nWhy we exist.\n",
    ),
];

/// Writes `bytes` to `root/rel`, creating parent folders.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create folders");
    std::fs::write(path, bytes).expect("write file");
}

/// A portal in a fresh temporary folder: the [`BASE`] files, then `files` (which may replace them).
pub fn portal(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (rel, text) in BASE.iter().chain(files) {
        write(dir.path(), rel, text);
    }
    dir
}

/// Every file below `root` (relative path -> bytes), for before/after comparisons.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .expect("below root")
                .to_path_buf();
            out.insert(rel, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// A copy of the sample portal (every kind, OpenSLO, survey files) in a temporary folder, to edit.
pub fn sample_copy() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.expect("walk the sample");
        let rel = entry
            .path()
            .strip_prefix(repo)
            .expect("below the repository");
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(dir.path().join(rel)).expect("create folder");
        } else {
            std::fs::copy(entry.path(), dir.path().join(rel)).expect("copy file");
        }
    }
    std::fs::copy(repo.join("sitrep.yaml"), dir.path().join("sitrep.yaml")).expect("copy config");
    dir
}

/// Asserts that `got` holds exactly the files of `want`, byte for byte, naming the ones that
/// differ or are missing.
pub fn assert_same_files<K: Ord + std::fmt::Debug>(
    got: &BTreeMap<K, Vec<u8>>,
    want: &BTreeMap<K, Vec<u8>>,
    what: &str,
) {
    let differ: Vec<&K> = want
        .iter()
        .filter(|(p, b)| got.get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    assert!(differ.is_empty(), "{what}: differ: {differ:?}");
    assert_eq!(got.len(), want.len(), "{what}: files");
}

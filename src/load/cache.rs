//! The watch-mode loader: keeps what each content file turned into, so that a rebuild reads and
//! parses only the files that changed. Putting the files together ([`super::combine`]) is
//! redone every time, since OpenSLO references, measurements and services span files; it is
//! cheap next to parsing, and documents share their bodies (`Arc<str>`) so copying them is too.
//!
//! A cached result is keyed by the file's bytes (blake3), not its modification time: two saves
//! within one timestamp tick, or a `git checkout` that restores an older file, are still seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{
    CONTENT_DIR, FileResult, LoadOptions, Loaded, combine, discover, is_ignored, load_file,
};
use crate::diagnostics::Diagnostic;

/// What changed since the previous load.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Unknown (the first load, or the watcher lost events): walk `content/` again and re-parse
    /// every file whose bytes differ.
    All,
    /// These paths, relative to the root (files or folders; created, modified or removed).
    Paths(Vec<PathBuf>),
}

struct Cached {
    hash: blake3::Hash,
    result: FileResult,
}

/// Per-file results of the previous load.
#[derive(Default)]
pub struct LoadCache {
    /// In discovery order (path order is walkdir's sorted order), so a cached load combines
    /// the files in the order a clean load does.
    files: BTreeMap<PathBuf, Cached>,
    /// Problems of the walk itself (symlink loops, names that are not UTF-8).
    walk_diagnostics: Vec<Diagnostic>,
    loaded_once: bool,
}

/// How much work a load did, for the rebuild message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Files read and parsed again.
    pub parsed: usize,
    /// Files gone since the previous load.
    pub removed: usize,
}

impl LoadCache {
    pub fn new() -> LoadCache {
        LoadCache::default()
    }

    /// Loads the portal, re-parsing only what `changes` says may differ; the result equals
    /// [`super::load`]'s for the same files.
    pub fn load(&mut self, opts: &LoadOptions, changes: &Changes) -> (Loaded, LoadStats) {
        let stats = match changes {
            Changes::Paths(paths)
                if self.loaded_once && self.paths_are_simple(opts.root, paths) =>
            {
                self.update_paths(opts, paths)
            }
            _ => self.reload_all(opts),
        };
        self.loaded_once = true;
        let results = self.files.values().map(|c| c.result.clone());
        let loaded = combine(opts.root, self.walk_diagnostics.clone(), results);
        (loaded, stats)
    }

    /// Paths the cache can apply one by one: content files that exist and are plain files, or
    /// paths that no longer exist. A folder (created, renamed) or a symlink sends the load back
    /// to walking everything, which sees them as a clean load would.
    fn paths_are_simple(&self, root: &Path, paths: &[PathBuf]) -> bool {
        paths.iter().filter(|p| p.starts_with(CONTENT_DIR)).all(
            |p| match std::fs::symlink_metadata(root.join(p)) {
                Ok(m) => m.is_file() && p.to_str().is_some(),
                Err(_) => !self.files.keys().any(|k| k != p && k.starts_with(p)),
            },
        )
    }

    fn update_paths(&mut self, opts: &LoadOptions, paths: &[PathBuf]) -> LoadStats {
        let mut stats = LoadStats::default();
        let mut to_read = Vec::new();
        for p in paths.iter().filter(|p| p.starts_with(CONTENT_DIR)) {
            let ignored = p.iter().skip(1).any(|c| is_ignored(&c.to_string_lossy()));
            if !ignored && opts.root.join(p).is_file() {
                to_read.push(p.clone());
            } else if self.files.remove(p).is_some() {
                stats.removed += 1;
            }
        }
        stats.parsed = self.read(opts, to_read);
        stats
    }

    fn reload_all(&mut self, opts: &LoadOptions) -> LoadStats {
        let (found, walk_diagnostics) = discover(opts.root);
        self.walk_diagnostics = walk_diagnostics;
        let before = self.files.len();
        let keep: std::collections::HashSet<&PathBuf> = found.iter().collect();
        self.files.retain(|p, _| keep.contains(p));
        let removed = before - self.files.len();
        let parsed = self.read(opts, found);
        LoadStats { parsed, removed }
    }

    /// Reads `paths`, re-parsing those whose bytes changed; returns how many were parsed.
    fn read(&mut self, opts: &LoadOptions, paths: Vec<PathBuf>) -> usize {
        let fresh: Vec<(PathBuf, Option<Cached>)> = paths
            .into_par_iter()
            .map(|p| {
                let hash = std::fs::read(opts.root.join(&p))
                    .map(|bytes| blake3::hash(&bytes))
                    .ok();
                let unchanged =
                    matches!((hash, self.files.get(&p)), (Some(h), Some(c)) if c.hash == h);
                if unchanged {
                    return (p, None);
                }
                // An unreadable file is parsed too, so its error is reported like a clean
                // load reports it; a zero hash never matches a real file's next time.
                let result = load_file(opts, &p);
                let hash = hash.unwrap_or(blake3::Hash::from_bytes([0; 32]));
                (p, Some(Cached { hash, result }))
            })
            .collect();
        let mut parsed = 0;
        for (p, cached) in fresh {
            if let Some(c) = cached {
                parsed += 1;
                self.files.insert(p, c);
            }
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn portal() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let teams = dir.path().join("content/teams");
        std::fs::create_dir_all(&teams).unwrap();
        std::fs::write(teams.join("a.md"), "---\ntitle: A\n---\nBody A\n").unwrap();
        std::fs::write(teams.join("b.md"), "---\ntitle: B\n---\nBody B\n").unwrap();
        dir
    }

    fn options<'a>(root: &'a Path, config: &'a Config) -> LoadOptions<'a> {
        LoadOptions {
            root,
            config,
            base_path: "/",
        }
    }

    fn titles(loaded: &Loaded) -> Vec<String> {
        let mut t: Vec<String> = loaded.docs.iter().map(|d| d.title.clone()).collect();
        t.sort();
        t
    }

    #[test]
    fn reparses_only_changed_files_and_matches_a_clean_load() {
        let dir = portal();
        let config = Config::default();
        let opts = options(dir.path(), &config);
        let mut cache = LoadCache::new();
        let (first, stats) = cache.load(&opts, &Changes::All);
        assert_eq!(stats.parsed, 2);
        assert_eq!(titles(&first), ["A", "B"]);

        let a = PathBuf::from("content/teams/a.md");
        std::fs::write(dir.path().join(&a), "---\ntitle: A2\n---\nBody\n").unwrap();
        let (second, stats) = cache.load(&opts, &Changes::Paths(vec![a.clone()]));
        assert_eq!(
            stats,
            LoadStats {
                parsed: 1,
                removed: 0
            }
        );
        assert_eq!(titles(&second), ["A2", "B"]);

        // Unchanged bytes are not parsed again, even when the watcher names the file.
        let (_, stats) = cache.load(&opts, &Changes::Paths(vec![a.clone()]));
        assert_eq!(stats.parsed, 0);

        std::fs::remove_file(dir.path().join(&a)).unwrap();
        std::fs::write(
            dir.path().join("content/teams/c.md"),
            "---\ntitle: C\n---\n",
        )
        .unwrap();
        let (third, stats) = cache.load(
            &opts,
            &Changes::Paths(vec![a, PathBuf::from("content/teams/c.md")]),
        );
        assert_eq!(
            stats,
            LoadStats {
                parsed: 1,
                removed: 1
            }
        );
        assert_eq!(titles(&third), ["B", "C"]);
        assert_eq!(titles(&third), titles(&super::super::load(&opts)));
    }

    #[test]
    fn a_removed_folder_or_a_new_one_walks_again() {
        let dir = portal();
        let config = Config::default();
        let opts = options(dir.path(), &config);
        let mut cache = LoadCache::new();
        cache.load(&opts, &Changes::All);
        std::fs::create_dir_all(dir.path().join("content/services/x")).unwrap();
        std::fs::write(
            dir.path().join("content/services/x/s.md"),
            "---\ntitle: S\nteam: a\n---\n",
        )
        .unwrap();
        let (loaded, stats) = cache.load(
            &opts,
            &Changes::Paths(vec![PathBuf::from("content/services")]),
        );
        assert_eq!(stats.parsed, 1);
        assert_eq!(titles(&loaded), ["A", "B", "S"]);

        std::fs::remove_dir_all(dir.path().join("content/services")).unwrap();
        let (loaded, stats) = cache.load(
            &opts,
            &Changes::Paths(vec![PathBuf::from("content/services")]),
        );
        assert_eq!(stats.removed, 1);
        assert_eq!(titles(&loaded), ["A", "B"]);
    }
}

//! Watching the portal's sources: content/, static/, themes/ and sitrep.yaml, through
//! notify-debouncer-full, reduced to the set of changed source files that matter. Editors' temp,
//! swap and backup files and hidden files are not sources (the same rule as loading:
//! [`crate::load::is_ignored`]), and reads (the build's own) are not changes.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, event::MetadataKind, event::ModifyKind};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

/// The folders below the root whose files are sources of the site.
pub const SOURCE_DIRS: [&str; 3] = ["content", "static", "themes"];

/// The debouncer with the source folders it watches recursively.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    folders: BTreeSet<PathBuf>,
}

/// Starts watching `root` (which should be absolute); batches of events go to `tx`.
pub fn start(
    root: &Path,
    debounce: Duration,
    tx: Sender<DebounceEventResult>,
) -> Result<Watcher, String> {
    let debouncer =
        new_debouncer(debounce, None, tx).map_err(|e| format!("cannot watch files: {e}"))?;
    let mut watcher = Watcher {
        debouncer,
        folders: BTreeSet::new(),
    };
    // The root itself, not recursively: sitrep.yaml (editors replace it by rename, which a watch
    // on the file itself would lose) and source folders created later.
    watcher
        .debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watch_new_folders(&mut watcher, root)?;
    Ok(watcher)
}

/// Watches the source folders that exist and are not watched yet.
pub fn watch_new_folders(watcher: &mut Watcher, root: &Path) -> Result<(), String> {
    for dir in SOURCE_DIRS {
        let path = root.join(dir);
        if path.is_dir() && !watcher.folders.contains(&path) {
            watcher
                .debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
            watcher.folders.insert(path);
        }
    }
    Ok(())
}

/// Whether a path relative to the root is a source: sitrep.yaml or below a source folder, with
/// no ignored component.
pub fn is_source(rel: &Path) -> bool {
    let names: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let Some(first) = names.first() else {
        return false;
    };
    let placed =
        (names.len() == 1 && first == "sitrep.yaml") || SOURCE_DIRS.contains(&first.as_str());
    placed && !names.iter().any(|n| crate::load::is_ignored(n))
}

fn is_change(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// The changed sources named by a batch of events, relative to `root`, sorted and without
/// duplicates.
pub fn changed_sources(root: &Path, events: &[DebouncedEvent]) -> BTreeSet<PathBuf> {
    events
        .iter()
        .filter(|e| is_change(&e.kind))
        .flat_map(|e| e.paths.iter())
        .filter_map(|p| p.strip_prefix(root).ok())
        .filter(|rel| is_source(rel))
        .map(Path::to_path_buf)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_the_config_and_the_source_folders_without_editor_files() {
        for yes in [
            "sitrep.yaml",
            "content/postmortems/2024-db.md",
            "static/logo.svg",
            "themes/default/templates/base.html",
            "content/slos/x.csv",
        ] {
            assert!(is_source(Path::new(yes)), "{yes}");
        }
        for no in [
            "public/index.html",
            ".public.sitrep-staging/index.html",
            "README.md",
            "content/.x.md.swp",
            "content/x.md~",
            "content/#x.md#",
            "content/4913",
            "content/x.md.tmp",
            ".git/index",
            "content/.git/HEAD",
            "sitrep.yaml.bak",
            "",
        ] {
            assert!(!is_source(Path::new(no)), "{no}");
        }
    }
}

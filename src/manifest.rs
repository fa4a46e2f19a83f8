//! The build manifest: what the last `sitrep build` into an output folder was made from and
//! what it wrote, so that building again with nothing changed is a check, not a build (as make
//! and cargo do). Stored beside the output (`.public.sitrep-manifest`), never in it: it is not
//! part of the published site.
//!
//! The inputs are fingerprinted as make does, by size and modification time (nanoseconds;
//! reading every file's bytes cost a tenth of a cold build): every file of `sitrep.yaml`,
//! `content/`, `static/` and `themes/` (the loader and the theme read nothing else), the
//! command line's options, the build date and the sitrep executable itself. The
//! output is checked file by file (path, size, modification time), so a file deleted or edited
//! in the output since the build means a build. Anything unreadable or unexpected means a
//! build too: the manifest can only skip work, never change what a build writes.
//!
//! It also keeps the search index's state ([`SearchState`]: each shard's digest and files), so
//! that the next build into the same output re-indexes only the shards whose documents changed
//! and carries the others' files over, when the same executable made them and they are still
//! as recorded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::build::BuildOptions;
use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Severity};
pub use crate::output::OutputFile;
use crate::render::search::{SearchIndexer, SearchState};

/// Bumped when the manifest's meaning changes.
const FORMAT: u32 = 3;

/// A warning as stored: codes are `&'static str` in [`Diagnostic`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredDiagnostic {
    file: PathBuf,
    line: usize,
    column: usize,
    code: String,
    message: String,
    help: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    format: u32,
    /// blake3 of every input, hex.
    inputs: String,
    files: Vec<OutputFile>,
    /// The build's warnings, shown again when the build is skipped.
    warnings: Vec<StoredDiagnostic>,
    /// The sitrep executable that made the build ([`producer`]): a search index is only
    /// continued by the program that made it.
    producer: Option<String>,
    /// The search index's shards, for the next build to re-index only those that changed.
    search: Option<SearchState>,
}

impl Manifest {
    /// Where the manifest of `output` lives.
    pub fn path_for(output: &Path) -> PathBuf {
        crate::output::sibling(output, "sitrep-manifest")
    }

    /// Describes a finished build: its inputs, the files it wrote (sorted by path, as
    /// [`crate::output::Staging::written`] gives them), its warnings.
    pub fn new(
        inputs: blake3::Hash,
        files: Vec<OutputFile>,
        warnings: &[Diagnostic],
        search: Option<SearchState>,
    ) -> Manifest {
        Manifest {
            format: FORMAT,
            inputs: inputs.to_hex().to_string(),
            producer: producer(),
            search,
            files,
            warnings: warnings
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .map(|d| StoredDiagnostic {
                    file: d.file.clone(),
                    line: d.line,
                    column: d.column,
                    code: d.code.to_string(),
                    message: d.message.clone(),
                    help: d.help.clone(),
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes)
            .ok()
            .filter(|m: &Manifest| m.format == FORMAT)
    }

    /// Writes the manifest through a temporary file, so a reader never sees half of one.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, serde_json::to_vec(self)?)?;
        std::fs::rename(&tmp, path)
    }

    /// Whether `output` is what the build described here wrote, from the same `inputs`.
    pub fn up_to_date(&self, inputs: blake3::Hash, output: &Path) -> bool {
        self.inputs == inputs.to_hex().as_str()
            && output_files(output).as_ref() == Some(&self.files)
    }

    /// A search indexer that continues the index this build wrote into `output`: `None` unless
    /// the same sitrep made it and every file of it is still in `output` as the build left it
    /// (size and modification time, as [`Manifest::up_to_date`] checks the whole output).
    pub fn resume_search(&self, output: &Path) -> Option<SearchIndexer> {
        let state = self.search.as_ref()?;
        if self.producer.is_none() || self.producer != producer() {
            return None;
        }
        let files: Vec<&str> = state.files().collect();
        let intact = files.par_iter().all(|rel| {
            let recorded = self.recorded(rel);
            let now = std::fs::symlink_metadata(output.join(rel))
                .ok()
                .filter(|m| m.is_file())
                .and_then(|m| OutputFile::from_metadata(rel.to_string(), &m));
            recorded.is_some() && recorded == now.as_ref()
        });
        if intact {
            SearchIndexer::new().resume(state)
        } else {
            None
        }
    }

    /// A file of the output as this build recorded it.
    pub fn recorded(&self, rel: &str) -> Option<&OutputFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(rel))
            .ok()
            .map(|i| &self.files[i])
    }

    pub fn files(&self) -> usize {
        self.files.len()
    }

    /// The warnings of the build, as they were reported.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut codes: HashMap<&str, &'static str> = HashMap::new();
        self.warnings
            .iter()
            .map(|w| Diagnostic {
                file: w.file.clone(),
                line: w.line,
                column: w.column,
                severity: Severity::Warning,
                code: codes.entry(&w.code).or_insert_with(|| leak(&w.code)),
                message: w.message.clone(),
                help: w.help.clone(),
            })
            .collect()
    }
}

/// A stored code as the `&'static str` diagnostics carry. Codes are a small fixed set, and a
/// skipped build reads them once, so leaking each distinct one is bounded.
fn leak(code: &str) -> &'static str {
    Box::leak(code.to_string().into_boxed_str())
}

/// Every file below `output`, sorted by path; `None` when it cannot be read whole. Folders
/// are read in parallel: a portal has a folder per page, and reading 10,000 of them one by one
/// was most of what a build with nothing changed cost.
fn output_files(output: &Path) -> Option<Vec<OutputFile>> {
    let mut files = files_below(output, "")?;
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Some(files)
}

fn files_below(dir: &Path, rel: &str) -> Option<Vec<OutputFile>> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .ok()?
        .collect::<Result<_, _>>()
        .ok()?;
    let nested: Vec<Vec<OutputFile>> = entries
        .par_iter()
        .map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if entry.file_type().ok()?.is_dir() {
                files_below(&entry.path(), &path)
            } else {
                let meta = entry.metadata().ok()?;
                Some(vec![OutputFile::from_metadata(path, &meta)?])
            }
        })
        .collect::<Option<_>>()?;
    Some(nested.into_iter().flatten().collect())
}

/// The fingerprint of everything a build of `opts` reads, or `None` when some input cannot be
/// read (the build then runs and reports it).
pub fn fingerprint(
    opts: &BuildOptions,
    output: &Path,
    build_date: jiff::civil::Date,
) -> Option<blake3::Hash> {
    let root = &opts.root;
    let mut paths = vec![root.join(CONFIG_FILE)];
    for dir in ["content", "static", "themes"] {
        let dir = root.join(dir);
        if !dir.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.ok()?;
            if !entry.file_type().is_dir() {
                paths.push(entry.into_path());
            }
        }
    }
    let stamps: Vec<(u64, u128)> = paths.par_iter().map(|p| stamp(p)).collect::<Option<_>>()?;
    let mut all = blake3::Hasher::new();
    let setting = format!(
        "{}\nroot {:?}\noutput {:?}\nbase_url {:?}\ndrafts {}\ndate {build_date}\n",
        producer()?,
        root,
        output,
        opts.base_url,
        opts.drafts,
    );
    all.update(setting.as_bytes());
    for (path, (len, modified)) in paths.iter().zip(&stamps) {
        all.update(path.as_os_str().as_encoded_bytes());
        all.update(&[0]);
        all.update(&len.to_le_bytes());
        all.update(&modified.to_le_bytes());
    }
    Some(all.finalize())
}

/// The running sitrep: its version and its executable's path, size and modification time, so
/// that a rebuilt sitrep counts as a change of every input.
fn producer() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some(format!(
        "sitrep {} {:?} {} {:?}",
        env!("CARGO_PKG_VERSION"),
        exe,
        meta.len(),
        meta.modified().ok()?
    ))
}

/// Size and modification time (ns) of a file, through symlinks.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), crate::output::modified_nanos(&meta)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Staging;

    /// The manifest records what the writes said (no walk after the swap); the up-to-date
    /// check walks the output. Both must describe the same files, or no build is ever skipped.
    #[test]
    fn the_stamps_of_the_writes_are_what_a_walk_of_the_output_finds() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        for round in 0..2 {
            let staging = Staging::begin(&output).unwrap();
            staging.write("index.html", b"<p>home</p>").unwrap();
            staging.write("a-b/index.html", b"a-b").unwrap();
            staging.write("a/b/index.html", b"nested").unwrap();
            // The second round changes one file and keeps (hard-links) the others.
            let changed: &[u8] = if round == 0 { b"one" } else { b"two!" };
            staging.write("data/x.json", changed).unwrap();
            let written = staging.written().expect("every write stamped");
            staging.commit().unwrap();
            assert_eq!(Some(written), output_files(&output), "round {round}");
        }
    }

    #[test]
    fn a_path_written_twice_gives_no_stamps() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("public")).unwrap();
        staging.write("x.html", b"1").unwrap();
        staging.write("x.html", b"2").unwrap();
        assert_eq!(staging.written(), None);
    }
}

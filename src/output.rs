//! Writing the site: into a staging folder beside the output, then swapped in, so the output
//! folder always holds a complete site (the previous one or the new one). Files whose bytes did
//! not change are hard-linked from the previous output, keeping their modification time (so
//! rsync-style deploys copy only what changed) and costing no write.
//!
//! On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: there is no instant at which the
//! output path is missing or mixed. Elsewhere (or on file systems without it) the swap is two
//! renames, and a build killed between them leaves the previous site in `.<name>.sitrep-old`,
//! which the next build moves back before anything else. A staging folder left by a killed build
//! was never swapped in and is removed by the next build.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// One file of an output as a build left it: what the build manifest records, so a later build
/// can tell that nobody touched the output since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    /// Relative to the output folder, with `/`.
    pub path: String,
    pub len: u64,
    /// Modification time in nanoseconds since the epoch.
    pub modified: u128,
}

impl OutputFile {
    /// `None` when the platform gives no modification time.
    pub fn from_metadata(path: String, meta: &fs::Metadata) -> Option<OutputFile> {
        Some(OutputFile {
            path,
            len: meta.len(),
            modified: modified_nanos(meta)?,
        })
    }
}

/// A file's modification time in nanoseconds since the epoch, as the build manifest compares
/// them (inputs and outputs alike); `None` when the platform gives none.
pub fn modified_nanos(meta: &fs::Metadata) -> Option<u128> {
    Some(
        meta.modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// An output being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    committed: bool,
    /// Whether there is a previous output to reuse files from: a first build skips looking
    /// for each file in it (10,000 failed `stat`s).
    previous: bool,
    /// What each write left, taken from the open file (one `fstat` on the writing thread):
    /// walking 10,000 folders after the swap to learn the same cost a tenth of a build.
    /// `None` once a stamp could not be read.
    written: Mutex<Option<Vec<OutputFile>>>,
}

/// An I/O failure with the path it happened at, for messages that say where.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub action: &'static str,
    pub source: io::Error,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )?;
        match self.source.raw_os_error() {
            Some(28) => write!(f, " (the disk is full; free space and build again)"),
            Some(30) => write!(
                f,
                " (the file system is read-only; choose another --output)"
            ),
            Some(13) => write!(f, " (permission denied; choose a writable --output)"),
            _ => Ok(()),
        }
    }
}

fn err<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError {
        path: path.to_path_buf(),
        action,
        source,
    }
}

pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{suffix}"))
}

impl Staging {
    /// Starts a new output beside `output` (which need not exist).
    pub fn begin(output: &Path) -> Result<Staging, OutputError> {
        recover(output)?;
        let staging = sibling(output, "sitrep-staging");
        if staging.exists() {
            // Left over from a build that was killed: it was never swapped in, so it is garbage.
            fs::remove_dir_all(&staging)
                .map_err(err(&staging, "remove the leftover staging folder"))?;
        }
        fs::create_dir_all(&staging).map_err(err(&staging, "create the staging folder"))?;
        Ok(Staging {
            output: output.to_path_buf(),
            staging,
            committed: false,
            previous: output.is_dir(),
            written: Mutex::new(Some(Vec::new())),
        })
    }

    /// Writes one file (`rel` uses `/`), reusing the previous output's file when identical.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.staging.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(err(parent, "create the folder"))?;
        }
        let previous = self.output.join(rel);
        let meta = if self.previous
            && same_content(&previous, bytes)
            && fs::hard_link(&previous, &target).is_ok()
        {
            fs::metadata(&target)
        } else {
            let mut file = fs::File::create(&target).map_err(err(&target, "create"))?;
            file.write_all(bytes).map_err(err(&target, "write"))?;
            file.metadata()
        };
        self.stamp(rel, meta);
        Ok(())
    }

    /// Carries a file of the previous output over as it is (hard-linked, else copied), for a
    /// file the caller knows to be current without making its bytes again: a search shard
    /// whose records did not change. `expected` is the file as the last build recorded it;
    /// `Ok(false)` when the previous output's file no longer matches it (changed since the
    /// caller looked), and nothing is carried. A path this build already wrote (a static file)
    /// is left as written, and counts as written twice, as in a build that makes both.
    pub fn keep(&self, rel: &str, expected: &OutputFile) -> Result<bool, OutputError> {
        let target = self.staging.join(rel);
        if fs::symlink_metadata(&target).is_ok() {
            self.stamp(rel, fs::metadata(&target));
            return Ok(true);
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(err(parent, "create the folder"))?;
        }
        let previous = self.output.join(rel);
        let as_recorded = |meta: &fs::Metadata| {
            meta.is_file()
                && OutputFile::from_metadata(rel.to_string(), meta).as_ref() == Some(expected)
        };
        if fs::hard_link(&previous, &target).is_ok() {
            let meta = fs::metadata(&target);
            if !meta.as_ref().is_ok_and(as_recorded) {
                let _ = fs::remove_file(&target);
                return Ok(false);
            }
            self.stamp(rel, meta);
        } else {
            if !fs::metadata(&previous).as_ref().is_ok_and(as_recorded) {
                return Ok(false);
            }
            fs::copy(&previous, &target).map_err(err(&previous, "carry over"))?;
            self.stamp(rel, fs::metadata(&target));
        }
        Ok(true)
    }

    /// Records a file's size and modification time for [`Staging::written`].
    fn stamp(&self, rel: &str, meta: io::Result<fs::Metadata>) {
        let stamp = meta
            .ok()
            .and_then(|m| OutputFile::from_metadata(rel.to_string(), &m));
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        match (written.as_mut(), stamp) {
            (Some(files), Some(stamp)) => files.push(stamp),
            _ => *written = None,
        }
    }

    /// Every file written so far with its size and modification time, sorted by path (renames
    /// keep both, so they hold after [`Staging::commit`]); `None` when one could not be read or
    /// a path was written twice.
    pub fn written(&self) -> Option<Vec<OutputFile>> {
        let mut files = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()?;
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        if files.windows(2).any(|w| w[0].path == w[1].path) {
            return None;
        }
        Some(files)
    }

    /// Swaps the new site in: atomically where the OS can exchange two folders, else by moving
    /// the previous output aside first and removing it last.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if !self.output.exists() {
            fs::rename(&self.staging, &self.output).map_err(err(&self.output, "swap in"))?;
            self.committed = true;
            return Ok(());
        }
        match exchange(&self.staging, &self.output) {
            Ok(true) => {
                self.committed = true;
                // The staging path now holds the previous site: garbage, removed on a best
                // effort basis (a leftover is removed by the next build).
                let _ = fs::remove_dir_all(&self.staging);
                return Ok(());
            }
            Ok(false) => {}
            Err(e) => return Err(err(&self.output, "swap in")(e)),
        }
        swap_by_renames(&self.staging, &self.output)?;
        self.committed = true;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.staging
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The portable swap: the previous output moved aside first and removed last, so a kill between
/// the renames leaves it in `.<name>.sitrep-old` for [`recover`] to move back.
fn swap_by_renames(staging: &Path, output: &Path) -> Result<(), OutputError> {
    let old = sibling(output, "sitrep-old");
    if old.exists() {
        fs::remove_dir_all(&old).map_err(err(&old, "remove"))?;
    }
    fs::rename(output, &old).map_err(err(output, "move aside"))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(err(output, "swap in")(e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Undoes a two-rename swap that was interrupted: the output was moved aside and the new site
/// never moved in, so the previous site goes back. A leftover beside a present output is stale.
fn recover(output: &Path) -> Result<(), OutputError> {
    let old = sibling(output, "sitrep-old");
    if !old.exists() {
        return Ok(());
    }
    if output.exists() {
        fs::remove_dir_all(&old).map_err(err(&old, "remove the leftover previous site"))
    } else {
        fs::rename(&old, output).map_err(err(&old, "restore the previous site from"))
    }
}

/// Exchanges two existing folders in one step. `Ok(false)` when the OS or file system cannot,
/// so the caller falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // The raw syscall rather than glibc's wrapper: it works with any glibc (the wrapper needs
    // 2.28) and with musl.
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // No such syscall (old kernel, seccomp) or a file system without exchange support.
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EPERM) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Watch mode's writer: changes an existing output file by file. Each file is written beside
/// itself and renamed over the old one, so the preview server never sends half a file; the
/// site as a whole is briefly a mix while a rebuild writes, which a preview can afford and
/// `sitrep build` never does (it uses [`Staging`]).
pub struct InPlace {
    output: PathBuf,
}

impl InPlace {
    pub fn new(output: &Path) -> InPlace {
        InPlace {
            output: output.to_path_buf(),
        }
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.output.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(err(parent, "create the folder"))?;
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.sitrep-tmp"));
        let mut file = fs::File::create(&temp).map_err(err(&temp, "create"))?;
        if let Err(e) = file.write_all(bytes) {
            let _ = fs::remove_file(&temp);
            return Err(err(&temp, "write")(e));
        }
        fs::rename(&temp, &target).map_err(err(&target, "replace"))
    }

    /// Removes a file that is no longer part of the site, and the folders it leaves empty.
    pub fn remove(&self, rel: &str) -> Result<(), OutputError> {
        let target = self.output.join(rel);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(err(&target, "remove")(e)),
        }
        let mut dir = target.parent();
        while let Some(d) = dir {
            // Fails on the first folder that is not empty, which ends the walk up.
            if d == self.output || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).map(|old| old == bytes).unwrap_or(false)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_keep_their_mtime_and_abort_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.write("b.txt", b"two").unwrap();
        s.commit().unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(out.join("a/index.html"))
            .unwrap()
            .set_modified(old)
            .unwrap();

        let s = Staging::begin(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.write("b.txt", b"changed").unwrap();
        s.commit().unwrap();
        assert_eq!(
            fs::metadata(out.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            old
        );
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"changed");

        let s = Staging::begin(&out).unwrap();
        s.write("b.txt", b"never").unwrap();
        drop(s);
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"changed");
        assert!(!sibling(&out, "sitrep-staging").exists());
    }

    #[test]
    fn an_interrupted_two_rename_swap_is_undone_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // As left by a kill between the two renames: the output moved aside, nothing in place.
        fs::create_dir_all(sibling(&out, "sitrep-old")).unwrap();
        fs::write(sibling(&out, "sitrep-old").join("index.html"), b"previous").unwrap();
        fs::create_dir_all(sibling(&out, "sitrep-staging")).unwrap();
        fs::write(sibling(&out, "sitrep-staging").join("half.html"), b"half").unwrap();

        let s = Staging::begin(&out).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"previous");
        assert!(!sibling(&out, "sitrep-old").exists());
        assert!(
            !s.path().join("half.html").exists(),
            "stale staging is emptied"
        );
        s.write("index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"new");
        assert!(!out.join("half.html").exists());
        assert!(!sibling(&out, "sitrep-staging").exists());
    }

    #[test]
    fn the_portable_swap_replaces_the_output_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = sibling(&out, "sitrep-staging");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("a.html"), b"old").unwrap();
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("a.html"), b"new").unwrap();
        swap_by_renames(&staging, &out).unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"new");
        let beside: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(beside.len(), 1, "only the output is left");
    }

    #[test]
    fn a_leftover_previous_site_beside_a_present_output_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), b"current").unwrap();
        fs::create_dir_all(sibling(&out, "sitrep-old")).unwrap();
        let s = Staging::begin(&out).unwrap();
        assert!(!sibling(&out, "sitrep-old").exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"current");
        drop(s);
    }

    #[test]
    fn keep_carries_a_file_only_as_recorded_and_never_over_one_written() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = Staging::begin(&output).unwrap();
        first.write("pagefind/a.pf", b"aaa").unwrap();
        first.write("pagefind/b.pf", b"bbb").unwrap();
        first.write("static.txt", b"old").unwrap();
        let recorded = first.written().unwrap();
        first.commit().unwrap();
        let stamp = |rel: &str| recorded.iter().find(|f| f.path == rel).unwrap().clone();

        let second = Staging::begin(&output).unwrap();
        assert!(
            second
                .keep("pagefind/a.pf", &stamp("pagefind/a.pf"))
                .unwrap()
        );
        // Changed since it was recorded: not carried.
        let mut stale = stamp("pagefind/b.pf");
        stale.len += 1;
        assert!(!second.keep("pagefind/b.pf", &stale).unwrap());
        assert!(!second.path().join("pagefind/b.pf").exists());
        // Written by this build: left as written, and counted twice.
        second.write("static.txt", b"new").unwrap();
        assert!(second.keep("static.txt", &stamp("static.txt")).unwrap());
        assert_eq!(fs::read(second.path().join("static.txt")).unwrap(), b"new");
        assert_eq!(second.written(), None, "a path written twice");
        second.commit().unwrap();
        assert_eq!(fs::read(output.join("pagefind/a.pf")).unwrap(), b"aaa");
        assert!(!output.join("pagefind/b.pf").exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), b"a").unwrap();
        fs::write(b.join("x"), b"b").unwrap();
        // tmpfs and ext4 support it; a file system that does not returns Ok(false).
        if exchange(&a, &b).unwrap() {
            assert_eq!(fs::read(a.join("x")).unwrap(), b"b");
            assert_eq!(fs::read(b.join("x")).unwrap(), b"a");
        } else {
            eprintln!("skipped: this file system cannot exchange folders atomically");
        }
    }
}

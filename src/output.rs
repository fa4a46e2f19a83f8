//! Writing the site: into a staging folder beside the output, then swapped in, so the output
//! folder always holds a complete site (the previous one or the new one). Files whose bytes did
//! not change are hard-linked from the previous output, keeping their modification time (so
//! rsync-style deploys copy only what changed) and costing no write.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An output being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    committed: bool,
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

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{suffix}"))
}

impl Staging {
    /// Starts a new output beside `output` (which need not exist).
    pub fn begin(output: &Path) -> Result<Staging, OutputError> {
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
        })
    }

    /// Writes one file (`rel` uses `/`), reusing the previous output's file when identical.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.staging.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(err(parent, "create the folder"))?;
        }
        let previous = self.output.join(rel);
        if same_content(&previous, bytes) && fs::hard_link(&previous, &target).is_ok() {
            return Ok(());
        }
        let mut file = fs::File::create(&target).map_err(err(&target, "create"))?;
        file.write_all(bytes).map_err(err(&target, "write"))?;
        Ok(())
    }

    /// Swaps the new site in. The previous output is moved aside first and removed last, so an
    /// interruption leaves either the old or the new site at `output`, plus a folder to clean.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let old = sibling(&self.output, "sitrep-old");
        if old.exists() {
            fs::remove_dir_all(&old).map_err(err(&old, "remove"))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).map_err(err(&self.output, "move aside"))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(err(&self.output, "swap in")(e));
        }
        self.committed = true;
        if had_output {
            let _ = fs::remove_dir_all(&old);
        }
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
}

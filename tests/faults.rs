//! Faults of the machine: an output folder that cannot be written, a full disk, and the process
//! killed at any point of a build. In every case the output folder holds the previous complete
//! site or the new complete one, never a mix, and the message says what happened and where.
//!
//! The mount-based cases need root and a working `mount`; elsewhere they print why they skip.
//! The permission case needs a non-root user (permissions do not stop root); as root it uses a
//! read-only mount instead.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{portal, snapshot, write};
use jiff::civil::date;
use sitrep::output::OutputError;
use sitrep::{BuildError, BuildOptions};

fn opts(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        build_date: Some(date(2026, 10, 1)),
        ..Default::default()
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A tmpfs mounted for one test, unmounted when dropped (also when the test fails).
struct Mount {
    dir: tempfile::TempDir,
}

impl Mount {
    /// Mounts a tmpfs with `options`, or says why it cannot.
    fn tmpfs(options: &str) -> Result<Mount, String> {
        if !is_root() {
            return Err("not running as root, so no mount".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "sitrep-test"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Mount { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, options: &str) {
        let out = Command::new("mount")
            .args(["-o", options])
            .arg(self.path())
            .output()
            .expect("run mount");
        assert!(out.status.success(), "remount {options}: {out:?}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn skip(test: &str, reason: &str) {
    eprintln!("SKIPPED {test}: {reason}");
}

/// A previous site: what must survive a failed build byte for byte.
fn previous_site(output: &Path) {
    write(output, "index.html", "<p>the previous site</p>");
    write(
        output,
        "teams/identity/index.html",
        "<p>previous team page</p>",
    );
}

fn environment_error(result: Result<sitrep::BuildReport, BuildError>) -> String {
    match result {
        Err(BuildError::Environment(msg)) => msg,
        Err(BuildError::Content(d)) => panic!("expected an environment error, got {d:?}"),
        Ok(_) => panic!("expected the build to fail, it succeeded"),
    }
}

// ---------------------------------------------------------------------------------------------
// Messages

#[test]
fn output_errors_say_what_happened_where_and_what_to_do() {
    let cases = [
        (28, "the disk is full"),
        (30, "the file system is read-only"),
        (13, "permission denied; choose a writable --output"),
    ];
    for (errno, hint) in cases {
        let e = OutputError {
            path: PathBuf::from("/srv/www/public/teams/index.html"),
            action: "write",
            source: std::io::Error::from_raw_os_error(errno),
        };
        let text = e.to_string();
        assert!(
            text.starts_with("could not write /srv/www/public/teams/index.html: "),
            "{text}"
        );
        assert!(text.contains(hint), "errno {errno}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Output not writable

/// Builds into `output` (a previous site inside a folder that cannot be written), expecting an
/// environment error containing `hint` and the previous site untouched; then the same through the
/// binary, expecting exit status 2.
fn assert_unwritable(root: &Path, output: &Path, hint: &str) {
    let before = snapshot(output);
    let msg = environment_error(sitrep::build(&opts(root, output)));
    assert!(msg.contains(hint), "{msg}");
    let parent = output.parent().unwrap().display().to_string();
    assert!(msg.contains(&parent), "the message names where: {msg}");
    assert_eq!(before, snapshot(output), "the previous site is untouched");

    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(hint) && stderr.contains(&parent),
        "{stderr}"
    );
    assert_eq!(before, snapshot(output), "the previous site is untouched");
}

#[test]
fn output_in_a_folder_without_write_permission() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        return skip(
            "output_in_a_folder_without_write_permission",
            "running as root, where permissions do not stop writes (see the read-only mount test)",
        );
    }
    let site = portal(&[]);
    let parent = tempfile::tempdir().unwrap();
    let output = parent.path().join("public");
    previous_site(&output);
    std::fs::set_permissions(parent.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let result =
        std::panic::catch_unwind(|| assert_unwritable(site.path(), &output, "permission denied"));
    std::fs::set_permissions(parent.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    result.unwrap();
}

#[test]
fn output_on_a_read_only_mount() {
    let mount = match Mount::tmpfs("size=1m") {
        Ok(m) => m,
        Err(reason) => return skip("output_on_a_read_only_mount", &reason),
    };
    let site = portal(&[]);
    let output = mount.path().join("public");
    previous_site(&output);
    mount.remount("remount,ro");
    assert_unwritable(site.path(), &output, "read-only");
}

// ---------------------------------------------------------------------------------------------
// Disk full

#[test]
fn disk_full_fails_cleanly_and_keeps_the_previous_site() {
    let mount = match Mount::tmpfs("size=64k") {
        Ok(m) => m,
        Err(reason) => {
            return skip(
                "disk_full_fails_cleanly_and_keeps_the_previous_site",
                &reason,
            );
        }
    };
    let site = portal(&[]);
    let output = mount.path().join("public");
    previous_site(&output);
    let before = snapshot(mount.path());
    let msg = environment_error(sitrep::build(&opts(site.path(), &output)));
    assert!(msg.contains("the disk is full"), "{msg}");
    assert!(
        msg.contains(&mount.path().display().to_string()),
        "the message names where: {msg}"
    );
    // Nothing left behind either: the half-written staging folder is gone, so the space is free.
    assert_eq!(before, snapshot(mount.path()), "the mount is as before");
    let leftovers: Vec<_> = std::fs::read_dir(mount.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
}

// ---------------------------------------------------------------------------------------------
// Killed builds

/// A portal of `pages` pages whose every page says `version`, so two versions differ everywhere.
fn big_portal(dir: &Path, pages: usize, version: &str) {
    for (rel, text) in common::BASE {
        write(dir, rel, text);
    }
    let body = format!("Version {version}. ").repeat(200);
    for i in 0..pages {
        write(
            dir,
            &format!("content/pages/p{i:05}.md"),
            format!(
                "---\ntitle: Page {i} {version}\ntags: [t{}]\n---\n{body}\n",
                i % 50
            ),
        );
    }
}

fn run_build(root: &Path, output: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

#[test]
fn a_build_killed_at_any_point_leaves_the_previous_or_the_new_site() {
    let work = tempfile::tempdir().unwrap();
    let roots = [work.path().join("a"), work.path().join("b")];
    big_portal(&roots[0], 1000, "A");
    big_portal(&roots[1], 1000, "B");
    let output = work.path().join("out").join("public");

    let started = Instant::now();
    assert!(run_build(&roots[0], &output).status().unwrap().success());
    let full = started.elapsed();
    let sites = [snapshot(&output), {
        assert!(run_build(&roots[1], &output).status().unwrap().success());
        snapshot(&output)
    }];
    assert_ne!(sites[0], sites[1]);

    // Delays spread over the whole build and beyond (the machine may be slower this time), so
    // kills land while loading, rendering, writing the staging folder and swapping.
    let steps = 14u32;
    let staging = output.with_file_name(".public.sitrep-staging");
    // Previous site with nothing staged, previous site with a half-written staging folder, new.
    let mut outcomes = [0usize; 3];
    for step in 0..=steps {
        let current = snapshot(&output);
        let now = sites
            .iter()
            .position(|s| *s == current)
            .expect("a complete site");
        let next = 1 - now;
        let mut child = run_build(&roots[next], &output).spawn().unwrap();
        std::thread::sleep(
            full * 5 * step / (2 * steps) + Duration::from_millis(u64::from(step % 3)),
        );
        let _ = child.kill(); // SIGKILL; fails only when the build already finished
        child.wait().unwrap();
        let after = snapshot(&output);
        let which = sites
            .iter()
            .position(|s| *s == after)
            .unwrap_or_else(|| panic!("after a kill at step {step}, the output is a mix"));
        outcomes[if which == next {
            2
        } else {
            usize::from(staging.exists())
        }] += 1;
    }
    eprintln!(
        "killed builds: {} before writing, {} while writing, {} after the swap (a full build \
         takes {full:?})",
        outcomes[0], outcomes[1], outcomes[2]
    );

    // Whatever the kills left beside the output does not leak into the next build, and a
    // successful build cleans it up.
    assert!(run_build(&roots[0], &output).status().unwrap().success());
    assert_eq!(snapshot(&output), sites[0]);
    let mut beside: Vec<_> = std::fs::read_dir(output.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".public.sitrep-manifest", "public"],
        "no leftovers beside the output, the manifest of the last build only"
    );
}

#[test]
fn a_stale_staging_folder_from_a_killed_build_is_ignored_and_removed() {
    let site = portal(&[]);
    let output = site.path().join("public");
    let stale = site.path().join(".public.sitrep-staging");
    write(&stale, "index.html", "half written");
    write(&stale, "junk/left-over.html", "junk");
    sitrep::build(&opts(site.path(), &output)).unwrap();
    assert!(!stale.exists());
    assert!(!output.join("junk").exists());
    let index = std::fs::read_to_string(output.join("index.html")).unwrap();
    assert!(!index.contains("half written"));
}

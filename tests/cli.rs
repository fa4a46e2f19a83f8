//! The command line as users run it: exit codes and `sitrep new`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sitrep(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small");
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let target = root.join(e.path().strip_prefix(&from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), &target).unwrap();
    }
    (dir, root)
}

#[test]
fn new_postmortem_is_complete_valid_and_never_overwritten() {
    let (_d, root) = fixture_copy();
    let o = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["new", "postmortem", "Checkout: DB failover!", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1780000000") // 2026-05-28
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let path = root.join("content/postmortems/2026-05-28-checkout-db-failover.md");
    let text = std::fs::read_to_string(&path).unwrap();
    for field in [
        "title:",
        "date: 2026-05-28",
        "severity:",
        "status: draft",
        "started_at:",
        "resolved_at:",
        "action_items:",
    ] {
        assert!(text.contains(field), "{field} in {text}");
    }
    for section in [
        "## Summary",
        "## Impact",
        "## Timeline",
        "## Root causes",
        "## What went well",
        "## What went wrong",
        "## Where we got lucky",
        "## Action items",
        "## Lessons learned",
    ] {
        assert!(text.contains(section), "{section}");
    }
    // the scaffold itself passes check (it is a draft, which check still validates)
    let check = sitrep(&["check"], &root);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    std::fs::write(&path, "edited").unwrap();
    let again = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["new", "postmortem", "Checkout: DB failover!", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
}

#[test]
fn new_works_for_every_kind_and_rejects_unknown_kinds() {
    let (_d, root) = fixture_copy();
    for kind in ["team", "service", "slo", "session", "assessment", "page"] {
        let o = sitrep(&["new", kind, "Brand new thing"], &root);
        assert!(
            o.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(root.join("content/pages/brand-new-thing.md").is_file());
    assert!(
        root.join("content/assessments/brand-new-thing.yaml")
            .is_file()
    );
    let o = sitrep(&["new", "incident", "X"], &root);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn exit_codes() {
    let (_d, root) = fixture_copy();
    assert_eq!(sitrep(&["check"], &root).status.code(), Some(0));
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        sitrep(&["check"], empty.path()).status.code(),
        Some(2),
        "no sitrep.yaml"
    );
    std::fs::write(
        root.join("content/teams/ops.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    let o = sitrep(&["check", "--format", "json"], &root);
    assert_eq!(o.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let syntax = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "yaml-syntax")
        .expect("a yaml-syntax diagnostic");
    assert_eq!(syntax["file"], "content/teams/ops.md");
    assert_eq!(syntax["severity"], "error");
    assert_eq!(
        syntax["line"], 3,
        "where the parser noticed: the closing fence"
    );
    assert!(
        syntax["message"]
            .as_str()
            .unwrap()
            .contains("started at line 2, column 8")
    );
    // The team exists (its file has an error): references to it are not reported again.
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "broken-reference"),
        "{diags}"
    );
    for key in ["file", "line", "column", "severity", "code", "message"] {
        assert!(syntax.get(key).is_some(), "{key}");
    }
}

#[test]
fn deny_overdue_fails_check_on_overdue_action_items() {
    let (_d, root) = fixture_copy();
    let run = |epoch: &str, deny: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
        cmd.args(["check", "--format", "json", "--root"])
            .arg(&root)
            .env("SOURCE_DATE_EPOCH", epoch);
        if deny {
            cmd.args(["--deny", "overdue"]);
        }
        cmd.output().unwrap()
    };
    // 2025-11-01: "Add pool metrics" (due 2026-11-10) is not overdue yet
    let before = run("1762000000", true);
    assert_eq!(
        before.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&before.stdout)
    );
    // 2026-11-30: it is; a warning without --deny, an error with it
    let warn = run("1796000000", false);
    assert_eq!(warn.status.code(), Some(0));
    let denied = run("1796000000", true);
    assert_eq!(denied.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&denied.stdout).unwrap();
    let overdue: Vec<&serde_json::Value> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "overdue-action-item")
        .collect();
    assert_eq!(overdue.len(), 1, "the done item is not overdue: {diags}");
    assert_eq!(
        overdue[0]["file"],
        "content/postmortems/2026-11-03-gateway-outage.md"
    );
    assert_eq!(overdue[0]["line"], 14);
    assert_eq!(overdue[0]["severity"], "error");
}

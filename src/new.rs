//! `sitrep new <kind> "<title>"`: a new document from a template, never overwriting a file.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::model::Kind;
use crate::url::slugify;

#[derive(Debug)]
pub enum NewError {
    Usage(String),
    Exists(PathBuf),
}

/// The relative path and text of a new document of `kind`.
/// `severity` is the level a new postmortem starts with (the portal's least severe).
pub fn scaffold(kind: Kind, title: &str, today: Date, severity: &str) -> (PathBuf, String) {
    let slug = slugify(title);
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let dir = PathBuf::from("content").join(kind.dir());
    match kind {
        Kind::Postmortem => (
            dir.join(format!("{today}-{slug}.md")),
            format!(
                "---\ntitle: {quoted}\ndate: {today}\nseverity: {severity}\nstatus: draft\nservices: []\nteams: []\nslos: []\nauthors: []\nstarted_at: {today}T00:00:00Z\ndetected_at: {today}T00:00:00Z\nmitigated_at: {today}T00:00:00Z\nresolved_at: {today}T00:00:00Z\nimpact: \"\"\ntrigger: \"\"\nroot_causes: []\naction_items: []\n# action_items:\n#   - {{title: \"...\", owner: \"...\", status: open, due: {today}, link: \"https://...\"}}\ntags: []\n---\n\n## Summary\n\n## Impact\n\n## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n| 00:00 | |\n\n## Root causes\n\n## What went well\n\n## What went wrong\n\n## Where we got lucky\n\n## Action items\n\n## Lessons learned\n"
            ),
        ),
        Kind::Team => (
            dir.join(format!("{slug}.md")),
            format!(
                "---\ntitle: {quoted}\nsummary: \"\"\nmembers: []\nchannel: \"\"\nescalation:\n  - {{after: 0m, notify: \"on-call\"}}\nadoption: {{step: 1, since: {today}}}\ntags: []\n---\n\n"
            ),
        ),
        Kind::Service => (
            dir.join(format!("{slug}.md")),
            format!(
                "---\ntitle: {quoted}\nteam: \ntier: tier-2\ndepends_on: []\nrunbook: \ntags: []\n---\n\n"
            ),
        ),
        Kind::Slo => (
            dir.join(format!("{slug}.md")),
            format!(
                "---\ntitle: {quoted}\nservice: \nobjective: 99.9\nwindow: 28d\nsli:\n  type: availability\n  description: \"\"\nerror_budget_policy: \ntags: []\n---\n\n"
            ),
        ),
        Kind::Session => (
            dir.join(format!("{today}-{slug}.md")),
            format!(
                "---\ntitle: {quoted}\ndate: {today}\nspeakers: []\nteams: []\nrelated: []\nlocation: \"\"\ntags: []\n---\n\n"
            ),
        ),
        Kind::Assessment => (
            dir.join(format!("{slug}.yaml")),
            format!(
                "team: \ndate: {today}\nrespondents: 0\nscores:\n  cooperation: 4.0\n  messengers: 4.0\n  risks: 4.0\n  bridging: 4.0\n  failure: 4.0\n  novelty: 4.0\nnotes: {quoted}\n"
            ),
        ),
        Kind::Page => (
            dir.join(format!("{slug}.md")),
            format!("---\ntitle: {quoted}\nweight: 10\nmenu: false\n---\n\n"),
        ),
    }
}

/// Writes the scaffold for `kind` under `root`. Fails rather than overwrite.
pub fn create(root: &Path, kind: &str, title: &str, today: Date) -> Result<PathBuf, NewError> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        NewError::Usage(format!(
            "unknown kind `{kind}`; kinds: {}",
            Kind::ALL.map(|k| k.singular()).join(", ")
        ))
    })?;
    if slugify(title).is_empty() {
        return Err(NewError::Usage(
            "the title needs at least one letter or digit".into(),
        ));
    }
    let severity = crate::config::load(root)
        .ok()
        .and_then(|(c, _)| c.severities.last().map(|s| s.id.clone()))
        .unwrap_or_else(|| "SEV3".into());
    let (rel, text) = scaffold(kind, title, today, &severity);
    let path = root.join(&rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| NewError::Usage(format!("cannot create {}: {e}", parent.display())))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(text.as_bytes())
                .map_err(|e| NewError::Usage(format!("cannot write {}: {e}", path.display())))?;
            Ok(rel)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(NewError::Exists(rel)),
        Err(e) => Err(NewError::Usage(format!(
            "cannot write {}: {e}",
            path.display()
        ))),
    }
}

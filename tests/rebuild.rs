//! Watch mode's incremental rebuilds (`sitrep::rebuild`): after any sequence of edits,
//! additions, renames and deletions, the output folder must be byte for byte what a clean
//! `sitrep build` of the same sources writes, while an edit re-renders only the pages it reaches.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::date;
use sitrep::build::{BuildError, BuildOptions};
use sitrep::load::Changes;
use sitrep::rebuild::{RebuildReport, Rebuilder};

/// A small deterministic generator (xorshift64*): the same seed gives the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn options(root: &Path, output: PathBuf) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output),
        build_date: Some(date(2026, 11, 26)),
        ..BuildOptions::default()
    }
}

/// A copy of the sample portal that a [`Rebuilder`] has built once into a temporary output.
/// Bind `out` (as `out: _out`) for as long as the output is needed: dropping it deletes it.
struct Watched {
    portal: tempfile::TempDir,
    out: tempfile::TempDir,
    public: PathBuf,
    rebuilder: Rebuilder,
    first: RebuildReport,
}

fn watched() -> Watched {
    let portal = common::sample_copy();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let mut rebuilder = Rebuilder::new(options(portal.path(), public.clone()));
    let first = rebuilder
        .rebuild(&Changes::All)
        .expect("the sample portal builds");
    Watched {
        portal,
        out,
        public,
        rebuilder,
        first,
    }
}

/// Builds the sources from scratch into a fresh folder: what the incremental output must equal.
fn clean_build(root: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>, BuildError> {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    sitrep::build::build(&options(root, public.clone()))?;
    Ok(common::snapshot(&public))
}

fn assert_same_site(
    got: &BTreeMap<PathBuf, Vec<u8>>,
    want: &BTreeMap<PathBuf, Vec<u8>>,
    log: &[String],
) {
    let missing: Vec<_> = want.keys().filter(|p| !got.contains_key(*p)).collect();
    let extra: Vec<_> = got.keys().filter(|p| !want.contains_key(*p)).collect();
    let differ: Vec<_> = want
        .iter()
        .filter(|(p, b)| got.get(*p).is_some_and(|g| g != *b))
        .map(|(p, _)| p)
        .collect();
    // The first line that differs in the first file that differs, to see what went stale.
    let first_difference = differ.first().map(|p| {
        let (g, w) = (
            String::from_utf8_lossy(&got[*p]),
            String::from_utf8_lossy(&want[*p]),
        );
        let line = g.lines().zip(w.lines()).find(|(a, b)| a != b);
        format!("{}: {line:?}", p.display())
    });
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "incremental output differs from a clean build after:\n  {}\nmissing: {missing:?}\nextra: {extra:?}\ndiffer: {differ:?}\nfirst difference (got, want): {first_difference:?}",
        log.join("\n  ")
    );
}

fn content_files(root: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// One random change to the sources; returns the paths it touched and a description.
fn random_change(rng: &mut Rng, root: &Path, step: usize) -> (Vec<PathBuf>, String) {
    let docs = content_files(root, "md");
    let doc = rng.pick(&docs).clone();
    let text = std::fs::read_to_string(root.join(&doc)).unwrap();
    let write = |rel: &Path, text: &str| std::fs::write(root.join(rel), text).unwrap();
    match rng.below(10) {
        0 | 1 => {
            write(&doc, &format!("{text}\nAn added paragraph, step {step}.\n"));
            (vec![doc.clone()], format!("edit body of {}", doc.display()))
        }
        2 | 3 => {
            let edited = text.replacen("title: ", &format!("title: Step {step} "), 1);
            write(&doc, &edited);
            (vec![doc.clone()], format!("retitle {}", doc.display()))
        }
        4 => {
            // A link to another document, which becomes a backlink there.
            let target = rng.pick(&docs).clone();
            let rel = target.strip_prefix("content").unwrap().with_extension("");
            write(&doc, &format!("{text}\nSee [this](@{}).\n", rel.display()));
            (
                vec![doc.clone()],
                format!("link {} -> {}", doc.display(), rel.display()),
            )
        }
        5 => {
            let new = doc.with_file_name(format!("added-{step}.md"));
            write(&new, &text);
            (
                vec![new.clone()],
                format!("add {} as a copy of {}", new.display(), doc.display()),
            )
        }
        6 => {
            let new = doc.with_file_name(format!("renamed-{step}.md"));
            std::fs::rename(root.join(&doc), root.join(&new)).unwrap();
            (
                vec![doc.clone(), new.clone()],
                format!("rename {} -> {}", doc.display(), new.display()),
            )
        }
        7 => {
            std::fs::remove_file(root.join(&doc)).unwrap();
            (vec![doc.clone()], format!("delete {}", doc.display()))
        }
        8 if rng.below(2) == 0 => {
            // An assessment: fewer respondents (below the anonymity threshold) or a score.
            let yamls: Vec<PathBuf> = content_files(root, "yaml")
                .into_iter()
                .filter(|p| p.starts_with("content/assessments"))
                .collect();
            let file = rng.pick(&yamls).clone();
            let text = std::fs::read_to_string(root.join(&file)).unwrap();
            let fewer = rng.below(2) == 0;
            let edited: Vec<String> = text
                .lines()
                .map(|l| match l.trim_start() {
                    s if fewer && s.starts_with("respondents:") => "respondents: 3".to_string(),
                    s if !fewer && s.starts_with("cooperation:") => {
                        "  cooperation: 1.5".to_string()
                    }
                    _ => l.to_string(),
                })
                .collect();
            let edited = edited.join("\n") + "\n";
            write(&file, &edited);
            (
                vec![file.clone()],
                format!("edit assessment {}", file.display()),
            )
        }
        8 => {
            // Measurements: a day's figures change, which moves the SLO's computed figures.
            let csvs = content_files(root, "csv");
            let csv = rng.pick(&csvs).clone();
            let text = std::fs::read_to_string(root.join(&csv)).unwrap();
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            if lines.len() > 2 && csv.starts_with("content/slos") {
                let i = 1 + rng.below(lines.len() - 1);
                let fields: Vec<&str> = lines[i].split(',').collect();
                if fields.len() == 3 {
                    lines[i] = format!("{},{},{}", fields[0], 0, fields[2]);
                }
            } else if lines.len() > 1 {
                lines.pop();
            }
            write(&csv, &(lines.join("\n") + "\n"));
            (vec![csv.clone()], format!("edit data {}", csv.display()))
        }
        _ => {
            // A tag added, or a draft published or hidden.
            let edited = if rng.below(2) == 0 {
                text.replacen("---\n", &format!("---\ntags: [step-{step}]\n"), 1)
            } else if text.contains("draft: true") {
                text.replacen("draft: true", "draft: false", 1)
            } else {
                text.replacen("---\n", "---\ndraft: true\n", 1)
            };
            write(&doc, &edited);
            (
                vec![doc.clone()],
                format!("tags/draft of {}", doc.display()),
            )
        }
    }
}

/// Random sequences of changes: after each, the incremental output equals a clean build, or
/// both fail; a failed rebuild leaves the output as it was.
fn random_sequence(seed: u64, steps: usize) {
    let Watched {
        portal,
        out: _out,
        public,
        mut rebuilder,
        first,
    } = watched();
    let root = portal.path();
    assert!(first.full);
    let mut rng = Rng(seed);
    let mut log = vec![format!("seed {seed}")];
    for step in 0..steps {
        let backup: Vec<(PathBuf, Vec<u8>)> = common::snapshot(&root.join("content"))
            .into_iter()
            .collect();
        let (touched, what) = random_change(&mut rng, root, step);
        log.push(what);
        let before = common::snapshot(&public);
        let clean = clean_build(root);
        match (rebuilder.rebuild(&Changes::Paths(touched.clone())), clean) {
            (Ok(_), Ok(clean)) => {
                // (A retitled menu page changes every page's navigation: all pages render.)
                assert_same_site(&common::snapshot(&public), &clean, &log);
            }
            (Err(_), Err(_)) => {
                assert_eq!(
                    common::snapshot(&public),
                    before,
                    "a failed rebuild changed the output"
                );
                // Undo the change (it broke a reference), and the site comes back.
                std::fs::remove_dir_all(root.join("content")).unwrap();
                for (rel, bytes) in &backup {
                    common::write(&root.join("content"), rel.to_str().unwrap(), bytes);
                }
                log.push("undo".into());
                rebuilder
                    .rebuild(&Changes::Paths(touched))
                    .unwrap_or_else(|e| panic!("undo did not rebuild: {e:?}\n{}", log.join("\n")));
                assert_same_site(
                    &common::snapshot(&public),
                    &clean_build(root).unwrap(),
                    &log,
                );
            }
            (got, want) => panic!(
                "incremental and clean builds disagree on success after {}:\nincremental: {:?}\nclean: {:?}",
                log.join("; "),
                got.map(|r| r.rendered),
                want.map(|s| s.len())
            ),
        }
    }
}

#[test]
fn random_edits_leave_what_a_clean_build_writes() {
    let seeds: Vec<u64> = match std::env::var("SITREP_REBUILD_SEED") {
        Ok(s) => vec![s.parse().expect("a number")],
        // 99 once kept a deleted session's calendar file.
        Err(_) => vec![0x5eed_0001, 0x5eed_0002, 99],
    };
    for seed in seeds {
        random_sequence(seed, 12);
    }
}

/// The text of one of the default theme's templates, as the portal at `root` sees it.
fn builtin_template(root: &Path, name: &str) -> String {
    sitrep::render::theme::load(root, "default")
        .unwrap()
        .sources
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap()
        .1
}

fn rebuild(rebuilder: &mut Rebuilder, paths: &[&str]) -> RebuildReport {
    rebuilder
        .rebuild(&Changes::Paths(paths.iter().map(PathBuf::from).collect()))
        .expect("rebuild")
}

#[test]
fn an_edit_renders_only_the_pages_it_reaches() {
    let Watched {
        portal,
        out: _out,
        public,
        mut rebuilder,
        first,
    } = watched();
    let root = portal.path();
    assert_eq!(first.rendered, first.pages);

    // Nothing changed: nothing rendered or written.
    let idle = rebuild(&mut rebuilder, &["content/pages/charter.md"]);
    assert_eq!(
        (idle.parsed, idle.rendered, idle.written, idle.removed),
        (0, 0, 0, 0)
    );

    // A body edit (front matter and links unchanged): only the document's own page shows a
    // body, so it is the one page rendered; the feeds and the search index follow.
    let charter = root.join("content/pages/charter.md");
    let text = std::fs::read_to_string(&charter).unwrap();
    std::fs::write(&charter, format!("{text}\nOne more line.\n")).unwrap();
    let edit = rebuild(&mut rebuilder, &["content/pages/charter.md"]);
    assert_eq!((edit.parsed, edit.rendered), (1, 1));
    assert!(edit.search.is_some(), "the search index was updated");
    let page = std::fs::read_to_string(public.join("pages/charter/index.html")).unwrap();
    assert!(page.contains("One more line."));
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);

    // A template change re-renders the pages of that template and no other.
    let sessions = root.join("content/sessions");
    let n_sessions = std::fs::read_dir(&sessions).unwrap().count();
    let template = builtin_template(root, "session.html");
    common::write(
        root,
        "themes/default/templates/session.html",
        template.replace(
            "{% block content %}",
            "{% block content %}<p>Session page</p>",
        ),
    );
    let themed = rebuild(&mut rebuilder, &["themes/default/templates/session.html"]);
    assert_eq!(themed.rendered, n_sessions);
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);

    // A new document appears; deleted, it disappears with its page.
    common::write(
        root,
        "content/pages/scratch.md",
        "---\ntitle: Scratch\ntags: [scratch]\n---\nNotes.\n",
    );
    let added = rebuild(&mut rebuilder, &["content/pages/scratch.md"]);
    assert!(added.written >= 3, "its page, its tag page, the page index");
    assert!(public.join("tags/scratch/index.html").exists());
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);
    std::fs::remove_file(root.join("content/pages/scratch.md")).unwrap();
    let gone = rebuild(&mut rebuilder, &["content/pages/scratch.md"]);
    assert!(gone.removed >= 2, "its page and its tag page");
    assert!(!public.join("pages/scratch").exists());
    assert!(!public.join("tags/scratch").exists());
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);

    // sitrep.yaml: everything again.
    let config = std::fs::read_to_string(root.join("sitrep.yaml")).unwrap();
    std::fs::write(
        root.join("sitrep.yaml"),
        config.replace("title: ", "title: New "),
    )
    .unwrap();
    let all = rebuild(&mut rebuilder, &["sitrep.yaml"]);
    assert!(all.full);
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);
}

/// The navigation and footer are partials rendered once per build and put on every page: an
/// edit to one renders every page again.
#[test]
fn a_partial_edit_renders_every_page() {
    let Watched {
        portal,
        out: _out,
        public,
        mut rebuilder,
        first,
    } = watched();
    let root = portal.path();
    let name = "partials/footer.html";
    let footer = builtin_template(root, name);
    let path = format!("themes/default/templates/{name}");
    common::write(
        root,
        &path,
        footer.replace("with sitrep.", "with sitrep, edited."),
    );
    let edited = rebuild(&mut rebuilder, &[path.as_str()]);
    assert_eq!(edited.rendered, first.pages);
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("with sitrep, edited."), "the footer changed");
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);
}

/// A postmortem's body edit: its page first (what a preview waits for), then the search
/// index; listing pages are not rendered again, and the output is a clean build's.
#[test]
fn pages_come_first_then_the_search_index() {
    let Watched {
        portal,
        out: _out,
        public,
        mut rebuilder,
        ..
    } = watched();
    let root = portal.path();
    assert!(
        rebuilder.update_search().unwrap().is_none(),
        "a first build writes its index with its pages"
    );

    let file = content_files(root, "md")
        .into_iter()
        .find(|p| p.starts_with("content/postmortems"))
        .unwrap();
    let text = std::fs::read_to_string(root.join(&file)).unwrap();
    std::fs::write(
        root.join(&file),
        format!("{text}\nA sentence about quorumzebra.\n"),
    )
    .unwrap();
    let search_before = search_files(&public);
    let pages = rebuilder
        .rebuild_pages(&Changes::Paths(vec![file.clone()]))
        .unwrap();
    assert_eq!(pages.rendered, 1, "only the postmortem's own page");
    assert!(pages.search.is_none());
    let names: Vec<&str> = pages.phases.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["load", "index", "plan", "render", "write"]);
    let id = file.file_stem().unwrap().to_str().unwrap();
    let page =
        std::fs::read_to_string(public.join(format!("postmortems/{id}/index.html"))).unwrap();
    assert!(page.contains("quorumzebra"));
    assert_eq!(
        search_files(&public),
        search_before,
        "index not yet touched"
    );

    let search = rebuilder
        .update_search()
        .unwrap()
        .expect("the index was stale");
    assert_eq!(search.reindexed, 1, "the sample is one shard");
    assert!(
        rebuilder.update_search().unwrap().is_none(),
        "now up to date"
    );
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);
}

/// The files of the search index with their bytes.
fn search_files(public: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::snapshot(public)
        .into_iter()
        .filter(|(p, _)| p.starts_with("pagefind"))
        .collect()
}

#[test]
fn a_broken_template_fails_every_rebuild_until_fixed() {
    let Watched {
        portal,
        out: _out,
        public,
        mut rebuilder,
        ..
    } = watched();
    let root = portal.path();
    let template = "themes/default/templates/session.html";
    common::write(root, template, "{% block content %}{{ unclosed ");
    assert!(
        rebuilder
            .rebuild(&Changes::Paths(vec![template.into()]))
            .is_err()
    );
    // A content edit meanwhile must not build with the last good theme: `sitrep build` fails.
    let charter = root.join("content/pages/charter.md");
    let text = std::fs::read_to_string(&charter).unwrap();
    std::fs::write(&charter, format!("{text}\nMore.\n")).unwrap();
    assert!(clean_build(root).is_err());
    assert!(
        rebuilder
            .rebuild(&Changes::Paths(vec!["content/pages/charter.md".into()]))
            .is_err()
    );
    std::fs::remove_file(root.join(template)).unwrap();
    rebuild(&mut rebuilder, &[template]);
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);
}

/// A full build (sitrep.yaml changed) that fails while rendering has indexed its documents for
/// search already; the next rebuild must still bring the index on disk up to date, not trust
/// an index that was never written.
#[test]
fn a_failed_full_build_leaves_the_search_index_to_catch_up() {
    let Watched {
        portal,
        out: _out,
        public,
        mut rebuilder,
        ..
    } = watched();
    let root = portal.path();

    let config = std::fs::read_to_string(root.join("sitrep.yaml")).unwrap();
    std::fs::write(
        root.join("sitrep.yaml"),
        config.replace("title: ", "title: New "),
    )
    .unwrap();
    let template = "themes/default/templates/session.html";
    common::write(
        root,
        template,
        "{% extends \"base.html\" %}{% block content %}{{ no_such_thing.field }}{% endblock %}",
    );
    let charter = root.join("content/pages/charter.md");
    let text = std::fs::read_to_string(&charter).unwrap();
    std::fs::write(&charter, format!("{text}\nA line about quorumzebra.\n")).unwrap();
    let changed = ["sitrep.yaml", template, "content/pages/charter.md"];
    let paths: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    assert!(rebuilder.rebuild(&Changes::Paths(paths)).is_err());

    // Back to the last good configuration and theme, the new charter text kept.
    std::fs::write(root.join("sitrep.yaml"), config).unwrap();
    std::fs::remove_file(root.join(template)).unwrap();
    let report = rebuild(&mut rebuilder, &["sitrep.yaml", template]);
    assert!(!report.full);
    assert_eq!(report.search.map(|s| s.reindexed), Some(1));
    assert_same_site(&common::snapshot(&public), &clean_build(root).unwrap(), &[]);
}

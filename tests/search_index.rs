//! The sharded search index (`sitrep::render::search`): documents stay in their shard while
//! others come and go, an edit re-indexes only the shards it changes, and a sequence of such
//! incremental calls leaves byte for byte the files of one fresh call; each shard holds only
//! what the browser fetches, and no shard ever holds a draft or an assessment's score.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::civil::date;
use sitrep::build::{BuildOptions, prepare};
use sitrep::index::SiteIndex;
use sitrep::render::search::{self, SearchIndex, SearchIndexer};

fn site(root: &Path, drafts: bool) -> SiteIndex {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        build_date: Some(date(2026, 11, 26)),
        ..BuildOptions::default()
    };
    match prepare(&opts) {
        Ok(p) => p.index,
        Err(e) => panic!("the portal does not build: {e:?}"),
    }
}

/// A file's text, unzipped when Pagefind gzipped it.
fn text(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    if flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .is_err()
    {
        out = bytes.to_vec();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The shard folder (below `pagefind/`, "" for the first) of each document's fragment.
fn shard_of_each(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files {
        let Some((folder, _)) = path.split_once("fragment/") else {
            continue;
        };
        let json = text(bytes);
        let json = json
            .strip_prefix("pagefind_dcd")
            .expect("pagefind's marker");
        let fragment: serde_json::Value = serde_json::from_str(json).unwrap();
        let url = fragment["url"].as_str().unwrap().to_string();
        let folder = folder.strip_prefix("pagefind/").unwrap().to_string();
        assert!(
            out.insert(url, folder).is_none(),
            "a document in two shards"
        );
    }
    out
}

fn as_map(index: &SearchIndex) -> BTreeMap<String, Vec<u8>> {
    index.files.iter().cloned().collect()
}

/// Records per shard that split the sample portal into 8 shards, with room for a document more
/// or less: about 8.5 records per shard on average.
fn eight_shards(root: &Path) -> usize {
    let documents = SearchIndexer::new()
        .index(&site(root, false))
        .unwrap()
        .documents;
    let per = documents / 8;
    assert_eq!(search::shard_count(documents, per), 8);
    assert_eq!(search::shard_count(documents + 1, per), 8);
    assert_eq!(search::shard_count(documents - 1, per), 8);
    per
}

#[test]
fn adding_a_document_leaves_every_other_document_in_its_shard() {
    let dir = common::sample_copy();
    let per = eight_shards(dir.path());
    let before = SearchIndexer::with_shard_docs(per)
        .index(&site(dir.path(), false))
        .unwrap();
    let old = shard_of_each(&as_map(&before));
    common::write(
        dir.path(),
        "content/pages/new-runbook.md",
        "---\ntitle: Pager etiquette\n---\nAcknowledge within five minutes.\n",
    );
    let after = SearchIndexer::with_shard_docs(per)
        .index(&site(dir.path(), false))
        .unwrap();
    assert_eq!((before.shards, after.shards), (8, 8));
    let new = shard_of_each(&as_map(&after));
    assert_eq!(new.len(), old.len() + 1);
    assert!(new.contains_key("/pages/new-runbook/"), "{new:?}");
    for (url, folder) in &old {
        assert_eq!(new.get(url), Some(folder), "{url} moved");
    }
    // The folders are the hash's choice, and the documents spread over all of them.
    for (url, folder) in &new {
        assert_eq!(*folder, search::shard::subfolder(search::shard_of(url, 8)));
    }
    let used: BTreeSet<&String> = new.values().collect();
    assert!(used.len() >= 6, "{used:?}");
}

/// Applies one incremental result to the files known so far, as watch mode does, and checks
/// it against a fresh index of the same site.
fn apply_and_compare(
    out: &mut BTreeMap<String, Vec<u8>>,
    got: &SearchIndex,
    site: &SiteIndex,
    per: usize,
    step: &str,
) {
    out.extend(got.files.iter().cloned());
    out.retain(|p, _| got.all_files.binary_search(p).is_ok());
    let fresh = SearchIndexer::with_shard_docs(per).index(site).unwrap();
    assert_eq!(got.all_files, fresh.all_files, "{step}: file names");
    assert_eq!(fresh.files.len(), fresh.all_files.len(), "{step}");
    assert_eq!(got.shards, fresh.shards, "{step}");
    assert_eq!(got.documents, fresh.documents, "{step}");
    common::assert_same_files(
        out,
        &as_map(&fresh),
        &format!("{step}, against a fresh index"),
    );
}

/// One change to the portal: its name, what it does, and the URL of the document it changes.
type Step = (&'static str, Box<dyn Fn(&Path)>, &'static str);

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path: PathBuf = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

#[test]
fn edits_reindex_only_their_shards_and_end_equal_to_a_fresh_index() {
    let dir = common::sample_copy();
    let root = dir.path();
    let per = eight_shards(root);
    let mut indexer = SearchIndexer::with_shard_docs(per);
    let mut out = BTreeMap::new();

    let s = site(root, false);
    let first = indexer.index(&s).unwrap();
    assert_eq!((first.shards, first.reindexed), (8, 8));
    let names: Vec<&String> = first.files.iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        first.all_files.iter().collect::<Vec<_>>(),
        "everything, the first time"
    );
    apply_and_compare(&mut out, &first, &s, per, "first");

    let same = indexer.index(&s).unwrap();
    assert_eq!(same.reindexed, 0);
    assert!(same.files.is_empty(), "{:?}", same.files.len());
    assert_eq!(same.all_files, first.all_files);

    // A draft is not indexed: editing it changes no shard.
    edit(
        root,
        "content/postmortems/2026-11-24-sms-delivery-delay.md",
        |t| t + "\nA draft paragraph about zebras.\n",
    );
    let s = site(root, false);
    let draft = indexer.index(&s).unwrap();
    assert_eq!(draft.reindexed, 0);
    apply_and_compare(&mut out, &draft, &s, per, "draft edit");

    let steps: [Step; 3] = [
        (
            "edit a body",
            Box::new(|root: &Path| {
                edit(
                    root,
                    "content/postmortems/2026-06-10-ios-release-crash.md",
                    |t| t + "\nThe hotfix added a null check for missing addresses.\n",
                )
            }),
            "/postmortems/2026-06-10-ios-release-crash/",
        ),
        (
            "add a page",
            Box::new(|root: &Path| {
                common::write(
                    root,
                    "content/pages/pager-etiquette.md",
                    "---\ntitle: Pager etiquette\ntags: [on-call]\n---\nAcknowledge within five minutes.\n",
                )
            }),
            "/pages/pager-etiquette/",
        ),
        (
            "delete a session",
            Box::new(|root: &Path| {
                std::fs::remove_file(
                    root.join("content/sessions/2027-01-14-certificate-automation.md"),
                )
                .unwrap()
            }),
            "/sessions/2027-01-14-certificate-automation/",
        ),
    ];
    for (step, change, url) in steps {
        change(root);
        let s = site(root, false);
        let got = indexer.index(&s).unwrap();
        assert_eq!((got.shards, got.reindexed), (8, 1), "{step}");
        // What was written is the changed document's shard, and nothing of the others.
        let folder = format!(
            "pagefind/{}",
            search::shard::subfolder(search::shard_of(url, 8))
        );
        for (path, _) in &got.files {
            let inside = path
                .strip_prefix(&folder)
                .is_some_and(|rest| !rest.starts_with("shard-"));
            assert!(inside || path == search::MANIFEST, "{step}: {path} written");
        }
        assert!(!got.files.is_empty(), "{step}");
        apply_and_compare(&mut out, &got, &s, per, step);
    }
    let urls = shard_of_each(&out);
    assert!(urls.contains_key("/pages/pager-etiquette/"));
    assert!(!urls.contains_key("/sessions/2027-01-14-certificate-automation/"));
    let ios = out
        .iter()
        .filter(|(p, _)| p.contains("fragment/"))
        .map(|(_, b)| text(b))
        .find(|t| t.contains("/postmortems/2026-06-10-ios-release-crash/"))
        .unwrap();
    assert!(ios.contains("null check for missing addresses"));
}

#[test]
fn a_new_shard_count_reindexes_everything_and_drops_the_old_shards() {
    // The minimal portal's 4 documents at 2 per shard make 2 shards; 6 documents make 4.
    let dir = common::portal(&[]);
    let root = dir.path();
    let mut indexer = SearchIndexer::with_shard_docs(2);
    let mut out = BTreeMap::new();
    let s = site(root, false);
    let two = indexer.index(&s).unwrap();
    assert_eq!((two.documents, two.shards, two.reindexed), (4, 2, 2));
    apply_and_compare(&mut out, &two, &s, 2, "4 documents");

    for name in ["alpha", "beta"] {
        common::write(
            root,
            &format!("content/pages/{name}.md"),
            format!("---\ntitle: Page {name}\n---\nAbout {name}.\n"),
        );
    }
    let s = site(root, false);
    let four = indexer.index(&s).unwrap();
    assert_eq!((four.documents, four.shards, four.reindexed), (6, 4, 4));
    apply_and_compare(&mut out, &four, &s, 2, "6 documents");
    assert!(
        four.all_files
            .iter()
            .any(|p| p.starts_with("pagefind/shard-"))
    );

    for name in ["alpha", "beta"] {
        std::fs::remove_file(root.join(format!("content/pages/{name}.md"))).unwrap();
    }
    let s = site(root, false);
    let back = indexer.index(&s).unwrap();
    assert_eq!((back.shards, back.reindexed), (2, 2));
    apply_and_compare(&mut out, &back, &s, 2, "4 documents again");
    assert!(
        !out.keys()
            .any(|p| p.starts_with("pagefind/shard-2/") || p.starts_with("pagefind/shard-3/"))
    );
    assert_eq!(out, as_map(&two), "the same files as the first time");
}

#[test]
fn each_shard_holds_only_what_the_browser_fetches() {
    let dir = common::sample_copy();
    let per = eight_shards(dir.path());
    let got = SearchIndexer::with_shard_docs(per)
        .index(&site(dir.path(), false))
        .unwrap();
    let files = as_map(&got);
    let listed: serde_json::Value = serde_json::from_str(&text(&files[search::MANIFEST])).unwrap();
    let listed: Vec<&str> = listed["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for path in files.keys() {
        let rest = path.strip_prefix("pagefind/").unwrap();
        match rest.split_once('/') {
            Some((f, _)) if f.starts_with("shard-") => {
                folders.insert(format!("{f}/"));
            }
            _ => {}
        }
    }
    assert_eq!(
        listed,
        folders.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(listed.len() >= 6, "{listed:?}");
    for folder in std::iter::once("").chain(listed.iter().copied()) {
        let prefix = format!("pagefind/{folder}");
        let names: Vec<&str> = files
            .keys()
            .filter_map(|p| p.strip_prefix(&prefix))
            .filter(|n| !n.starts_with("shard-") && *n != "shards.json")
            .collect();
        let kind = |n: &str| match n.split_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None if n.ends_with(".pf_meta") => "meta".into(),
            None => n.to_string(),
        };
        let kinds: BTreeSet<String> = names.iter().map(|n| kind(n)).collect();
        let mut want = vec![
            "filter/",
            "fragment/",
            "index/",
            "meta",
            "pagefind-entry.json",
        ];
        if folder.is_empty() {
            want.extend(["pagefind-worker.js", "pagefind.js", "wasm.en.pagefind"]);
        }
        let want: BTreeSet<String> = want.into_iter().map(String::from).collect();
        assert_eq!(kinds, want, "shard {folder:?}");
        assert_eq!(names.iter().filter(|n| n.ends_with(".pf_meta")).count(), 1);
    }
}

/// The sharing fixture holds a draft ("Zanzibar") and a culture group below the anonymity
/// threshold (score 1.37, note "Quokkanotes"); split into a shard per record or two, with
/// drafts shown in the pages, none of them may reach any file of any shard.
#[test]
fn no_shard_holds_a_draft_or_an_assessment_score() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sharing");
    let s = site(&root, true);
    let got = SearchIndexer::with_shard_docs(1).index(&s).unwrap();
    assert!(got.shards >= 4, "{}", got.shards);
    assert_eq!(got.documents, 15);
    let files = as_map(&got);
    let urls = shard_of_each(&files);
    assert_eq!(urls.len(), 15);
    assert!(urls.contains_key("/assessments/beta-2026-06/"), "{urls:?}");
    assert!(!urls.keys().any(|u| u.contains("draft")), "{urls:?}");
    for (path, bytes) in &files {
        let t = text(bytes);
        assert!(!t.to_lowercase().contains("zanzibar"), "a draft in {path}");
        assert!(
            !t.contains("1.37") && !t.to_lowercase().contains("quokkanotes"),
            "a suppressed group in {path}"
        );
    }
}

/// Indexing must not depend on which thread runs it. Pagefind's async API is driven by a tokio
/// runtime per shard, and Pagefind parallelises inside with rayon: a rayon worker waiting for that
/// work inside one shard's runtime could pick up another shard (of this or another build) and
/// start a runtime inside a runtime, which tokio refuses with a panic. And an indexer called on
/// every rayon worker at once must not leave Pagefind's parallel work without a thread (a hang).
/// Indexers run at once from plain threads and from rayon's workers, as concurrent builds in one
/// process (tests, `serve`) do, must all succeed and agree.
#[test]
fn indexers_running_at_once_each_build_the_same_index() {
    use rayon::prelude::*;
    let dir = common::sample_copy();
    let index = site(dir.path(), false);
    let build = || as_map(&SearchIndexer::with_shard_docs(3).index(&index).unwrap());
    let expected = build();
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..8)
            .map(|t| {
                s.spawn(move || match t % 4 {
                    0 => (0..6).map(|_| build()).collect::<Vec<_>>(),
                    _ => (0..6).into_par_iter().map(|_| build()).collect(),
                })
            })
            .collect();
        for run in runs {
            for got in run.join().expect("an indexer panicked") {
                assert!(got == expected, "an index differs from the first one");
            }
        }
    });
}

/// The state a build stores in its manifest: read back (as JSON), it resumes an indexer that
/// re-indexes only what changed since, ending equal to a fresh index; it is refused by an
/// indexer with another shard size, whose layout would differ.
#[test]
fn a_stored_state_resumes_where_the_last_index_stopped() {
    let dir = common::sample_copy();
    let root = dir.path();
    let per = eight_shards(root);
    let mut first = SearchIndexer::with_shard_docs(per);
    let built = first.index(&site(root, false)).unwrap();
    let mut out = as_map(&built);
    let stored = serde_json::to_string(&first.state()).unwrap();
    let state: search::SearchState = serde_json::from_str(&stored).unwrap();
    assert_eq!(state, first.state());
    let named: BTreeSet<&str> = state.files().collect();
    assert_eq!(named.len(), built.all_files.len());
    assert!(built.all_files.iter().all(|p| named.contains(p.as_str())));
    assert!(
        SearchIndexer::with_shard_docs(per + 1)
            .resume(&state)
            .is_none()
    );

    let mut resumed = SearchIndexer::with_shard_docs(per).resume(&state).unwrap();
    let same = resumed.index(&site(root, false)).unwrap();
    assert_eq!((same.shards, same.reindexed), (8, 0));
    assert!(same.files.is_empty(), "{:?}", same.files.len());

    edit(
        root,
        "content/postmortems/2026-06-10-ios-release-crash.md",
        |t| t + "\nThe hotfix added a null check for missing addresses.\n",
    );
    let s = site(root, false);
    let mut resumed = SearchIndexer::with_shard_docs(per).resume(&state).unwrap();
    let edited = resumed.index(&s).unwrap();
    assert_eq!((edited.shards, edited.reindexed), (8, 1));
    apply_and_compare(&mut out, &edited, &s, per, "resumed after an edit");
}

//! Times the sharded search index on a portal: one whole index, then re-indexing after each of
//! a few edits to one document. `cargo run --release --example search_probe -- <portal> <file
//! relative to the portal>` (the file must be a searchable document; the edits are appended to
//! it, so use a copy of the portal).
use std::path::PathBuf;
use std::time::Instant;

use sitrep::build::{BuildOptions, prepare};
use sitrep::render::search::SearchIndexer;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("portal folder"));
    let file = root.join(args.next().expect("a file to edit, relative to the portal"));
    let opts = BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    };
    let index = match prepare(&opts) {
        Ok(p) => p.index,
        Err(e) => panic!("the portal does not build: {e:?}"),
    };
    let mut indexer = SearchIndexer::new();
    let t = Instant::now();
    let first = indexer.index(&index).expect("index");
    let bytes: usize = first.files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "whole index: {} documents in {} shards, {} files ({} kB), in {:?}",
        first.documents,
        first.shards,
        first.files.len(),
        bytes / 1000,
        t.elapsed()
    );
    let t = Instant::now();
    let same = indexer.index(&index).expect("index");
    println!(
        "nothing changed: {} shards re-indexed, in {:?} (records built and compared)",
        same.reindexed,
        t.elapsed()
    );
    for i in 0..5 {
        let text = std::fs::read_to_string(&file).expect("read");
        std::fs::write(
            &file,
            format!("{text}\nEdit number {i} mentions zyzzyva{i}.\n"),
        )
        .expect("write");
        let index = match prepare(&opts) {
            Ok(p) => p.index,
            Err(e) => panic!("the portal does not build: {e:?}"),
        };
        let t = Instant::now();
        let again = indexer.index(&index).expect("index");
        println!(
            "after an edit: {} of {} shards re-indexed, {} files, in {:?}",
            again.reindexed,
            again.shards,
            again.files.len(),
            t.elapsed()
        );
    }
}

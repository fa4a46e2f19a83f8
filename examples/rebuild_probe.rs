//! Times watch mode's rebuild of one edited document, step by step, then its search update:
//! `cargo run --release --example rebuild_probe -- <portal> <file relative to the portal>
//! [edits (default 5)] [--no-search]` (without the search step, for profiling the pages').
use std::path::PathBuf;
use std::time::Instant;

use sitrep::build::BuildOptions;
use sitrep::load::Changes;
use sitrep::rebuild::{RebuildReport, Rebuilder};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("portal folder"));
    let file = PathBuf::from(args.next().expect("a file to edit, relative to the portal"));
    let rest: Vec<String> = args.collect();
    let edits: usize = rest.iter().find_map(|a| a.parse().ok()).unwrap_or(5);
    let with_search = !rest.iter().any(|a| a == "--no-search");
    let mut rebuilder = Rebuilder::new(BuildOptions {
        output: Some(root.join("public")),
        root: root.clone(),
        ..BuildOptions::default()
    });
    let t = Instant::now();
    let first = rebuilder.rebuild(&Changes::All).expect("first build");
    println!(
        "first build: {} pages in {:?} ({})",
        first.pages,
        t.elapsed(),
        phases(&first)
    );
    for i in 0..edits {
        let path = root.join(&file);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{text}\nEdit {i}.\n")).expect("write");
        let t = Instant::now();
        let r = rebuilder
            .rebuild_pages(&Changes::Paths(vec![file.clone()]))
            .expect("rebuild");
        let pages = t.elapsed();
        let search = if with_search {
            rebuilder.update_search().expect("search index")
        } else {
            None
        };
        println!(
            "rebuild: {} of {} pages rendered, {} written, pages in {pages:?} ({}); then search {:?}",
            r.rendered,
            r.pages,
            r.written,
            phases(&r),
            search.map(|s| s.elapsed)
        );
    }
}

/// Each step of a rebuild with its time: "load 5.7 ms, index 24.8 ms, ...".
fn phases(report: &RebuildReport) -> String {
    report
        .phases
        .iter()
        .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0))
        .collect::<Vec<_>>()
        .join(", ")
}

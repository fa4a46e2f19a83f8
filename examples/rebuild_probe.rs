//! Times watch mode's rebuild of one edited document: `cargo run --release --example
//! rebuild_probe -- <portal> <file relative to the portal>`.
use std::path::PathBuf;
use std::time::Instant;

use sitrep::build::BuildOptions;
use sitrep::load::Changes;
use sitrep::rebuild::Rebuilder;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("portal folder"));
    let file = PathBuf::from(args.next().expect("a file to edit, relative to the portal"));
    let mut rebuilder = Rebuilder::new(BuildOptions {
        output: Some(root.join("public")),
        root: root.clone(),
        ..BuildOptions::default()
    });
    let t = Instant::now();
    let first = rebuilder.rebuild(&Changes::All).expect("first build");
    println!("first build: {} pages in {:?}", first.pages, t.elapsed());
    for i in 0..5 {
        let path = root.join(&file);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{text}\nEdit {i}.\n")).expect("write");
        let t = Instant::now();
        let r = rebuilder
            .rebuild(&Changes::Paths(vec![file.clone()]))
            .expect("rebuild");
        println!(
            "rebuild: {} of {} pages rendered, {} written, in {:?} (search {:?})",
            r.rendered,
            r.pages,
            r.written,
            t.elapsed(),
            r.search.map(|s| s.elapsed)
        );
    }
}

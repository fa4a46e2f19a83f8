//! Rendering in parallel changes nothing: the sample portal built on one thread and on several
//! is the same, file for file and byte for byte.

mod common;

use std::path::Path;

use jiff::civil::date;
use sitrep::build::BuildOptions;

fn build_with_threads(threads: usize) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let opts = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(public.clone()),
        build_date: Some(date(2026, 11, 26)),
        ..BuildOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| sitrep::build::build(&opts))
        .expect("the sample portal builds");
    common::snapshot(&public)
}

#[test]
fn one_thread_and_four_threads_write_the_same_site() {
    let single = build_with_threads(1);
    let parallel = build_with_threads(4);
    assert!(single.len() > 100, "the sample portal has pages");
    assert_eq!(
        single.keys().collect::<Vec<_>>(),
        parallel.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &single {
        assert!(parallel[path] == *bytes, "{} differs", path.display());
    }
}

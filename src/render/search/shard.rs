//! One shard: which shard a document belongs to, how many shards there are, and indexing one
//! shard's records with Pagefind into the files the browser needs from it.
//!
//! What the browser fetches (read from Pagefind 1.6's `pagefind.js`): the primary index loads
//! `pagefind.js`, the worker `pagefind-worker.js`, `pagefind-entry.json`, the WebAssembly its
//! entry names for the language (`wasm.en.pagefind`), the metadata `pagefind.<hash>.pf_meta` and
//! then chunks from `index/`, `filter/` and `fragment/`. A merged index (`mergeIndex`) is
//! initialised with `load_wasm: false`: it runs on the primary index's WebAssembly and loads
//! only its entry, its metadata and its chunks. Everything else Pagefind writes (its UIs, the
//! playground, `pagefind-highlight.js`, the language-less `wasm.unknown.pagefind`, which the
//! entry never names since every record is indexed as English) is left out.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{DIR, Record, failed};
use crate::diagnostics::Diagnostic;

/// At most this many shards: each one costs the browser an entry and a metadata file once, and
/// one word-index chunk per search term, so 64 keeps a search to a few dozen small requests.
pub const MAX_SHARDS: usize = 64;

/// How many shards `records` searchable records are split into: `records / records_per_shard`
/// rounded to the nearest power of two (on a log scale, so shards hold between 0.7 and 1.4
/// times `records_per_shard` on average), at least 1 and at most [`MAX_SHARDS`]. A power of two
/// changes only when the site doubles or halves, and every change re-indexes everything.
/// ([`super::SearchIndexer::index`] halves it while shard 0 would hold no record.)
pub fn shard_count(records: usize, records_per_shard: usize) -> usize {
    let per = records_per_shard.max(1) as u128;
    let records = records as u128;
    // The largest k with records / per >= 2^k / sqrt(2), i.e. 2 * records^2 >= 4^k * per^2.
    let mut shards = 1usize;
    while shards < MAX_SHARDS {
        let next = (shards * 2) as u128;
        if 2 * records * records >= next * next * per * per {
            shards *= 2;
        } else {
            break;
        }
    }
    shards
}

/// The shard of the document at `url` when there are `shards` of them: a hash of the URL, so a
/// document stays in its shard while others come and go, and only the shard count moves it.
pub fn shard_of(url: &str, shards: usize) -> usize {
    let hash = blake3::hash(url.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    (u64::from_le_bytes(first) % shards.max(1) as u64) as usize
}

/// The folder of shard `k` below the output root: `pagefind/` for shard 0, whose `pagefind.js`
/// the theme loads, and `pagefind/shard-<k>/` for the others.
pub fn folder(k: usize) -> String {
    format!("{DIR}/{}", subfolder(k))
}

/// The folder of shard `k` below `pagefind/`: empty for shard 0, `shard-<k>/` for the others.
pub fn subfolder(k: usize) -> String {
    if k == 0 {
        String::new()
    } else {
        format!("shard-{k}/")
    }
}

/// Whether the browser fetches Pagefind's file `name` (relative to the shard's folder) from
/// shard `k`; see the module comment.
fn needed(name: &str, k: usize) -> bool {
    let data = name == "pagefind-entry.json"
        || (name.starts_with("pagefind.") && name.ends_with(".pf_meta"))
        || name.starts_with("index/")
        || name.starts_with("filter/")
        || name.starts_with("fragment/");
    let runtime = name == "pagefind.js"
        || name == "pagefind-worker.js"
        || (name.starts_with("wasm.") && name != "wasm.unknown.pagefind");
    data || (k == 0 && runtime)
}

/// Indexes the records of shard `k`: its files, relative to the output root, sorted. Each
/// shard has its own single-threaded runtime (Pagefind's API is async), so shards can be
/// indexed on as many threads as there are, but never on a rayon worker (see
/// `on_own_threads` in the parent module).
pub fn index(k: usize, records: Vec<Record>) -> Result<super::Files, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language("en".to_string())
            .build();
        let mut pf = PagefindIndex::new(Some(options)).map_err(failed)?;
        for r in records {
            pf.add_custom_record(
                r.url,
                r.content,
                "en".into(),
                Some(r.meta),
                Some(r.filters),
                None,
            )
            .await
            .map_err(failed)?;
        }
        pf.get_files().await.map_err(failed)
    })?;
    let prefix = folder(k);
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .filter(|(name, _)| needed(name, k))
        .map(|(name, bytes)| (format!("{prefix}{name}"), bytes))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_count_rounds_to_the_nearest_power_of_two_and_is_capped() {
        assert_eq!(shard_count(0, 250), 1);
        assert_eq!(shard_count(353, 250), 1);
        assert_eq!(shard_count(354, 250), 2);
        assert_eq!(shard_count(10_000, 250), 32);
        assert_eq!(shard_count(15, 2), 8);
        assert_eq!(shard_count(1_000_000, 250), MAX_SHARDS);
        assert_eq!(shard_count(5, 0), 4);
    }

    #[test]
    fn shard_of_is_below_the_count_and_spreads_documents() {
        let mut seen = [0usize; 8];
        for i in 0..800 {
            let k = shard_of(&format!("/postmortems/p{i}/"), 8);
            seen[k] += 1;
        }
        assert!(seen.iter().all(|&n| (50..150).contains(&n)), "{seen:?}");
        assert_eq!(shard_of("/x/", 1), 0);
    }
}

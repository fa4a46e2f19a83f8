//! Load: walk `content/`, read every file once, and turn each into typed documents. Every problem
//! becomes a diagnostic; none stops the walk, so one run reports them all.

pub mod assessment;
mod cache;
pub mod csvdata;
pub mod document;
mod fields;
pub mod frontmatter;
pub mod openslo;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos};
use crate::markdown::MarkdownOptions;
use crate::model::{DocKey, Document, Kind, KindData};
pub use cache::{Changes, LoadCache};

pub const CONTENT_DIR: &str = "content";

/// What loading produced: documents (drafts included) and diagnostics.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Shared (`Arc`): the watch-mode cache hands the same documents to every rebuild.
    pub docs: Vec<Arc<Document>>,
    /// Documents whose files had errors: they exist, so references to them are not reported a
    /// second time as pointing nowhere.
    pub failed: Vec<DocKey>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Options for one load.
pub struct LoadOptions<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    /// The base path links are written with (may differ from the config's when overridden).
    pub base_path: &'a str,
}

/// What one file turned into.
#[derive(Clone, Default)]
struct FileResult {
    docs: Vec<Arc<Document>>,
    /// The document this file would have defined, when errors kept it from loading.
    failed: Option<DocKey>,
    measurements: Option<(PathBuf, csvdata::Measured)>,
    openslo: Option<openslo::Parsed>,
    diagnostics: Vec<Diagnostic>,
}

/// Editors' temporary, backup and swap files, and hidden files: never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// Lists content files (relative to the root), reporting unreadable entries and symlink loops.
pub fn discover(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                CONTENT_DIR,
                "missing-content",
                "there is no content/ folder",
            )
            .with_help("create content/ with one folder per kind (teams/, services/, slos/, ...)"),
        );
        return (files, diags);
    }
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                // An id is made from the name: a lossy one would publish a page under a
                // U+FFFD name nobody can link to.
                if rel.to_str().is_none() {
                    diags.push(
                        Diagnostic::error(
                            &rel,
                            "not-utf8-name",
                            "the file name (or a folder name in its path) is not valid UTF-8",
                        )
                        .with_help("rename it using UTF-8 (most editors and git do by default)"),
                    );
                    continue;
                }
                files.push(rel);
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let message = if err.loop_ancestor().is_some() {
                    "symbolic link loop: this folder links back to one of its parents".to_string()
                } else {
                    format!("cannot read: {err}")
                };
                diags.push(
                    Diagnostic::error(path, "unreadable", message)
                        .with_help("remove the link or make it point outside its own folder"),
                );
            }
        }
    }
    (files, diags)
}

/// Files one rayon task loads at most. Small chunks, as for rendering: files differ a lot in
/// cost (an SLO's year of measurements, a page with code to highlight), and rayon never splits
/// a chunk a thread has started.
const FILES_PER_TASK: usize = 16;

/// Loads every content file in parallel, then attaches measurements to their SLOs.
pub fn load(opts: &LoadOptions) -> Loaded {
    let (files, diagnostics) = discover(opts.root);
    let results: Vec<FileResult> = files
        .par_iter()
        .with_max_len(FILES_PER_TASK)
        .map(|f| load_file(opts, f))
        .collect();
    combine(opts.root, diagnostics, results)
}

/// Puts the files' results together, in discovery order: what needs more than one file
/// (OpenSLO references, measurements beside their SLO, services declared twice).
fn combine(
    root: &Path,
    mut diagnostics: Vec<Diagnostic>,
    results: impl IntoIterator<Item = FileResult>,
) -> Loaded {
    let mut docs = Vec::new();
    let mut failed = Vec::new();
    let mut measurements: HashMap<PathBuf, csvdata::Measured> = HashMap::new();
    let mut openslo_files = Vec::new();
    for r in results {
        docs.extend(r.docs);
        failed.extend(r.failed);
        diagnostics.extend(r.diagnostics);
        if let Some((path, rows)) = r.measurements {
            measurements.insert(path, rows);
        }
        openslo_files.extend(r.openslo);
    }
    let resolved = openslo::resolve(&openslo_files);
    docs.extend(resolved.docs.into_iter().map(Arc::new));
    failed.extend(resolved.failed);
    diagnostics.extend(resolved.diagnostics);
    merge_openslo_services(&mut docs);
    attach_measurements(root, &mut docs, &mut measurements, &mut diagnostics);
    Loaded {
        docs,
        failed,
        diagnostics,
    }
}

/// Reads a file as UTF-8, reporting where the first invalid byte is.
pub fn read_text(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(file)).map_err(|e| {
        Diagnostic::error(file, "unreadable", format!("cannot read the file: {e}"))
            .with_help("the file may have been deleted or moved while sitrep was running; run the command again")
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        // Columns are as the author sees them: a BOM takes no room.
        let shown = prefix.strip_prefix('\u{feff}').unwrap_or(&prefix);
        let pos = Pos::of_offset(shown, shown.len());
        Diagnostic::error(
            file,
            "not-utf8",
            format!("the file is not valid UTF-8 (byte {valid})"),
        )
        .at(pos.line, pos.column)
        .with_help("save the file as UTF-8")
    })
}

/// The kind folder and id of a content file (`content/pages/a/b.md` -> (Page, "a/b", "md")).
pub fn classify(file: &Path) -> Option<(Kind, String, String)> {
    let rel = file.strip_prefix(CONTENT_DIR).ok()?;
    let mut comps = rel.components();
    let kind = Kind::parse(&comps.next()?.as_os_str().to_string_lossy())?;
    let rest = comps.as_path();
    if rest.as_os_str().is_empty() {
        return None;
    }
    let ext = rest.extension()?.to_string_lossy().to_lowercase();
    let id = rest.with_extension("").to_string_lossy().replace('\\', "/");
    Some((kind, id, ext))
}

fn load_file(opts: &LoadOptions, file: &Path) -> FileResult {
    let mut out = FileResult::default();
    let Some((kind, id, ext)) = classify(file) else {
        out.diagnostics.push(
            Diagnostic::warning(
                file,
                "unknown-file",
                "this file is not in a kind folder and is not used",
            )
            .with_help(format!(
                "content/ holds one folder per kind: {}",
                Kind::ALL.map(|k| k.dir()).join(", ")
            )),
        );
        return out;
    };
    let one_document = (ext == "md" && kind != Kind::Assessment)
        || (kind == Kind::Assessment && matches!(ext.as_str(), "yaml" | "yml"));
    if one_document {
        out.failed = Some(DocKey::new(kind, id.clone()));
    }
    let text = match read_text(opts.root, file) {
        Ok(t) => t,
        Err(d) => {
            out.diagnostics.push(d);
            return out;
        }
    };
    let text = frontmatter::normalize(&text);
    let doc_opts = document::DocOptions {
        config: opts.config,
        markdown: MarkdownOptions {
            allow_raw_html: opts.config.markdown.allow_raw_html,
            base_path: opts.base_path,
        },
    };
    match (kind, ext.as_str()) {
        (Kind::Assessment, "yaml" | "yml") => {
            let (doc, diags) = assessment::from_yaml(&id, file, &text);
            out.docs.extend(doc.map(Arc::new));
            out.diagnostics = diags;
        }
        (Kind::Assessment, "csv") => match csvdata::survey(file, &text) {
            Ok(rows) => {
                out.docs = assessment::from_survey(file, rows)
                    .into_iter()
                    .map(Arc::new)
                    .collect()
            }
            Err(d) => out.diagnostics = d,
        },
        (Kind::Slo, "yaml" | "yml") => {
            let (parsed, diags) = openslo::parse(file, &text);
            out.openslo = Some(parsed);
            out.diagnostics = diags;
        }
        (Kind::Slo, "csv") => match csvdata::measurements(file, &text) {
            Ok(rows) => out.measurements = Some((file.to_path_buf(), rows)),
            Err(d) => out.diagnostics = d,
        },
        _ if ext != "md" || kind == Kind::Assessment => {
            out.diagnostics.push(
                Diagnostic::warning(file, "unknown-file", format!("`.{ext}` files are not used in {}/", kind.dir()))
                    .with_help("documents are .md files; SLOs may also be OpenSLO .yaml with .csv measurements; assessments are .yaml or .csv"),
            );
        }
        _ => {
            let (doc, diags) = document::parse(kind, &id, file, &text, &doc_opts);
            out.docs.extend(doc.map(Arc::new));
            out.diagnostics = diags;
        }
    }
    if !out.docs.is_empty() {
        out.failed = None;
    }
    out
}

/// Where the value of `field` is in a markdown document's front matter, for a problem found after
/// the document was parsed; `None` when the file can no longer be read.
fn front_matter_pos(root: &Path, file: &Path, field: &str) -> Option<Pos> {
    let text = read_text(root, file).ok()?;
    let text = frontmatter::normalize(&text);
    let split = frontmatter::split(&text).ok()?;
    let mut spans = crate::yaml::Spans::of(split.yaml);
    spans.offset_lines(split.yaml_line - 1);
    spans.value(field)
}

/// An OpenSLO Service and a portal service (or another OpenSLO Service) with the same id are
/// the same service: the portal's own document wins, then the first OpenSLO one.
fn merge_openslo_services(docs: &mut Vec<Arc<Document>>) {
    let native: std::collections::HashSet<String> = docs
        .iter()
        .filter(|d| d.key.kind == Kind::Service && !openslo::is_openslo(d))
        .map(|d| d.key.id.clone())
        .collect();
    let mut seen = std::collections::HashSet::new();
    docs.retain(|d| {
        d.key.kind != Kind::Service
            || !openslo::is_openslo(d)
            || (!native.contains(&d.key.id) && seen.insert(d.key.id.clone()))
    });
}

/// Gives each SLO its measurements: the file its `measurements` field names, or else the `.csv`
/// beside it with the same id. A csv no SLO claims is reported rather than ignored.
fn attach_measurements(
    root: &Path,
    docs: &mut [Arc<Document>],
    measurements: &mut HashMap<PathBuf, csvdata::Measured>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // A set: with thousands of SLOs a list made this quadratic.
    let mut claimed: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for doc in docs.iter_mut() {
        if doc.key.kind != Kind::Slo {
            continue;
        }
        // Copies the SLO document when the cache shares it: its measurements are attached anew
        // each time, since its csv may have changed while it did not.
        let doc = Arc::make_mut(doc);
        let KindData::Slo(slo) = &mut doc.data else {
            continue;
        };
        let explicit = slo.measurements_file.is_some();
        let path = slo.measurements_file.clone().unwrap_or_else(|| {
            PathBuf::from(CONTENT_DIR)
                .join("slos")
                .join(format!("{}.csv", doc.key.id))
        });
        let exists = measurements.contains_key(&path) || claimed.contains(&path);
        if let Some(m) = measurements.get(&path) {
            slo.measurements = m.rows.clone();
            slo.measurement_lines = m.lines.clone();
            slo.measurements_file = Some(path.clone());
            claimed.insert(path);
        } else if explicit && !exists {
            diagnostics.push(
                Diagnostic::error(&doc.source, "missing-measurements", format!("measurements file `{}` does not exist", path.display()))
                    .at_pos(front_matter_pos(root, &doc.source, "measurements"))
                    .with_help("the path is relative to the SLO file; leave the field out to use the .csv beside it"),
            );
        } else if !explicit {
            slo.measurements_file = None;
        }
    }
    let slo_ids: Vec<String> = docs
        .iter()
        .filter(|d| d.key.kind == Kind::Slo)
        .map(|d| d.key.id.clone())
        .collect();
    let mut unclaimed: Vec<&PathBuf> = measurements
        .keys()
        .filter(|p| !claimed.contains(*p))
        .collect();
    unclaimed.sort();
    for path in unclaimed {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut d = Diagnostic::warning(
            path,
            "orphan-measurements",
            format!("no SLO uses these measurements (no SLO with id `{stem}`)"),
        );
        if let Some(n) = crate::suggest::nearest(&stem, slo_ids.iter().map(String::as_str)) {
            d = d.with_help(format!("did you mean to name it `{n}.csv`?"));
        }
        diagnostics.push(d);
    }
}

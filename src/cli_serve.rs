//! Printing for `sitrep serve`: turns the library's [`ServeEvent`]s into terminal lines.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crate::serve::{self, ServeEvent, ServeOptions};

fn changed_list(changed: &[std::path::PathBuf]) -> String {
    const SHOWN: usize = 3;
    let mut names: Vec<String> = changed
        .iter()
        .take(SHOWN)
        .map(|p| p.display().to_string())
        .collect();
    if changed.len() > SHOWN {
        names.push(format!("and {} more", changed.len() - SHOWN));
    }
    names.join(", ")
}

fn print(event: ServeEvent, root: &Path) {
    match event {
        ServeEvent::Listening { url, exposed } => {
            if exposed {
                eprintln!(
                    "warning: serving on a non-loopback address: the site (drafts included, if \
                     --drafts) is reachable from other hosts on the network"
                );
            }
            println!("sitrep: serving {url} (Ctrl-C to stop)");
        }
        ServeEvent::Built {
            rebuild,
            report,
            changed,
        } => {
            // After the first build, only the warnings of the files just changed are printed
            // again: the others were shown already, and a large portal's warnings would bury
            // each rebuild's line.
            let shown: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| rebuild == 0 || changed.contains(&d.file))
                .cloned()
                .collect();
            crate::cli::print_diagnostics(&shown, root);
            let warnings = report.diagnostics.len();
            let ms = report.elapsed.as_millis();
            if rebuild == 0 {
                println!(
                    "sitrep: built {} pages ({} files) in {ms} ms, {warnings} warning(s)",
                    report.pages, report.files
                );
            } else {
                println!(
                    "sitrep: {} changed: re-rendered {} of {} pages, wrote {} and removed {} files in {ms} ms, {warnings} warning(s)",
                    changed_list(&changed),
                    report.rendered,
                    report.pages,
                    report.written,
                    report.removed,
                );
            }
        }
        ServeEvent::Failed {
            diagnostics,
            message,
            changed,
            ..
        } => {
            crate::cli::print_diagnostics(&diagnostics, root);
            if let Some(m) = message {
                eprintln!("error: {m}");
            }
            let errors = crate::diagnostics::count_errors(&diagnostics);
            let what = if changed.is_empty() {
                String::new()
            } else {
                format!("{} changed: ", changed_list(&changed))
            };
            eprintln!(
                "sitrep: {what}build failed ({errors} error(s)); still serving the last good site"
            );
        }
        ServeEvent::Searched { search, .. } => println!(
            "sitrep: search index updated: re-indexed {} of {} shards ({} documents) in {} ms",
            search.reindexed,
            search.shards,
            search.documents,
            search.elapsed.as_millis()
        ),
        ServeEvent::WatchError(m) => eprintln!("warning: file watching: {m}"),
    }
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: could not open a browser ({opener}: {e}); open {url} yourself");
    }
}

pub fn run(opts: ServeOptions, open: bool) -> ExitCode {
    let root = opts.build.root.clone();
    let reporter: serve::Reporter = Arc::new(move |e| print(e, &root));
    match serve::start(opts, reporter) {
        Ok(running) => {
            if open {
                open_browser(running.url());
            }
            running.wait();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

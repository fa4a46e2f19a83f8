//! The command line: argument parsing, printing diagnostics and exit codes. Nothing here computes
//! what the library could.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildError, BuildOptions};
use crate::diagnostics::{self, Diagnostic};

#[derive(Parser, Debug)]
#[command(
    name = "sitrep",
    version,
    about = "Static-site generator for an SRE community of practice"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Fail when any action item is past its due date and not done.
    Overdue,
    /// Fail on any warning.
    Warnings,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the portal into the output folder (nothing is written when there is any error).
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: public/ in the portal folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from sitrep.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts and postmortems in draft or in review.
        #[arg(long)]
        drafts: bool,
    },
    /// Validate everything and write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[arg(long)]
        drafts: bool,
        /// Turn a class of findings into errors (exit 1): `overdue`, `warnings`.
        #[arg(long, value_enum)]
        deny: Vec<Deny>,
    },
    /// Build, serve the site on this machine, rebuild on every change and reload open pages.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: public/ in the portal folder); written exactly as `sitrep build` writes it.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Address to listen on. Anything but a loopback address makes the preview reachable
        /// from other hosts.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include drafts and postmortems in draft or in review.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new document of a kind from a template (never overwrites).
    New {
        /// team, service, slo, postmortem, session, assessment or page
        kind: String,
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub(crate) fn print_diagnostics(diags: &[Diagnostic], root: &std::path::Path) {
    let color = std::io::stderr().is_terminal();
    // One write: stderr is unbuffered, and a portal can have thousands of warnings.
    let _ = std::io::stderr()
        .lock()
        .write_all(diagnostics::to_human_all(diags, root, color).as_bytes());
}

fn summary_line(diags: &[Diagnostic]) -> String {
    let errors = diagnostics::count_errors(diags);
    let warnings = diags.len() - errors;
    format!("{errors} error(s), {warnings} warning(s)")
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let opts = BuildOptions {
                root: root.clone(),
                output,
                base_url,
                drafts,
                build_date: None,
            };
            match crate::build::build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics, &root);
                    let search = report.search.map_or(String::new(), |s| {
                        let kept = if s.reindexed < s.shards {
                            format!(", {} re-indexed", s.reindexed)
                        } else {
                            String::new()
                        };
                        format!(
                            " (search index: {} documents in {} shard{}{kept}, {} ms)",
                            s.documents,
                            s.shards,
                            if s.shards == 1 { "" } else { "s" },
                            s.elapsed.as_millis()
                        )
                    });
                    let what = if report.up_to_date {
                        "up to date: nothing changed since the last build of these"
                    } else {
                        "written"
                    };
                    println!(
                        "sitrep: {} files {what}, {} warning(s), in {} ms{search}",
                        report.files,
                        report.warnings(),
                        report.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => failure(e, &root, Format::Human, "build failed: nothing was written"),
            }
        }
        Command::Check {
            root,
            format,
            drafts,
            deny,
        } => {
            let opts = BuildOptions {
                root: root.clone(),
                drafts,
                ..Default::default()
            };
            match crate::build::check(&opts) {
                Ok(mut diags) => {
                    if deny.contains(&Deny::Warnings) {
                        for d in &mut diags {
                            d.severity = diagnostics::Severity::Error;
                        }
                    }
                    if deny.contains(&Deny::Overdue) {
                        for d in &mut diags {
                            if d.code == "overdue-action-item" {
                                d.severity = diagnostics::Severity::Error;
                            }
                        }
                    }
                    let failed = diagnostics::count_errors(&diags) > 0;
                    match format {
                        Format::Json => println!("{}", diagnostics::to_json(&diags)),
                        Format::Human => {
                            print_diagnostics(&diags, &root);
                            eprintln!("sitrep check: {}", summary_line(&diags));
                        }
                    }
                    if failed {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => failure(e, &root, format, "check failed"),
            }
        }
        Command::Serve {
            root,
            output,
            bind,
            port,
            open,
            drafts,
        } => crate::cli_serve::run(
            crate::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    output,
                    drafts,
                    ..Default::default()
                },
                bind,
                port,
                stop_on_ctrl_c: true,
                ..Default::default()
            },
            open,
        ),
        Command::New { kind, title, root } => {
            match crate::new::create(&root, &kind, &title, crate::build::default_build_date()) {
                Ok(path) => {
                    println!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(crate::new::NewError::Usage(msg)) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(2)
                }
                Err(crate::new::NewError::Exists(path)) => {
                    eprintln!(
                        "error: {} already exists; sitrep new never overwrites a file",
                        path.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn failure(e: BuildError, root: &std::path::Path, format: Format, headline: &str) -> ExitCode {
    match e {
        BuildError::Content(diags) => {
            match format {
                Format::Json => println!("{}", diagnostics::to_json(&diags)),
                Format::Human => {
                    print_diagnostics(&diags, root);
                    eprintln!("sitrep: {headline} ({})", summary_line(&diags));
                }
            }
            ExitCode::from(1)
        }
        BuildError::Environment(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

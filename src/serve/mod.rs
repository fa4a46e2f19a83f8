//! `sitrep serve`: build once, serve the output folder over HTTP, watch the sources, rebuild after
//! each burst of changes and tell every open page to reload (or show the error over the last good
//! site). The build is the same [`crate::build::build`] as `sitrep build`, so `public/` on disk is
//! what `sitrep build` writes; what serve mode adds to pages is injected into HTTP responses only.
//!
//! The library never prints: everything worth saying is a [`ServeEvent`] given to the caller's
//! reporter (the command line prints them; tests count them).

pub mod overlay;
pub mod reload;
pub mod server;
pub mod watcher;

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use notify_debouncer_full::DebounceEventResult;

use crate::build::{BuildError, BuildOptions};
use crate::diagnostics::{self, Diagnostic};
use crate::load::Changes;
use crate::rebuild::{RebuildReport, Rebuilder};
use crate::render::SearchReport;

/// Options of `sitrep serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// Quiet time that ends a burst of file events.
    pub debounce: Duration,
    /// Stop the server on Ctrl-C (the command line; tests stop it with [`Running::stop`]).
    pub stop_on_ctrl_c: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            build: BuildOptions::default(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            debounce: Duration::from_millis(20),
            stop_on_ctrl_c: false,
        }
    }
}

/// What happened, for the caller to print.
#[derive(Debug)]
pub enum ServeEvent {
    /// The server listens. `exposed` when bound to a non-loopback address.
    Listening { url: String, exposed: bool },
    /// A build succeeded (`rebuild` 0 is the first build) and is being served.
    Built {
        rebuild: u64,
        /// What it did: pages rendered, files written, time, warnings.
        report: RebuildReport,
        /// Sources that changed (relative to the root); empty for the first build.
        changed: Vec<PathBuf>,
    },
    /// The search index of a rebuild was brought up to date, after its pages.
    Searched { rebuild: u64, search: SearchReport },
    /// A build failed; the last good site stays served and pages show the error.
    Failed {
        rebuild: u64,
        /// Errors and warnings, sorted (empty for an environment problem).
        diagnostics: Vec<Diagnostic>,
        /// An environment problem (output not writable, ...), when that is what failed.
        message: Option<String>,
        changed: Vec<PathBuf>,
    },
    /// The file watcher reported a problem (events may have been lost).
    WatchError(String),
}

pub type Reporter = Arc<dyn Fn(ServeEvent) + Send + Sync>;

/// Why serving could not start.
#[derive(Debug)]
pub enum ServeError {
    /// Not a portal, output not writable, ...
    Build(String),
    /// Could not listen or watch.
    Io(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Build(m) | ServeError::Io(m) => f.write_str(m),
        }
    }
}

/// A running server: dropping it (or [`Running::stop`]) stops serving and watching.
pub struct Running {
    addr: SocketAddr,
    url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    watcher: Option<Arc<Mutex<watcher::Watcher>>>,
    rebuilder: Option<JoinHandle<()>>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the site's home page.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks until the server stops (Ctrl-C when `stop_on_ctrl_c`).
    pub fn wait(mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }

    pub fn stop(self) {}
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
        // Dropping the watcher closes the event channel, which ends the rebuild loop.
        drop(self.watcher.take());
        if let Some(rebuilder) = self.rebuilder.take() {
            let _ = rebuilder.join();
        }
    }
}

/// The text shown in the overlay for a failed build.
fn overlay_text(root: &Path, diagnostics: &[Diagnostic], message: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(m) = message {
        text.push_str(m);
        text.push('\n');
    }
    let mut renderer = diagnostics::HumanRenderer::new(root, false);
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        text.push_str(&renderer.render(d));
    }
    text
}

/// Builds what changed and publishes the outcome; `rebuild` numbers the builds.
fn build_and_publish(
    rebuilder: &mut Rebuilder,
    changes: &Changes,
    site: &server::Site,
    report: &Reporter,
    rebuild: u64,
    changed: Vec<PathBuf>,
) -> Result<(), String> {
    let opts = rebuilder.options().clone();
    // Pages first: open pages reload as soon as they are written; the search index follows.
    let outcome = rebuilder.rebuild_pages(changes).and_then(|r| {
        *site.base_path.write().unwrap_or_else(|p| p.into_inner()) = base_path(&opts);
        site.channel.built();
        report(ServeEvent::Built {
            rebuild,
            report: r,
            changed: changed.clone(),
        });
        rebuilder.update_search()
    });
    match outcome {
        Ok(Some(search)) => {
            report(ServeEvent::Searched { rebuild, search });
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) => {
            let (diagnostics, message) = match e {
                BuildError::Content(d) => (d, None),
                BuildError::Environment(m) => (Vec::new(), Some(m)),
            };
            site.channel
                .failed(overlay_text(&opts.root, &diagnostics, message.as_deref()));
            let env = message.clone();
            report(ServeEvent::Failed {
                rebuild,
                diagnostics,
                message,
                changed,
            });
            env.map_or(Ok(()), Err)
        }
    }
}

/// The site's base path from sitrep.yaml (or the override); `/` when the config does not load.
fn base_path(opts: &BuildOptions) -> String {
    let configured = crate::config::load(&opts.root)
        .ok()
        .map(|(c, _)| c.base_url)
        .unwrap_or_default();
    let base_url = opts.base_url.clone().unwrap_or(configured);
    crate::config::base_path_of(&base_url)
}

/// Builds, starts serving and watching, and returns at once. A first build with content errors
/// still serves (the previous output, if any) with the error overlay; a problem of the
/// environment (not a portal, output not writable, port taken) is an error.
pub fn start(opts: ServeOptions, report: Reporter) -> Result<Running, ServeError> {
    let build = opts.build.clone();
    let output = build
        .output
        .clone()
        .unwrap_or_else(|| build.root.join("public"));
    let site = Arc::new(server::Site {
        output,
        base_path: std::sync::RwLock::new(base_path(&build)),
        channel: reload::Channel::default(),
    });
    let mut rebuilder = Rebuilder::new(build.clone());
    build_and_publish(&mut rebuilder, &Changes::All, &site, &report, 0, Vec::new())
        .map_err(ServeError::Build)?;

    let listener = TcpListener::bind((opts.bind, opts.port)).map_err(|e| {
        ServeError::Io(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::Io(e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Io(e.to_string()))?;
    let url = format!(
        "http://{addr}{}",
        site.base_path.read().unwrap_or_else(|p| p.into_inner())
    );
    let (shutdown, stopped) = tokio::sync::oneshot::channel();
    let server = spawn_server(listener, site.clone(), stopped, opts.stop_on_ctrl_c)?;

    let root = build
        .root
        .canonicalize()
        .map_err(|e| ServeError::Io(format!("{}: {e}", build.root.display())))?;
    let (tx, rx) = mpsc::channel();
    let watcher = Arc::new(Mutex::new(
        watcher::start(&root, opts.debounce, tx).map_err(ServeError::Io)?,
    ));
    // The debouncer already waits for `debounce` of quiet per file; half of it more lets the
    // batches of a long burst (a git checkout, emitted a tick apart) join into one rebuild.
    let quiet = opts.debounce / 2;
    let loop_report = report.clone();
    let loop_watcher = Arc::downgrade(&watcher);
    let rebuilder = std::thread::Builder::new()
        .name("sitrep-rebuild".into())
        .spawn(move || {
            let mut rebuilds = Rebuilds {
                root: &root,
                rebuilder,
                site: &site,
                report: &loop_report,
                watcher: loop_watcher,
            };
            rebuilds.run(&rx, quiet);
        })
        .map_err(|e| ServeError::Io(e.to_string()))?;

    report(ServeEvent::Listening {
        url: url.clone(),
        exposed: !addr.ip().is_loopback(),
    });
    Ok(Running {
        addr,
        url,
        shutdown: Some(shutdown),
        server: Some(server),
        watcher: Some(watcher),
        rebuilder: Some(rebuilder),
    })
}

fn spawn_server(
    listener: TcpListener,
    site: Arc<server::Site>,
    stopped: tokio::sync::oneshot::Receiver<()>,
    ctrl_c: bool,
) -> Result<JoinHandle<()>, ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the server: {e}")))?;
    std::thread::Builder::new()
        .name("sitrep-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let app = server::router(site);
                let interrupted = async {
                    if ctrl_c {
                        let _ = tokio::signal::ctrl_c().await;
                    } else {
                        std::future::pending::<()>().await;
                    }
                };
                // Open event streams never end by themselves, so the server is dropped rather
                // than drained when asked to stop.
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stopped => {}
                    _ = interrupted => {}
                }
            });
            runtime.shutdown_timeout(Duration::from_secs(1));
        })
        .map_err(|e| ServeError::Io(e.to_string()))
}

/// The rebuild loop's view of the server.
struct Rebuilds<'a> {
    root: &'a Path,
    rebuilder: Rebuilder,
    site: &'a server::Site,
    report: &'a Reporter,
    // Weak: the loop ends when the owner drops the watcher (closing the event channel).
    watcher: Weak<Mutex<watcher::Watcher>>,
}

impl Rebuilds<'_> {
    /// Adds a batch's changed sources; returns false when the watcher lost events, so the
    /// next build must look at every file.
    fn take(&self, batch: DebounceEventResult, changed: &mut BTreeSet<PathBuf>) -> bool {
        match batch {
            Ok(events) => {
                changed.extend(watcher::changed_sources(self.root, &events));
                true
            }
            Err(errors) => {
                for e in errors {
                    (self.report)(ServeEvent::WatchError(e.to_string()));
                }
                false
            }
        }
    }

    /// Waits for a batch of changes, lets the burst settle (one more quiet period), then
    /// rebuilds once for everything that changed meanwhile.
    fn run(&mut self, rx: &Receiver<DebounceEventResult>, quiet: Duration) {
        let mut rebuild = 0;
        while let Ok(first) = rx.recv() {
            let mut changed = BTreeSet::new();
            let mut complete = self.take(first, &mut changed);
            if changed.is_empty() && complete {
                continue;
            }
            loop {
                match rx.recv_timeout(quiet) {
                    Ok(batch) => complete &= self.take(batch, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            rebuild += 1;
            // A source folder created since the start (a first static/ or themes/) is watched
            // from now on.
            if let Some(w) = self.watcher.upgrade() {
                let mut w = w.lock().unwrap_or_else(|p| p.into_inner());
                if let Err(e) = watcher::watch_new_folders(&mut w, self.root) {
                    (self.report)(ServeEvent::WatchError(e));
                }
            }
            let changed: Vec<PathBuf> = changed.into_iter().collect();
            let changes = if complete {
                Changes::Paths(changed.clone())
            } else {
                Changes::All
            };
            let _ = build_and_publish(
                &mut self.rebuilder,
                &changes,
                self.site,
                self.report,
                rebuild,
                changed,
            );
        }
    }
}

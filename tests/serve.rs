//! `sitrep serve` end to end: a real server on a free loopback port over a temporary portal,
//! observed over HTTP (raw requests through a plain TcpStream, so nothing normalises the paths)
//! and over the reload channel (server-sent events).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sitrep::BuildOptions;
use sitrep::serve::{self, Running, ServeEvent, ServeOptions};

/// Generous: the machine is shared and a debug build is slow.
const PATIENCE: Duration = Duration::from_secs(60);

fn options(root: &Path) -> ServeOptions {
    ServeOptions {
        build: BuildOptions {
            root: root.to_path_buf(),
            build_date: Some(jiff::civil::date(2026, 11, 26)),
            ..Default::default()
        },
        port: 0,
        ..Default::default()
    }
}

/// Builds (successful or failed) as they are reported, with their rebuild number.
struct Builds {
    rx: Receiver<(u64, bool)>,
    seen: Vec<(u64, bool)>,
}

impl Builds {
    /// Waits for the build numbered `n`; returns whether it succeeded.
    fn wait_for(&mut self, n: u64) -> bool {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(&(_, ok)) = self.seen.iter().find(|(r, _)| *r == n) {
                return ok;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(b) => self.seen.push(b),
                Err(_) => panic!("build {n} never came; saw {:?}", self.seen),
            }
        }
    }

    /// Every build reported within `quiet` of the last one.
    fn settle(&mut self, quiet: Duration) -> &[(u64, bool)] {
        while let Ok(b) = self.rx.recv_timeout(quiet) {
            self.seen.push(b);
        }
        &self.seen
    }
}

fn start(root: &Path) -> (Running, Builds) {
    start_with(options(root))
}

fn start_with(opts: ServeOptions) -> (Running, Builds) {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let reporter: serve::Reporter = Arc::new(move |e| {
        let b = match e {
            ServeEvent::Built { rebuild, .. } => (rebuild, true),
            ServeEvent::Failed { rebuild, .. } => (rebuild, false),
            _ => return,
        };
        let _ = tx.lock().unwrap().send(b);
    });
    let running = serve::start(opts, reporter).expect("serve starts");
    (
        running,
        Builds {
            rx,
            seen: Vec::new(),
        },
    )
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

/// Sends `target` verbatim in a request line and reads the whole answer.
fn raw_get(addr: SocketAddr, target: &str) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read reply");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// Polls until `ok` holds for the page at `target`, or panics with the last reply.
fn poll_page(addr: SocketAddr, target: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let r = raw_get(addr, target);
        if ok(&r) {
            return r;
        }
        if Instant::now() > deadline {
            panic!("{target} never matched; last: {} {}", r.status, r.body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `data:` payloads of the reload channel, as they arrive.
fn subscribe(addr: SocketAddr) -> Receiver<serde_json::Value> {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET /__sitrep/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ") {
                let Ok(v) = serde_json::from_str(data) else {
                    continue;
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Waits for a state of the reload channel that satisfies `ok`.
fn next_state(
    rx: &Receiver<serde_json::Value>,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = rx
            .recv_timeout(left)
            .expect("a state on the reload channel");
        if ok(&v) {
            return v;
        }
    }
}

#[test]
fn an_edit_is_rebuilt_and_pushed_and_the_output_is_what_build_writes() {
    let dir = common::portal(&[]);
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));
    let addr = running.addr();
    assert!(addr.ip().is_loopback());

    let page = raw_get(addr, "/pages/charter/");
    assert_eq!(page.status, 200);
    assert!(page.head.contains("content-type: text/html"));
    assert!(page.body.contains("Why we exist."));
    assert!(page.body.contains(serve::overlay::SCRIPT_TAG));
    let script = raw_get(addr, "/__sitrep/live.js");
    assert!(script.head.contains("javascript"));
    assert!(script.body.contains("EventSource"));

    let states = subscribe(addr);
    let first = next_state(&states, |_| true);
    assert_eq!(first["error"], serde_json::Value::Null);
    let generation = first["generation"].as_u64().unwrap();

    common::write(
        dir.path(),
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\nWhy we exist, edited.\n",
    );
    let state = next_state(&states, |v| v["generation"].as_u64() > Some(generation));
    assert_eq!(state["error"], serde_json::Value::Null);
    let page = raw_get(addr, "/pages/charter/");
    assert!(page.body.contains("Why we exist, edited."), "{}", page.body);
    assert!(builds.wait_for(1));
    drop(running);

    // On disk: exactly what `sitrep build` writes for the same tree, without the reload script.
    let served = common::snapshot(&dir.path().join("public"));
    let other = tempfile::tempdir().unwrap();
    sitrep::build(&BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(other.path().join("public")),
        build_date: Some(jiff::civil::date(2026, 11, 26)),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(served, common::snapshot(&other.path().join("public")));
    assert!(
        served
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("__sitrep"))
    );
}

#[test]
fn an_error_keeps_the_last_good_site_with_an_overlay_until_fixed() {
    let dir = common::portal(&[]);
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));
    let addr = running.addr();
    let states = subscribe(addr);
    next_state(&states, |_| true);

    common::write(
        dir.path(),
        "content/services/login.md",
        "---\ntitle: Login\nteam: [identity\n---\nLogs people in, broken.\n",
    );
    let failed = next_state(&states, |v| !v["error"].is_null());
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.contains("content/services/login.md:4:1"),
        "the overlay names file:line:column: {error}"
    );
    assert!(!builds.wait_for(1));
    let page = raw_get(addr, "/services/login/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Logs people in."), "last good page");
    assert!(page.body.contains("id=\"sitrep-error-overlay\""));
    assert!(page.body.contains("content/services/login.md:4:1"));
    // A page opened now gets the error at once.
    let late = subscribe(addr);
    let state = next_state(&late, |_| true);
    assert_eq!(state["error"], failed["error"]);

    common::write(
        dir.path(),
        "content/services/login.md",
        "---\ntitle: Login\nteam: identity\n---\nLogs people in, fixed.\n",
    );
    let fixed = next_state(&states, |v| v["error"].is_null());
    assert!(fixed["generation"].as_u64() > failed["generation"].as_u64());
    assert!(builds.wait_for(2));
    let page = raw_get(addr, "/services/login/");
    assert!(page.body.contains("Logs people in, fixed."));
    assert!(
        !page.body.contains("sitrep-error-overlay"),
        "fixing removes the overlay"
    );
}

#[test]
fn a_first_build_with_errors_still_serves_and_reports() {
    let dir = common::portal(&[(
        "content/pages/charter.md",
        "---\ntitle: [Charter\n---\nWhy.\n",
    )]);
    let (running, mut builds) = start(dir.path());
    assert!(!builds.wait_for(0));
    let states = subscribe(running.addr());
    let state = next_state(&states, |_| true);
    assert!(
        state["error"]
            .as_str()
            .unwrap()
            .contains("content/pages/charter.md:3:1")
    );
    common::write(
        dir.path(),
        "content/pages/charter.md",
        "---\ntitle: Charter\n---\nWhy.\n",
    );
    assert!(builds.wait_for(1));
    poll_page(running.addr(), "/pages/charter/", |r| r.status == 200);
}

#[test]
fn a_deleted_document_leaves_the_site_and_its_backlinks() {
    let dir = common::portal(&[]);
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));
    let addr = running.addr();
    assert!(
        raw_get(addr, "/services/login/")
            .body
            .contains("Login availability")
    );
    assert_eq!(raw_get(addr, "/slos/login-availability/").status, 200);

    std::fs::remove_file(dir.path().join("content/slos/login-availability.md")).unwrap();
    assert!(builds.wait_for(1));
    let gone = raw_get(addr, "/slos/login-availability/");
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("Page not found"), "the site's 404 page");
    assert!(
        !raw_get(addr, "/services/login/")
            .body
            .contains("Login availability")
    );
}

#[test]
fn an_editor_save_is_one_rebuild_and_a_burst_one_or_two() {
    let dir = common::portal(&[]);
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));

    // vim-style: swap file, temporary file, rename over the original, chmod.
    let pages = dir.path().join("content/pages");
    std::fs::write(pages.join(".charter.md.swp"), "swap").unwrap();
    std::fs::write(
        pages.join("charter.md.tmp"),
        "---\ntitle: Charter\n---\nSaved by an editor.\n",
    )
    .unwrap();
    std::fs::rename(pages.join("charter.md.tmp"), pages.join("charter.md")).unwrap();
    let perms = std::fs::metadata(pages.join("charter.md"))
        .unwrap()
        .permissions();
    std::fs::set_permissions(pages.join("charter.md"), perms).unwrap();
    std::fs::remove_file(pages.join(".charter.md.swp")).unwrap();
    assert!(builds.wait_for(1));
    assert_eq!(
        builds.settle(Duration::from_secs(2)).len(),
        2,
        "first build + one"
    );
    assert!(
        raw_get(running.addr(), "/pages/charter/")
            .body
            .contains("Saved by an editor.")
    );

    // A branch switch: many files at once.
    for i in 0..40 {
        common::write(
            dir.path(),
            &format!("content/pages/p{i:02}.md"),
            format!("---\ntitle: Page {i}\n---\nBody {i}.\n"),
        );
    }
    std::fs::remove_file(dir.path().join("content/pages/charter.md")).unwrap();
    assert!(builds.wait_for(2));
    let rebuilds = builds.settle(Duration::from_secs(2)).len() - 2;
    assert!(
        (1..=2).contains(&rebuilds),
        "{rebuilds} rebuilds for a burst"
    );
    poll_page(running.addr(), "/pages/p39/", |r| r.status == 200);
    assert_eq!(raw_get(running.addr(), "/pages/charter/").status, 404);
}

#[test]
fn only_the_output_folder_is_served() {
    let dir = common::portal(&[]);
    common::write(dir.path(), "secret.txt", "TOP-SECRET");
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));
    let addr = running.addr();
    let public = dir.path().join("public");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), public.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), public.join("up")).unwrap();
    }
    let abs = dir.path().join("secret.txt").display().to_string();
    for target in [
        "/../secret.txt".to_string(),
        "/pages/../../secret.txt".into(),
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E%2Fsecret.txt".into(),
        "/pages/%2e%2e/%2e%2e/secret.txt".into(),
        "/..%2fsecret.txt".into(),
        "/..\\secret.txt".into(),
        "/..%5csecret.txt".into(),
        "/%5c..%5csecret.txt".into(),
        format!("/{abs}"),
        format!("/{}", abs.replace('/', "%2f")),
        format!("/%2f{}", abs.trim_start_matches('/')),
        "/link.txt".into(),
        "/up/secret.txt".into(),
        "/up/".into(),
        "http://localhost/../secret.txt".into(),
        "../secret.txt".into(),
        "/%c0%ae%c0%ae/secret.txt".into(),
    ] {
        let r = raw_get(addr, &target);
        assert!(!r.body.contains("TOP-SECRET"), "{target} leaked the file");
        assert!(
            matches!(r.status, 400 | 404),
            "{target}: status {}",
            r.status
        );
    }

    let css = raw_get(addr, "/style.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("content-type: text/css"));
    assert!(!css.body.contains("__sitrep"), "only HTML gets the script");
    let folder = raw_get(addr, "/teams");
    assert_eq!(folder.status, 308);
    assert!(folder.head.contains("location: /teams/"));
    let index = raw_get(addr, "/teams/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("Identity"));
    let missing = raw_get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    assert!(missing.body.contains(serve::overlay::SCRIPT_TAG));
}

#[test]
fn a_site_with_a_base_path_is_served_under_it() {
    let dir = common::portal(&[(
        "sitrep.yaml",
        "title: Test portal\nbase_url: https://sre.example.test/docs/\n",
    )]);
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));
    assert!(running.url().ends_with("/docs/"));
    let root = raw_get(running.addr(), "/");
    assert_eq!(root.status, 307);
    assert!(root.head.contains("location: /docs/"));
    assert_eq!(raw_get(running.addr(), "/docs/teams/identity/").status, 200);
    assert_eq!(raw_get(running.addr(), "/teams/identity/").status, 404);
}

#[test]
fn binding_beyond_loopback_warns() {
    let dir = common::portal(&[]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["serve", "--bind", "0.0.0.0", "--port", "0", "--root"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut warned = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.contains("reachable from other hosts") {
            warned = true;
            break;
        }
    }
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let mut second = String::new();
    stdout.read_line(&mut second).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(warned);
    assert!(first.starts_with("sitrep: built "), "{first}");
    assert!(second.contains("serving http://0.0.0.0:"), "{second}");
}

#[test]
fn a_source_folder_created_while_serving_is_watched_and_config_changes_apply() {
    let dir = common::portal(&[]);
    let (running, mut builds) = start(dir.path());
    assert!(builds.wait_for(0));
    let addr = running.addr();

    common::write(dir.path(), "static/hello.txt", "first");
    assert!(builds.wait_for(1));
    poll_page(addr, "/hello.txt", |r| r.body == "first");
    common::write(dir.path(), "static/hello.txt", "second");
    assert!(builds.wait_for(2));
    poll_page(addr, "/hello.txt", |r| r.body == "second");

    common::write(
        dir.path(),
        "sitrep.yaml",
        "title: Test portal\nbase_url: https://sre.example.test/docs/\n",
    );
    assert!(builds.wait_for(3));
    assert_eq!(raw_get(addr, "/docs/teams/identity/").status, 200);
    assert_eq!(raw_get(addr, "/hello.txt").status, 404);
}

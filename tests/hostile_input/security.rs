//! Security: the pages satisfy the Content-Security-Policy documented in the README, and front
//! matter cannot inject HTML or script into any output file.

use super::*;

/// Inline `style` attributes the default theme writes, each setting one custom property from a
/// number or a validated CSS colour; the README's CSP allows them with `style-src-attr`.
const THEME_STYLE_ATTRIBUTES: &[&str] = &["--sev:", "--s:", "--v:", "--bar-color:", "--w:"];

/// Every `.html` file below `root` with its parsed document.
fn html_pages(root: &Path) -> Vec<(PathBuf, scraper::Html)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), scraper::Html::parse_document(&text))
        })
        .collect()
}

/// What a Content-Security-Policy without `'unsafe-inline'` scripts would block on one page.
pub(super) fn csp_violations(page: &scraper::Html) -> Vec<String> {
    let mut found = Vec::new();
    let all = scraper::Selector::parse("*").unwrap();
    for el in page.select(&all) {
        let v = el.value();
        if v.name() == "script" && v.attr("src").is_none() && v.attr("nonce").is_none() {
            found.push(format!("inline <script>: {}", el.html()));
        }
        for (name, value) in v.attrs() {
            if name.starts_with("on") {
                found.push(format!("event handler {name}=\"{value}\""));
            }
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && (squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:"))
            {
                found.push(format!("script URL {name}=\"{value}\""));
            }
            if name == "style"
                && !THEME_STYLE_ATTRIBUTES
                    .iter()
                    .any(|p| value.trim_start().starts_with(p) && !value.contains(';'))
            {
                found.push(format!(
                    "style attribute outside the documented set: {value}"
                ));
            }
        }
    }
    found
}

#[test]
fn every_page_of_the_sample_portal_satisfies_the_documented_csp() {
    let out = tempfile::tempdir().unwrap();
    sitrep::build(&BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(out.path().join("public")),
        build_date: Some(date(2026, 10, 1)),
        ..Default::default()
    })
    .expect("the sample portal builds");
    let pages = html_pages(&out.path().join("public"));
    assert!(pages.len() > 50, "only {} pages", pages.len());
    let mut problems = Vec::new();
    for (path, page) in &pages {
        for v in csp_violations(page) {
            problems.push(format!("{}: {v}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const SCRIPT: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(2)>";

#[test]
fn front_matter_cannot_inject_html_into_any_output_file() {
    let evil = format!("{SCRIPT} {BREAKOUT}");
    // YAML single-quoted: only ' needs doubling, and the payloads have none.
    let q = |s: &str| format!("'{s}'");
    let dir = portal(&[
        (
            "sitrep.yaml",
            &format!(
                "title: {}\nbase_url: https://sre.example.test/\n",
                q(&format!("Portal {evil}"))
            ),
        ),
        (
            "content/teams/identity.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\nmembers: [{}]\nchannel: {}\ntags: [{}]\n---\nThe team.\n",
                q(&format!("Identity {evil}")),
                q(&evil),
                q(&evil),
                q("javascript:alert(3)"),
                q(&evil)
            ),
        ),
        (
            "content/services/login.md",
            &format!(
                "---\ntitle: {}\nteam: identity\nrunbook: {}\ntags: [{}]\n---\nx\n",
                q(&format!("Login {evil}")),
                q("javascript:alert(4)"),
                q(&evil)
            ),
        ),
        (
            "content/slos/login-availability.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\nservice: login\nobjective: 99.9\nwindow: 28d\n---\nx\n",
                q(&format!("Login SLO {evil}")),
                q(&evil)
            ),
        ),
        (
            "content/sessions/2026-05-01-evil.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\ndate: 2026-05-01\nspeakers: [{}]\nslides: {}\nrecording: {}\nlocation: {}\ntags: [{}]\n---\nx\n",
                q(&format!("Session {evil}")),
                q(&evil),
                q(&evil),
                q("javascript:alert(5)"),
                q(" JaVaScRiPt:alert(6)"),
                q(&evil),
                q(&evil)
            ),
        ),
        (
            "content/pages/charter.md",
            &format!(
                "---\ntitle: {}\nsummary: {}\ntags: [{}]\n---\nWhy we exist.\n",
                q(&format!("Charter {evil}")),
                q(&evil),
                q(&evil)
            ),
        ),
    ]);
    let report = sitrep::build(&opts(&dir)).expect("hostile values are still valid text");
    assert_eq!(
        sitrep::diagnostics::count_errors(&report.diagnostics),
        0,
        "{:#?}",
        report.diagnostics
    );
    let out = public(&dir);
    let mut problems = Vec::new();
    let mut shown_as_text = 0;
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // binary static files carry no front matter
        };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "html" => {
                let page = scraper::Html::parse_document(&text);
                for v in csp_violations(&page) {
                    problems.push(format!("{}: {v}", path.display()));
                }
                let img = scraper::Selector::parse("img[onerror], img[src=x]").unwrap();
                if page.select(&img).next().is_some() {
                    problems.push(format!("{}: an injected <img>", path.display()));
                }
                // The payload is shown to readers as the text the author wrote.
                if page
                    .root_element()
                    .text()
                    .collect::<String>()
                    .contains(SCRIPT)
                {
                    shown_as_text += 1;
                }
            }
            // JSON is data: it must parse, and the payload may only live inside strings, which
            // must not close an HTML <script> element should a page ever inline the file.
            "json" => {
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    problems.push(format!("{}: not valid JSON", path.display()));
                }
                if text.contains("</script") {
                    problems.push(format!("{}: `</script` not escaped", path.display()));
                }
            }
            "css" | "js" => {
                if text.contains("alert(") {
                    problems.push(format!("{}: payload in code", path.display()));
                }
            }
            // Feeds (XML), the calendar and anything added later: markup must arrive escaped.
            _ => {
                if text.contains("<script") || text.contains("<img") {
                    problems.push(format!("{}: raw markup from front matter", path.display()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        shown_as_text >= 5,
        "the payload should be visible as text on the pages that show these values ({shown_as_text})"
    );
}

#[test]
fn the_csp_checker_itself_catches_each_violation() {
    let page = scraper::Html::parse_document(
        "<p style=\"--v: 3\">ok</p><script>x()</script><script src=\"/a.js\"></script>\
         <a href=\" JaVa\tScript:x()\">a</a><img src=x onerror=\"y()\">\
         <p style=\"--v: 3; background: red\">no</p><p style=\"color: red\">no</p>",
    );
    let found = csp_violations(&page);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(found[0].starts_with("inline <script>"));
    assert!(found[1].starts_with("script URL"));
    assert!(found[2].starts_with("event handler onerror"));
}

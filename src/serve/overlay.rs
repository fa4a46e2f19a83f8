//! What serve mode adds to HTML pages: one script tag that opens the reload channel and shows the
//! error overlay. Only the server injects it, into responses: files on disk are never touched, so
//! `public/` stays identical to what `sitrep build` writes.

/// Where the server answers its own requests; chosen so it cannot collide with a page of the site
/// (sitrep never writes a folder whose name starts with `__`).
pub const PREFIX: &str = "/__sitrep/";

/// The script tag added to every HTML page.
pub const SCRIPT_TAG: &str = "<script src=\"/__sitrep/live.js\" defer></script>";

/// The client: listens to the server-sent events at `/__sitrep/events`. The first state it gets
/// is the site it was loaded from; a later state with another generation and no error reloads the
/// page; a state with an error shows the overlay over the last good page (built with textContent,
/// so a message can never inject markup).
pub const LIVE_JS: &str = r#"(function () {
  "use strict";
  var seen = null;
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "sitrep-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "sitrep-error-title");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace";
    var h = document.createElement("h2");
    h.id = "sitrep-error-title";
    h.textContent = "sitrep: the last change does not build; showing the last good site";
    h.style.cssText = "color:#ff8a80;font:bold 1.2rem/1.4 system-ui,sans-serif;margin:0 0 1rem";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0 0 1rem";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide until the next build";
    close.onclick = hide;
    overlay.append(h, pre, close);
    document.body.append(overlay);
  }
  var events = new EventSource("/__sitrep/events");
  events.addEventListener("state", function (e) {
    var state = JSON.parse(e.data);
    if (seen === null) { seen = state.generation; }
    if (state.error) { show(state.error); return; }
    if (state.generation !== seen) { location.reload(); return; }
    hide();
  });
})();
"#;

/// Adds the script before the last `</body>` (case-insensitive), or at the end when there is none.
pub fn inject(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let at = lower.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + SCRIPT_TAG.len());
    out.push_str(&html[..at]);
    out.push_str(SCRIPT_TAG);
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        assert_eq!(
            inject("<html><body><p>x</p></BODY></html>"),
            format!("<html><body><p>x</p>{SCRIPT_TAG}</BODY></html>")
        );
        assert_eq!(inject("<p>frag</p>"), format!("<p>frag</p>{SCRIPT_TAG}"));
        // A `</body>` inside the text before the real one does not capture the script.
        let html = "<body><code>&lt;/body&gt;</code></body>";
        assert!(inject(html).ends_with(&format!("{SCRIPT_TAG}</body>")));
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        let html = "<body>Störung — 障害</body>";
        assert_eq!(
            inject(html),
            format!("<body>Störung — 障害{SCRIPT_TAG}</body>")
        );
    }
}

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
  var OVERLAY_STYLE = "@OVERLAY_STYLE@", TITLE_STYLE = "@TITLE_STYLE@",
    PRE_STYLE = "@PRE_STYLE@", TITLE = "@TITLE@";
  var seen = null;
  var overlay = null;
  function hide() {
    overlay = overlay || document.getElementById("sitrep-error-overlay");
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "sitrep-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "sitrep-error-title");
    overlay.style.cssText = OVERLAY_STYLE;
    var h = document.createElement("h2");
    h.id = "sitrep-error-title";
    h.textContent = TITLE;
    h.style.cssText = TITLE_STYLE;
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = PRE_STYLE;
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

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:#141414;color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace";
const TITLE_STYLE: &str = "color:#ff8a80;font:bold 1.2rem/1.4 system-ui,sans-serif;margin:0 0 1rem";
const PRE_STYLE: &str = "white-space:pre-wrap;margin:0 0 1rem;padding:1rem;border:1px solid #555;\
background:#1e1e1e;color:#fff;font:inherit";
const TITLE: &str = "sitrep: the last change does not build; showing the last good site";

/// The client script with the overlay's look filled in (shared with [`overlay_html`]).
pub fn live_js() -> String {
    LIVE_JS
        .replace("@OVERLAY_STYLE@", OVERLAY_STYLE)
        .replace("@TITLE_STYLE@", TITLE_STYLE)
        .replace("@PRE_STYLE@", PRE_STYLE)
        .replace("@TITLE@", TITLE)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The overlay as markup, for pages served while the last build failed: it shows at once, even
/// before the script connects (or without JavaScript).
pub fn overlay_html(error: &str) -> String {
    format!(
        "<div id=\"sitrep-error-overlay\" role=\"alertdialog\" aria-labelledby=\"sitrep-error-title\" \
         style=\"{OVERLAY_STYLE}\"><h2 id=\"sitrep-error-title\" style=\"{TITLE_STYLE}\">{TITLE}</h2>\
         <pre style=\"{PRE_STYLE}\">{}</pre><button type=\"button\" \
         onclick=\"this.parentNode.remove()\">Hide until the next build</button></div>",
        escape(error)
    )
}

/// Adds the script (and the overlay when the last build failed) before the last `</body>`
/// (case-insensitive), or at the end when there is none.
pub fn inject(html: &str, error: Option<&str>) -> String {
    let lower = html.to_ascii_lowercase();
    let at = lower.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + SCRIPT_TAG.len());
    out.push_str(&html[..at]);
    if let Some(e) = error {
        out.push_str(&overlay_html(e));
    }
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
            inject("<html><body><p>x</p></BODY></html>", None),
            format!("<html><body><p>x</p>{SCRIPT_TAG}</BODY></html>")
        );
        assert_eq!(
            inject("<p>frag</p>", None),
            format!("<p>frag</p>{SCRIPT_TAG}")
        );
        // A `</body>` inside the text before the real one does not capture the script.
        let html = "<body><code>&lt;/body&gt;</code></body>";
        assert!(inject(html, None).ends_with(&format!("{SCRIPT_TAG}</body>")));
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        let html = "<body>Störung — 障害</body>";
        assert_eq!(
            inject(html, None),
            format!("<body>Störung — 障害{SCRIPT_TAG}</body>")
        );
    }

    #[test]
    fn the_overlay_escapes_the_error_and_the_script_has_no_placeholder_left() {
        let page = inject(
            "<body></body>",
            Some("x.md:1:2 <script>alert(1)</script> & \"q\""),
        );
        assert!(page.contains("id=\"sitrep-error-overlay\""));
        assert!(
            page.contains("x.md:1:2 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;")
        );
        assert!(!page.contains("<script>alert"));
        assert!(!live_js().contains('@'));
    }
}

//! The parts of every page that do not depend on the page (the footer), or depend on it only
//! through which navigation entry is current (the navigation). The theme writes them as
//! `partials/footer.html` and `partials/nav.html`; they are rendered once per build (the
//! navigation once per current entry, on first use) and every page gets them as text, in
//! `chrome.footer` and `chrome.nav`.
//!
//! Why: Tera looks up every `{{ item.url }}` through the context and escapes it again, on every
//! page. The default theme's navigation and footer loops cost about 17 microseconds a page, a
//! third of rendering a guide page of the full benchmark portal (10,000 documents: 0.18 s of
//! CPU), for the same few hundred bytes each time.
//!
//! A partial sees `site` and, for the navigation, `page_url` (the URL of the entry that is the
//! page itself, else nothing) and `section_url` (the entry of the kind whose document the page
//! is, else nothing), which is all a navigation can depend on and still be rendered once per
//! current entry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::render_value as render;
use super::theme::Theme;
use crate::diagnostics::Diagnostic;
use crate::index::SiteIndex;

/// Templates under this folder are partials: a change to one shows on every page.
pub const PARTIALS: &str = "partials/";
const NAV: &str = "partials/nav.html";
const FOOTER: &str = "partials/footer.html";

/// Which navigation entries are current: the page's own, and its kind's (positions in
/// `site.nav`).
type Current = (Option<usize>, Option<usize>);

pub struct Chrome<'a> {
    site: &'a Value,
    footer: String,
    /// The navigation's URLs, in order.
    urls: Vec<String>,
    navs: Mutex<HashMap<Current, Arc<str>>>,
}

impl<'a> Chrome<'a> {
    /// Renders the footer and the navigation with no current entry: a mistake in either shows
    /// here, once, rather than on every page.
    pub fn new(
        index: &SiteIndex,
        theme: &Theme,
        site: &'a Value,
    ) -> Result<Chrome<'a>, Diagnostic> {
        let urls = site["nav"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["url"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let chrome = Chrome {
            footer: render(index, theme, FOOTER, json!({ "site": site }))?,
            site,
            urls,
            navs: Mutex::new(HashMap::new()),
        };
        chrome.nav(index, theme, (None, None))?;
        Ok(chrome)
    }

    /// The `chrome` of a page, from its context (as [`super::pages::context`] makes it): its
    /// `page_url` and, on a document's page, `doc.kind_url`.
    pub fn for_page(
        &self,
        index: &SiteIndex,
        theme: &Theme,
        ctx: &Value,
    ) -> Result<Value, Diagnostic> {
        let position = |url: Option<&str>| url.and_then(|u| self.urls.iter().position(|n| n == u));
        let current = (
            position(ctx["page_url"].as_str()),
            position(ctx["doc"]["kind_url"].as_str()),
        );
        let nav = self.nav(index, theme, current)?;
        Ok(json!({ "nav": &*nav, "footer": self.footer }))
    }

    fn nav(
        &self,
        index: &SiteIndex,
        theme: &Theme,
        current: Current,
    ) -> Result<Arc<str>, Diagnostic> {
        let cached = self.navs.lock().map(|navs| navs.get(&current).cloned());
        if let Ok(Some(nav)) = cached {
            return Ok(nav);
        }
        let url = |at: Option<usize>| at.map(|i| self.urls[i].as_str());
        let nav: Arc<str> = render(
            index,
            theme,
            NAV,
            json!({
                "site": self.site,
                "page_url": url(current.0),
                "section_url": url(current.1),
            }),
        )?
        .into();
        if let Ok(mut navs) = self.navs.lock() {
            navs.insert(current, nav.clone());
        }
        Ok(nav)
    }
}

//! Markdown bodies to HTML, once per document: `@kind/id` and relative `.md` links are rewritten to
//! site URLs and recorded (with their position) for the index to check, raw HTML is escaped unless
//! the portal allows it, and unsafe URL schemes are neutralised.

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

pub mod timeline;

use crate::diagnostics::{Pos, PosCursor};
use crate::model::{DocKey, Kind};
use crate::url;

pub struct MarkdownOptions<'a> {
    pub allow_raw_html: bool,
    /// The site's base path (`/` or `/sre/`), prefixed to every rewritten link.
    pub base_path: &'a str,
}

/// A link in a body that points at another document.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyLink {
    pub target: DocKey,
    /// Position in the body text (1-based line within the body).
    pub pos: Pos,
}

/// A link that could not be understood (`@nokind/x`), with its position in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLink {
    pub pos: Pos,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct RenderedMarkdown {
    pub html: String,
    pub text: String,
    pub links: Vec<BodyLink>,
    pub bad_links: Vec<BadLink>,
}

/// Renders `body`. `source_dir` is the folder of the document relative to `content/`
/// (`postmortems`), used to resolve relative `.md` links.
pub fn render(body: &str, source_dir: &str, opts: &MarkdownOptions) -> RenderedMarkdown {
    // Sized from the body up front (HTML runs about 1.3x the markdown, the text a little less,
    // an event every dozen bytes or so): grown a doubling at a time, these buffers were copied
    // and page-faulted for a fifth of the markdown's cost.
    let mut out = RenderedMarkdown {
        html: String::with_capacity(body.len() + body.len() / 2),
        text: String::with_capacity(body.len()),
        ..RenderedMarkdown::default()
    };
    let parser_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events = Vec::with_capacity(body.len() / 12);
    let mut heading: Option<(usize, HeadingLevel)> = None;
    let mut heading_text = String::new();
    // Headings in order: an explicit `{#id}` (None) or the text an id is made from.
    let mut headings: Vec<(usize, Option<String>)> = Vec::new();
    let mut positions = PosCursor::new(body);
    // A code block being collected: its language and text, highlighted when it ends.
    let mut code: Option<(String, String)> = None;

    for (event, range) in Parser::new_ext(body, parser_options).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, text)) = &mut code {
                    text.push_str(&t);
                }
                out.text.push_str(&t);
                out.text.push(' ');
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = code.take().unwrap_or_default();
                Event::Html(crate::highlight::code_block(&text, &lang).into())
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_url(
                    &dest_url,
                    source_dir,
                    opts,
                    &mut positions,
                    range.start,
                    &mut out,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: url::neutralize(&dest_url).into(),
                title,
                id,
            }),
            Event::Html(h) | Event::InlineHtml(h) if !opts.allow_raw_html => Event::Text(h),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // `# Title {key=value}` writes any attribute as given, `onclick` included: raw
                // HTML by another name, so only kept where raw HTML is. Ids and classes are safe.
                let attrs = if opts.allow_raw_html {
                    attrs
                } else {
                    Vec::new()
                };
                if id.is_none() {
                    heading = Some((events.len(), level));
                    heading_text.clear();
                } else {
                    headings.push((events.len(), None));
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _)) = heading.take() {
                    headings.push((start, Some(heading_text.clone())));
                }
                Event::End(TagEnd::Heading(level))
            }
            other => other,
        };
        if let Event::Text(t) | Event::Code(t) = &event {
            if heading.is_some() {
                heading_text.push_str(t);
            }
            out.text.push_str(t);
            out.text.push(' ');
        }
        if matches!(event, Event::SoftBreak | Event::HardBreak) {
            out.text.push(' ');
        }
        events.push(event);
    }
    heading_ids(&mut events, &headings);
    html::push_html(
        &mut out.html,
        scrolling_tables(timeline::mark(events)).into_iter(),
    );
    out
}

/// Gives every heading an id no other heading of the body has: explicit `{#id}`s first (a
/// repeated one gets a suffix), then ids made from the text, around them, so an id written
/// further down is never taken by a heading above it.
fn heading_ids(events: &mut [Event<'_>], headings: &[(usize, Option<String>)]) {
    let mut slugs = Slugs::default();
    for (start, text) in headings {
        if text.is_none()
            && let Event::Start(Tag::Heading { id: Some(id), .. }) = &mut events[*start]
        {
            let unique = slugs.reserve(id);
            if unique != id.as_ref() {
                *id = CowStr::from(unique);
            }
        }
    }
    for (start, text) in headings {
        if let (Some(text), Event::Start(Tag::Heading { id, .. })) = (text, &mut events[*start]) {
            *id = Some(CowStr::from(slugs.unique(text)));
        }
    }
}

/// Wraps each table in a box that scrolls sideways when the table is wider than the page (a
/// phone), made a tab stop so that keyboard users can scroll it too (WCAG 2.1.1). A body without
/// tables is passed on as it is (an iterator adapter over every event cost 2% of a build).
fn scrolling_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let tables = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::Table(_))))
        .count();
    if tables == 0 {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 2 * tables);
    for event in events {
        match &event {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html("<div class=\"scroll\" tabindex=\"0\">".into()));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html("</div>\n".into()));
            }
            _ => out.push(event),
        }
    }
    out
}

/// The heading ids given so far in one body, and per slug the next suffix to try: a body with
/// thousands of headings of the same text takes as many steps, where scanning every earlier id
/// for every suffix took minutes for 8,000 of them.
#[derive(Default)]
struct Slugs {
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl Slugs {
    /// `text` as an id not given before in this body: `root-causes`, then `root-causes-1`, ...
    fn unique(&mut self, text: &str) -> String {
        let base = url::slugify(text);
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        self.free(base)
    }

    /// An author's own id, as written unless an earlier one took it.
    fn reserve(&mut self, id: &str) -> String {
        self.free(id.to_string())
    }

    fn free(&mut self, base: String) -> String {
        // Suffixes below `next` were given or found taken already, and ids are never released.
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        let mut slug = if n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.used.contains(&slug) {
            n += 1;
            slug = format!("{base}-{n}");
        }
        self.next.insert(base, n + 1);
        self.used.insert(slug.clone());
        slug
    }
}

/// Turns an author's link destination into the URL the site uses, recording document links.
fn rewrite_url(
    dest: &str,
    source_dir: &str,
    opts: &MarkdownOptions,
    positions: &mut PosCursor,
    offset: usize,
    out: &mut RenderedMarkdown,
) -> String {
    let mut pos = || positions.at(offset);
    if let Some(rest) = dest.strip_prefix('@') {
        let (path, anchor) = split_anchor(rest);
        return match DocKey::parse(path) {
            Some(target) => {
                let href = url::doc_url(opts.base_path, &target) + anchor;
                out.links.push(BodyLink { target, pos: pos() });
                href
            }
            None => {
                out.bad_links.push(BadLink {
                    pos: pos(),
                    message: format!(
                        "link `@{rest}` is not of the form `@kind/id` (kinds: {})",
                        Kind::ALL.map(|k| k.dir()).join(", ")
                    ),
                });
                "#".to_string()
            }
        };
    }
    let (path, anchor) = split_anchor(dest);
    if is_relative(path) && path.ends_with(".md") {
        if let Some(target) = resolve_relative(source_dir, path) {
            let href = url::doc_url(opts.base_path, &target) + anchor;
            out.links.push(BodyLink { target, pos: pos() });
            return href;
        }
        out.bad_links.push(BadLink {
            pos: pos(),
            message: format!(
                "relative link `{dest}` does not point into a kind folder of content/"
            ),
        });
        return "#".to_string();
    }
    url::neutralize(dest)
}

fn split_anchor(s: &str) -> (&str, &str) {
    match s.find('#') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

fn is_relative(path: &str) -> bool {
    !path.is_empty() && !path.starts_with('/') && !path.contains("://") && !path.contains(':')
}

/// `../services/login.md` from `postmortems` -> `services/login`.
fn resolve_relative(source_dir: &str, path: &str) -> Option<DocKey> {
    let mut parts: Vec<&str> = source_dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let without_ext = joined.strip_suffix(".md")?;
    DocKey::parse(without_ext).filter(|k| k.kind.dir() == parts[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> RenderedMarkdown {
        render(
            body,
            "postmortems",
            &MarkdownOptions {
                allow_raw_html: false,
                base_path: "/sre/",
            },
        )
    }

    #[test]
    fn at_links_become_site_urls_and_are_recorded() {
        let r = md("See\n[the outage](@postmortems/2025-03-db#timeline) now.");
        assert!(
            r.html
                .contains(r#"href="/sre/postmortems/2025-03-db/#timeline""#),
            "{}",
            r.html
        );
        assert_eq!(
            r.links[0].target,
            DocKey::new(Kind::Postmortem, "2025-03-db")
        );
        assert_eq!(r.links[0].pos, Pos::new(2, 1));
    }

    #[test]
    fn relative_md_links_resolve_against_the_document_folder() {
        let r = md("[login](../services/login.md)");
        assert!(
            r.html.contains(r#"href="/sre/services/login/""#),
            "{}",
            r.html
        );
        assert_eq!(r.links[0].target, DocKey::new(Kind::Service, "login"));
    }

    #[test]
    fn malformed_at_links_are_reported() {
        let r = md("x [a](@nothing)");
        assert_eq!(r.bad_links.len(), 1);
        assert_eq!(r.bad_links[0].pos, Pos::new(1, 3));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let r = md("<script>alert(1)</script>\n\nhi <b>x</b>");
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("&lt;script&gt;"));
        let allowed = render(
            "<b>x</b>",
            "pages",
            &MarkdownOptions {
                allow_raw_html: true,
                base_path: "/",
            },
        );
        assert!(allowed.html.contains("<b>x</b>"));
    }

    #[test]
    fn thousands_of_identical_headings_get_distinct_ids_in_linear_time() {
        let r = md(&"# a\n".repeat(10_000));
        assert!(r.html.contains(r#"<h1 id="a">"#));
        assert!(r.html.contains(r#"<h1 id="a-9999">"#));
        // A heading whose text is a suffixed id takes it first; the others go around it.
        let r = md("# a-1\n# a\n# a\n# a\n");
        let ids: Vec<&str> = r
            .html
            .split("id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(ids, ["a-1", "a", "a-2", "a-3"], "{}", r.html);
    }

    #[test]
    fn heading_attributes_are_raw_html_and_escaped_with_it() {
        let body = "## Budget {#budget .wide onclick=alert(1) data-x=y}\n";
        let r = md(body);
        assert!(
            r.html
                .contains(r#"<h2 id="budget" class="wide">Budget</h2>"#),
            "{}",
            r.html
        );
        let allowed = render(
            body,
            "pages",
            &MarkdownOptions {
                allow_raw_html: true,
                base_path: "/",
            },
        );
        assert!(
            allowed.html.contains(r#"onclick="alert(1)""#),
            "{}",
            allowed.html
        );
    }

    #[test]
    fn javascript_links_are_neutralised() {
        let r = md("[x](javascript:alert(1)) [y](JaVa\tScript:alert(1)) [z](https://ok.example/)");
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(r.html.contains("https://ok.example/"));
    }

    #[test]
    fn timeline_lists_get_time_elements() {
        let r = md(
            "Intro:\n\n- **16:10** — receipts slow <down>.\n- 16:42 support reports\n- 19 Nov 07:05 — deploy\n\nAfter.\n",
        );
        assert!(r.html.contains("<ol class=\"timeline\">"), "{}", r.html);
        assert_eq!(r.html.matches("<li class=\"timeline-entry\">").count(), 3);
        assert!(
            r.html
                .contains("<strong><time datetime=\"16:10\">16:10</time></strong> — receipts slow &lt;down&gt;."),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<time datetime=\"16:42\">16:42</time> support reports")
        );
        assert!(
            r.html
                .contains("<time datetime=\"07:05\">19 Nov 07:05</time> — deploy")
        );
        assert!(r.html.contains("</ol>\n<p>After.</p>"), "{}", r.html);
        assert!(!r.html.contains("<ul>"));
    }

    #[test]
    fn ordinary_lists_and_mixed_lists_stay_lists() {
        let r = md("- 16:10 one\n- no time here\n");
        assert!(
            r.html.contains("<ul>") && !r.html.contains("timeline"),
            "{}",
            r.html
        );
        let r = md("- 16:10 only one item\n");
        assert!(!r.html.contains("timeline"));
        // A nested list of times inside an ordinary list still becomes a timeline.
        let r = md("- Day one\n  - 09:00 a\n  - 10:00 b\n- Day two\n");
        assert!(
            r.html.contains("<ul>") && r.html.contains("<ol class=\"timeline\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn explicit_heading_ids_are_kept_and_no_id_repeats() {
        let r = md("# Intro\n\n## Notes {#intro}\n\n## More {#intro}\n\n## Intro\n");
        let ids: Vec<&str> = r
            .html
            .match_indices("id=\"")
            .map(|(i, _)| {
                let rest = &r.html[i + 4..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        // The author's id stays where it was written; the headings above and below go around.
        assert_eq!(
            ids,
            ["intro-2", "intro", "intro-1", "intro-3"],
            "{}",
            r.html
        );
    }

    #[test]
    fn tables_scroll_in_a_box_keyboard_users_can_reach() {
        let r = md("| Signal | Threshold |\n|---|---|\n| latency | 300 ms |\n");
        assert!(
            r.html
                .starts_with("<div class=\"scroll\" tabindex=\"0\"><table>"),
            "{}",
            r.html
        );
        assert!(
            r.html.trim_end().ends_with("</table>\n</div>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn timeline_tables_are_marked() {
        let r = md(
            "| Time | Event |\n|---|---|\n| 13:55 | Upgrade [login](@services/login) |\n| 14:02 | Switchover |\n",
        );
        assert!(
            r.html.starts_with(
                "<div class=\"timeline\"><div class=\"scroll\" tabindex=\"0\"><table>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<td><time datetime=\"13:55\">13:55</time></td>"),
            "{}",
            r.html
        );
        assert!(
            r.html.trim_end().ends_with("</table>\n</div>\n</div>"),
            "{}",
            r.html
        );
        // Links inside a timeline still resolve and are recorded.
        assert_eq!(r.links.len(), 1);
        let r = md("| Step | Event |\n|---|---|\n| one | x |\n");
        assert!(!r.html.contains("timeline"));
    }

    #[test]
    fn headings_get_ids() {
        let r = md("## Root causes\n\n## Root causes");
        assert!(r.html.contains(r#"<h2 id="root-causes">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="root-causes-1">"#));
    }
}

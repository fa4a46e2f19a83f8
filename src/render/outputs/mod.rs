//! Every output that is not an HTML page, as a job like [`super::PageJob`]: the session calendars,
//! the Atom feeds, the `/data/` export and its schemas, the sitemap, robots.txt and the
//! code-highlighting stylesheet. Each is a pure function of (its job, the index) and they render
//! in parallel with the pages. Drafts never reach these outputs, even in a `--drafts` build:
//! they are read by machines and people outside the preview.

pub mod calendar;
pub mod data;
pub mod feeds;
pub mod sitemap;

use crate::diagnostics::Diagnostic;
use crate::index::{DocIdx, SiteIndex, is_draft};
use crate::model::{Kind, KindData};

use super::{Theme, pages};

/// One non-HTML output (some produce more than one file: a large sitemap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputJob {
    Calendar,
    SessionCalendar(DocIdx),
    /// `None`: the site-wide feed.
    Feed(Option<Kind>),
    Data(&'static str),
    DataSchema(&'static str),
    Sitemap,
    Robots,
    HighlightCss,
}

/// What the jobs share, computed once per build.
pub struct OutputContext {
    /// Published documents (no drafts), in index order.
    pub published: Vec<DocIdx>,
    /// Site paths of the HTML pages for the sitemap, sorted.
    pub page_paths: Vec<String>,
}

impl OutputContext {
    pub fn new(index: &SiteIndex) -> Self {
        let published: Vec<DocIdx> = (0..index.docs.len())
            .filter(|&i| !is_draft(&index.docs[i]))
            .collect();
        let mut page_paths: Vec<String> = pages::jobs(index)
            .iter()
            .filter(|job| match job {
                // Not pages: the 404 page and the survey's csv template.
                pages::PageJob::NotFound | pages::PageJob::SurveyTemplate => false,
                pages::PageJob::Doc(i) => !is_draft(&index.docs[*i]),
                _ => true,
            })
            .map(|job| pages::page_path(index, job))
            .collect();
        page_paths.sort();
        OutputContext {
            published,
            page_paths,
        }
    }
}

/// All non-HTML outputs, in a stable order. A theme that ships its own `highlight.css` keeps it.
pub fn jobs(index: &SiteIndex, theme: &Theme, ctx: &OutputContext) -> Vec<OutputJob> {
    let mut jobs = vec![OutputJob::Calendar, OutputJob::Feed(None)];
    jobs.extend(
        ctx.published
            .iter()
            .filter(|&&i| matches!(&index.docs[i].data, KindData::Session(s) if s.date.is_some()))
            .map(|&i| OutputJob::SessionCalendar(i)),
    );
    jobs.extend(Kind::ALL.into_iter().map(|k| OutputJob::Feed(Some(k))));
    for (name, _) in data::FILES {
        jobs.push(OutputJob::Data(name));
        jobs.push(OutputJob::DataSchema(name));
    }
    jobs.extend([OutputJob::Sitemap, OutputJob::Robots]);
    if !theme.static_files.iter().any(|(p, _)| p == HIGHLIGHT_CSS) {
        jobs.push(OutputJob::HighlightCss);
    }
    jobs
}

pub const HIGHLIGHT_CSS: &str = "highlight.css";

/// Where a session's own calendar file is: beside its page.
pub fn session_calendar_path(index: &SiteIndex, i: DocIdx) -> String {
    format!("sessions/{}/session.ics", index.docs[i].key.id)
}

/// The files of one job (path relative to the output root, bytes).
pub fn render(
    index: &SiteIndex,
    job: &OutputJob,
    ctx: &OutputContext,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let one = |path: String, text: String| Ok(vec![(path, text.into_bytes())]);
    match job {
        OutputJob::Calendar => {
            let sessions: Vec<DocIdx> = ctx
                .published
                .iter()
                .copied()
                .filter(|&i| index.docs[i].key.kind == Kind::Session)
                .collect();
            one(
                "sessions/calendar.ics".into(),
                calendar::all_sessions(index, &sessions),
            )
        }
        OutputJob::SessionCalendar(i) => one(
            session_calendar_path(index, *i),
            calendar::one_session(index, *i),
        ),
        OutputJob::Feed(kind) => one(
            feeds::path(*kind),
            feeds::feed(index, *kind, &ctx.published),
        ),
        OutputJob::Data(name) => match data::export(index, name, &ctx.published) {
            Ok(text) => one(format!("data/{name}"), text),
            Err(e) => Err(Diagnostic::error(
                format!("data/{name}"),
                "export",
                format!("could not write the export: {e}"),
            )),
        },
        OutputJob::DataSchema(name) => {
            let schema = data::FILES
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, s)| s);
            one(format!("data/schema/{name}"), schema.to_string())
        }
        OutputJob::Sitemap => {
            Ok(
                sitemap::sitemaps(&index.config.base_url, &index.base_path, &ctx.page_paths)
                    .into_iter()
                    .map(|(p, t)| (p, t.into_bytes()))
                    .collect(),
            )
        }
        OutputJob::Robots => one("robots.txt".into(), sitemap::robots(index)),
        OutputJob::HighlightCss => one(HIGHLIGHT_CSS.into(), crate::highlight::stylesheet()),
    }
}

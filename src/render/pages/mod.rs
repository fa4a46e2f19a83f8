//! Every page of the site as a job: its output path, its template and its context. A page's
//! context is a pure function of (the job, the index), which is what lets pages render in parallel
//! and, in watch mode, be re-rendered alone.

use serde::Serialize;
use serde_json::{Value, json};

use super::views::*;
use crate::index::figures::postmortem_library::Facet;
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::url;

mod culture;
mod postmortem;
mod postmortem_library;
mod session;
mod slo;
mod slo_charts;
mod team;

use culture::*;
use postmortem::*;
use postmortem_library::*;
use session::*;
use slo::*;
use team::*;

/// One output page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageJob {
    Home,
    KindIndex(Kind),
    Doc(DocIdx),
    TagsIndex,
    Tag(String),
    Culture,
    CultureSurvey,
    SurveyTemplate,
    Ladder,
    ActionItems,
    /// `/postmortems/<facet>/<slug>/`: the postmortems with one facet value.
    PostmortemFacet(Facet, String),
    /// `/postmortems/root-causes/`.
    RootCauses,
    NotFound,
    /// The search page: results with JavaScript, every index without.
    Search,
    /// What `/data/` exports, with links to each file and its schema.
    DataIndex,
}

/// All pages of the site, in a stable order.
pub fn jobs(index: &SiteIndex) -> Vec<PageJob> {
    let mut jobs = vec![
        PageJob::Home,
        PageJob::TagsIndex,
        PageJob::Culture,
        PageJob::CultureSurvey,
        PageJob::SurveyTemplate,
        PageJob::Ladder,
        PageJob::ActionItems,
        PageJob::NotFound,
        PageJob::Search,
        PageJob::DataIndex,
    ];
    jobs.extend(Kind::ALL.into_iter().map(PageJob::KindIndex));
    jobs.push(PageJob::RootCauses);
    for (facet, values) in &index.figures.postmortem_library.facets {
        jobs.extend(
            values
                .iter()
                .map(|v| PageJob::PostmortemFacet(*facet, v.slug.clone())),
        );
    }
    jobs.extend(index.tags.keys().cloned().map(PageJob::Tag));
    // The pages that list many documents come first and the documents last: rendered in
    // parallel, a list of thousands started last (the root-cause index takes 0.1 s at 10,000
    // documents) would keep one thread busy while the others have nothing left to do.
    jobs.extend((0..index.docs.len()).map(PageJob::Doc));
    jobs
}

/// Output path of a page, relative to the output root.
pub fn output_path(index: &SiteIndex, job: &PageJob) -> String {
    match job {
        PageJob::Home => "index.html".into(),
        PageJob::KindIndex(k) => format!("{}/index.html", k.dir()),
        PageJob::Doc(i) => {
            let key = &index.docs[*i].key;
            format!("{}/{}/index.html", key.kind.dir(), key.id)
        }
        PageJob::TagsIndex => "tags/index.html".into(),
        PageJob::Tag(slug) => format!("tags/{slug}/index.html"),
        PageJob::Culture => "culture/index.html".into(),
        PageJob::CultureSurvey => "culture/survey/index.html".into(),
        PageJob::SurveyTemplate => SURVEY_TEMPLATE_PATH.into(),
        PageJob::Ladder => "ladder/index.html".into(),
        PageJob::ActionItems => "action-items/index.html".into(),
        PageJob::PostmortemFacet(facet, slug) => {
            format!("postmortems/{}/{slug}/index.html", facet.as_str())
        }
        PageJob::RootCauses => "postmortems/root-causes/index.html".into(),
        PageJob::NotFound => "404.html".into(),
        PageJob::Search => "search/index.html".into(),
        PageJob::DataIndex => "data/index.html".into(),
    }
}

/// The site path a page is served at (`/sre/teams/a/`), from its output path.
pub fn page_path(index: &SiteIndex, job: &PageJob) -> String {
    let out = output_path(index, job);
    let dir = out.strip_suffix("index.html").unwrap_or(&out);
    format!("{}{}", index.base_path, url::encode_path(dir))
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
}

/// What every page has: the site's name, its base path and the navigation. Built once per
/// build and shared by every page.
pub fn site(index: &SiteIndex) -> Value {
    let base = &index.base_path;
    let mut nav: Vec<NavItem> = [
        Kind::Team,
        Kind::Service,
        Kind::Slo,
        Kind::Postmortem,
        Kind::Session,
    ]
    .into_iter()
    .map(|k| NavItem {
        title: k.label().to_string(),
        url: url::kind_url(base, k),
    })
    .collect();
    nav.push(NavItem {
        title: "Culture".into(),
        url: format!("{base}culture/"),
    });
    nav.push(NavItem {
        title: "Ladder".into(),
        url: format!("{base}ladder/"),
    });
    for &p in index.of_kind(Kind::Page) {
        if matches!(&index.docs[p].data, KindData::Page(pg) if pg.menu) {
            nav.push(NavItem {
                title: index.docs[p].title.clone(),
                url: index.url(p),
            });
        }
    }
    json!({
        "title": index.config.title,
        "description": index.config.description,
        "base": base,
        "nav": nav,
        "build_date": index.build_date.to_string(),
        "css": format!("{base}style.css"),
        "highlight_css": format!("{base}highlight.css"),
        "search_url": format!("{base}search/"),
        // No script (and no search box) without an index.
        "search_js": index.config.search.then(|| format!("{base}search.js")),
        "feed": format!("{base}atom.xml"),
        "indexes": Kind::ALL.iter().map(|k| json!({"title": k.label(), "url": url::kind_url(base, *k)})).collect::<Vec<_>>(),
    })
}

/// The key of [`site`] in every page's template context (see [`crate::render::BaseContext`]).
pub const SITE_KEY: &str = "site";

/// What the pages of one build share, made once: the site's chrome ([`site`]) and the
/// postmortem rows that many pages list.
#[derive(Debug)]
pub struct Shared {
    pub site: Value,
    pub postmortem_rows: PostmortemRows,
}

impl Shared {
    pub fn new(index: &SiteIndex) -> Shared {
        Shared {
            site: site(index),
            postmortem_rows: PostmortemRows::new(index),
        }
    }
}

/// The template name and context of a page.
pub fn context(index: &SiteIndex, job: &PageJob, shared: &Shared) -> (String, Value) {
    let rows = &shared.postmortem_rows;
    let (template, mut ctx) = match job {
        PageJob::Home => ("home.html".to_string(), home(index, rows)),
        PageJob::KindIndex(Kind::Postmortem) => {
            ("postmortems.html".into(), library_page(index, rows))
        }
        PageJob::KindIndex(k) => ("list.html".to_string(), kind_index(index, *k)),
        PageJob::Doc(i) => document(index, *i, rows),
        PageJob::TagsIndex => {
            let tags: Vec<Value> = index
                .tags
                .values()
                .map(|t| json!({"name": t.name, "url": url::tag_url(&index.base_path, &t.name), "count": t.docs.len()}))
                .collect();
            (
                "tags.html".into(),
                json!({"page_title": "Tags", "tags": tags}),
            )
        }
        PageJob::Tag(slug) => {
            let entry = &index.tags[slug];
            let docs: Vec<Link> = entry.docs.iter().map(|&i| link(index, i)).collect();
            // Grouped by kind, in the kinds' usual order.
            let groups: Vec<Value> = Kind::ALL
                .iter()
                .filter_map(|k| {
                    let of_kind: Vec<&Link> =
                        docs.iter().filter(|l| l.kind == k.singular()).collect();
                    (!of_kind.is_empty())
                        .then(|| json!({"kind": k.singular(), "label": k.label(), "docs": of_kind}))
                })
                .collect();
            (
                "tag.html".into(),
                json!({"page_title": format!("Tag: {}", entry.name), "tag": entry.name, "docs": docs, "groups": groups}),
            )
        }
        PageJob::Culture => ("culture.html".into(), culture_page(index)),
        PageJob::CultureSurvey => ("culture_survey.html".into(), survey_page(index)),
        PageJob::SurveyTemplate => ("culture_survey_template.csv".into(), survey_template()),
        PageJob::Ladder => ("ladder.html".into(), ladder_page(index)),
        PageJob::ActionItems => ("action_items.html".into(), action_items_page(index)),
        PageJob::PostmortemFacet(facet, slug) => (
            "postmortem_facet.html".into(),
            facet_page(index, rows, *facet, slug),
        ),
        PageJob::RootCauses => ("root_causes.html".into(), root_causes_page(index, rows)),
        PageJob::NotFound => ("404.html".into(), json!({"page_title": "Page not found"})),
        PageJob::Search => ("search.html".into(), search_page(index)),
        PageJob::DataIndex => ("data.html".into(), data_page(index)),
    };
    // Lets the navigation mark the page it links to as current by address, not by title (the
    // ladder's nav entry "Ladder" is the page "SRE adoption ladder").
    ctx["page_url"] = Value::String(page_path(index, job));
    (template, ctx)
}

fn home(index: &SiteIndex, rows: &PostmortemRows) -> Value {
    let slos = slo_rows(index, index.of_kind(Kind::Slo).iter().copied());
    let mut status_counts = std::collections::BTreeMap::new();
    for s in &slos {
        *status_counts.entry(s.status.clone()).or_insert(0usize) += 1;
    }
    let exhausted: Vec<&SloRow> = slos.iter().filter(|s| s.status == "exhausted").collect();
    let items: Vec<ActionItemView> = index
        .of_kind(Kind::Postmortem)
        .iter()
        .flat_map(|&i| action_items(index, i))
        .collect();
    let open = items.iter().filter(|a| !a.status.is_closed()).count();
    let overdue = items.iter().filter(|a| a.overdue).count();
    let sessions = session_rows(index, index.of_kind(Kind::Session).iter().copied());
    let mut upcoming: Vec<&SessionRow> = sessions.iter().filter(|s| s.upcoming).collect();
    upcoming.reverse();
    json!({
        "page_title": index.config.title,
        "slo_status": status_counts,
        "exhausted": exhausted,
        "latest_postmortems": rows
            .sorted(index, index.of_kind(Kind::Postmortem).iter().copied())
            .into_iter()
            .take(5)
            .map(|r| &r.value)
            .collect::<Vec<_>>(),
        "open_items": open,
        "overdue_items": overdue,
        "upcoming_sessions": upcoming.into_iter().take(5).collect::<Vec<_>>(),
        "culture": org_culture_view(index),
        "ladder": ladder_distribution(index),
        "counts": Kind::ALL.iter().map(|k| json!({"label": k.label(), "url": url::kind_url(&index.base_path, *k), "count": index.of_kind(*k).len()})).collect::<Vec<_>>(),
    })
}

fn kind_index(index: &SiteIndex, kind: Kind) -> Value {
    let ids = index.of_kind(kind).iter().copied();
    let mut ctx = json!({"page_title": kind.label(), "kind": kind.singular()});
    match kind {
        Kind::Slo => ctx["slos"] = json!(slo_rows(index, ids)),
        Kind::Session => sessions_index(index, &mut ctx),
        Kind::Assessment => {
            let rows: Vec<AssessmentView> = ids.filter_map(|i| assessment_view(index, i)).collect();
            ctx["assessments"] = json!(rows);
        }
        _ => {
            let rows: Vec<Value> = ids
                .map(|i| json!({"link": link(index, i), "summary": index.docs[i].summary}))
                .collect();
            ctx["docs"] = json!(rows);
        }
    }
    ctx
}

fn document(index: &SiteIndex, i: DocIdx, rows: &PostmortemRows) -> (String, Value) {
    let doc = &index.docs[i];
    let backlinks: Vec<Link> = index.backlinks[i].iter().map(|&b| link(index, b)).collect();
    let mut ctx = json!({
        "page_title": doc.title,
        "doc": {
            "kind": doc.key.kind.singular(),
            "kind_label": doc.key.kind.label(),
            "kind_url": url::kind_url(&index.base_path, doc.key.kind),
            "id": doc.key.id,
            "title": doc.title,
            "summary": doc.summary,
            "url": index.url(i),
            "tags": tag_links(index, &doc.tags),
            "body": doc.body_html,
            "source": doc.source.to_string_lossy().replace('\\', "/"),
            "draft": crate::index::is_draft(doc),
        },
        "backlinks": backlinks,
    });
    let view = match &doc.data {
        KindData::Team(t) => team_view(index, i, t, rows),
        KindData::Service(s) => service_view(index, i, s, rows),
        KindData::Slo(s) => slo_view(index, i, s, rows),
        KindData::Postmortem(p) => postmortem_view(index, i, p),
        KindData::Session(s) => session_view(index, i, s),
        KindData::Assessment(_) => json!({"assessment": assessment_page_view(index, i)}),
        KindData::Page(p) => json!({"fm": p}),
    };
    ctx["view"] = view;
    (format!("{}.html", doc.key.kind.singular()), ctx)
}

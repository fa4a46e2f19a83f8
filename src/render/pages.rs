//! Every page of the site as a job: its output path, its template and its context. A page's
//! context is a pure function of (the job, the index), which is what lets pages render in parallel
//! and, in watch mode, be re-rendered alone.

use serde::Serialize;
use serde_json::{Value, json};

use super::views::*;
use crate::domain::{duration, ladder, slo};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::url;

/// One output page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageJob {
    Home,
    KindIndex(Kind),
    Doc(DocIdx),
    TagsIndex,
    Tag(String),
    Culture,
    Ladder,
    ActionItems,
    NotFound,
}

/// All pages of the site, in a stable order.
pub fn jobs(index: &SiteIndex) -> Vec<PageJob> {
    let mut jobs = vec![
        PageJob::Home,
        PageJob::TagsIndex,
        PageJob::Culture,
        PageJob::Ladder,
        PageJob::ActionItems,
        PageJob::NotFound,
    ];
    jobs.extend(Kind::ALL.into_iter().map(PageJob::KindIndex));
    jobs.extend((0..index.docs.len()).map(PageJob::Doc));
    jobs.extend(index.tags.keys().cloned().map(PageJob::Tag));
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
        PageJob::Ladder => "ladder/index.html".into(),
        PageJob::ActionItems => "action-items/index.html".into(),
        PageJob::NotFound => "404.html".into(),
    }
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
        "indexes": Kind::ALL.iter().map(|k| json!({"title": k.label(), "url": url::kind_url(base, *k)})).collect::<Vec<_>>(),
    })
}

/// The template name and context of a page.
pub fn context(index: &SiteIndex, job: &PageJob, site: &Value) -> (String, Value) {
    let (template, mut ctx) = match job {
        PageJob::Home => ("home.html".to_string(), home(index)),
        PageJob::KindIndex(k) => ("list.html".to_string(), kind_index(index, *k)),
        PageJob::Doc(i) => document(index, *i),
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
            (
                "tag.html".into(),
                json!({"page_title": format!("Tag: {}", entry.name), "tag": entry.name, "docs": docs}),
            )
        }
        PageJob::Culture => ("culture.html".into(), culture_page(index)),
        PageJob::Ladder => ("ladder.html".into(), ladder_page(index)),
        PageJob::ActionItems => ("action_items.html".into(), action_items_page(index)),
        PageJob::NotFound => ("404.html".into(), json!({"page_title": "Page not found"})),
    };
    ctx["site"] = site.clone();
    (template, ctx)
}

fn home(index: &SiteIndex) -> Value {
    let slos = slo_rows(index, index.of_kind(Kind::Slo).iter().copied());
    let mut status_counts = std::collections::BTreeMap::new();
    for s in &slos {
        *status_counts.entry(s.status.clone()).or_insert(0usize) += 1;
    }
    let exhausted: Vec<&SloRow> = slos.iter().filter(|s| s.status == "exhausted").collect();
    let postmortems = postmortem_rows(index, index.of_kind(Kind::Postmortem).iter().copied());
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
        "latest_postmortems": postmortems.iter().take(5).collect::<Vec<_>>(),
        "open_items": open,
        "overdue_items": overdue,
        "upcoming_sessions": upcoming.into_iter().take(5).collect::<Vec<_>>(),
        "culture": index.figures.org_culture,
        "ladder": ladder_distribution(index),
        "counts": Kind::ALL.iter().map(|k| json!({"label": k.label(), "url": url::kind_url(&index.base_path, *k), "count": index.of_kind(*k).len()})).collect::<Vec<_>>(),
    })
}

fn ladder_distribution(index: &SiteIndex) -> Vec<Value> {
    let steps: Vec<u8> = index
        .of_kind(Kind::Team)
        .iter()
        .filter_map(|&t| match &index.docs[t].data {
            KindData::Team(team) => team.adoption.as_ref().map(|a| a.step),
            _ => None,
        })
        .collect();
    let dist = ladder::distribution(&steps);
    ladder::STEPS
        .iter()
        .zip(dist)
        .map(|((n, name, _), count)| json!({"step": n, "name": name, "count": count}))
        .collect()
}

fn kind_index(index: &SiteIndex, kind: Kind) -> Value {
    let ids = index.of_kind(kind).iter().copied();
    let mut ctx = json!({"page_title": kind.label(), "kind": kind.singular()});
    match kind {
        Kind::Slo => ctx["slos"] = json!(slo_rows(index, ids)),
        Kind::Postmortem => ctx["postmortems"] = json!(postmortem_rows(index, ids)),
        Kind::Session => {
            let rows = session_rows(index, ids);
            let (mut upcoming, past): (Vec<_>, Vec<_>) = rows.into_iter().partition(|s| s.upcoming);
            upcoming.reverse();
            ctx["upcoming"] = json!(upcoming);
            ctx["past"] = json!(past);
        }
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

fn document(index: &SiteIndex, i: DocIdx) -> (String, Value) {
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
        KindData::Team(t) => team_view(index, i, t),
        KindData::Service(s) => service_view(index, i, s),
        KindData::Slo(s) => slo_view(index, i, s),
        KindData::Postmortem(p) => postmortem_view(index, i, p),
        KindData::Session(s) => json!({
            "fm": s,
            "date": s.date.map(|d| d.to_string()),
            "upcoming": s.date.is_some_and(|d| d >= index.build_date),
            "teams": links_to(index, Kind::Team, &s.teams),
            "related": s.related.iter().filter_map(|r| DocKey::parse(r.trim_start_matches('@'))).filter_map(|k| index.get(&k)).map(|j| link(index, j)).collect::<Vec<_>>(),
            "slides": s.slides.as_deref().map(url::neutralize),
            "recording": s.recording.as_deref().map(url::neutralize),
        }),
        KindData::Assessment(_) => json!({"assessment": assessment_view(index, i)}),
        KindData::Page(p) => json!({"fm": p}),
    };
    ctx["view"] = view;
    (format!("{}.html", doc.key.kind.singular()), ctx)
}

fn team_view(index: &SiteIndex, i: DocIdx, t: &Team) -> Value {
    let services: Vec<DocIdx> = index.referrers(i, Kind::Service).collect();
    let slos: Vec<DocIdx> = services
        .iter()
        .flat_map(|&s| index.referrers(s, Kind::Slo))
        .collect();
    let mut postmortems: Vec<DocIdx> = index.referrers(i, Kind::Postmortem).collect();
    for &s in &services {
        postmortems.extend(index.referrers(s, Kind::Postmortem));
    }
    postmortems.sort_unstable();
    postmortems.dedup();
    let mut assessments: Vec<AssessmentView> = index
        .referrers(i, Kind::Assessment)
        .filter_map(|a| assessment_view(index, a))
        .collect();
    assessments.sort_by(|a, b| a.date.cmp(&b.date));
    json!({
        "fm": t,
        "services": services.iter().map(|&s| {
            let tier = match &index.docs[s].data { KindData::Service(svc) => svc.tier.clone(), _ => None };
            json!({"link": link(index, s), "tier": tier})
        }).collect::<Vec<_>>(),
        "slos": slo_rows(index, slos),
        "postmortems": postmortem_rows(index, postmortems),
        "sessions": session_rows(index, index.referrers(i, Kind::Session)),
        "assessments": assessments,
        "ladder": ladder_view(index, i),
        "escalation": t.escalation.iter().map(|s| json!({
            "after": s.after,
            "after_human": duration::parse_duration(&s.after).map(duration::human).unwrap_or_else(|_| s.after.clone()),
            "notify": s.notify,
        })).collect::<Vec<_>>(),
    })
}

fn service_view(index: &SiteIndex, i: DocIdx, s: &Service) -> Value {
    let dependents: Vec<Link> = index
        .referrers(i, Kind::Service)
        .filter(|&d| matches!(&index.docs[d].data, KindData::Service(o) if o.depends_on.contains(&index.docs[i].key.id)))
        .map(|d| link(index, d))
        .collect();
    json!({
        "fm": s,
        "team": link_to(index, Kind::Team, &s.team),
        "runbook": s.runbook.as_deref().map(url::neutralize),
        "slos": slo_rows(index, index.referrers(i, Kind::Slo)),
        "postmortems": postmortem_rows(index, index.referrers(i, Kind::Postmortem)),
        "depends_on": links_to(index, Kind::Service, &s.depends_on),
        "dependents": dependents,
    })
}

fn slo_view(index: &SiteIndex, i: DocIdx, s: &Slo) -> Value {
    let report = index.figures.slo_reports.get(&i);
    let window = slo::parse_window(&s.window).ok();
    let budget = window.as_ref().map(|w| {
        let secs = slo::allowed_downtime_secs(s.objective, w, report.and_then(|r| r.as_of));
        json!({
            "fraction": percent(slo::allowed_bad_fraction(s.objective), 3),
            "downtime": duration::human_f(secs),
        })
    });
    json!({
        "fm": s,
        "row": slo_row(index, i),
        "service": link_to(index, Kind::Service, &s.service),
        "policy": s.error_budget_policy.as_deref().and_then(|p| link_to(index, Kind::Page, p)),
        "budget": budget,
        "report": report,
        "openslo": s.openslo.as_ref().and_then(|v| serde_json::to_string_pretty(v).ok()),
        "postmortems": postmortem_rows(index, index.referrers(i, Kind::Postmortem)),
    })
}

fn postmortem_view(index: &SiteIndex, i: DocIdx, p: &Postmortem) -> Value {
    json!({
        "fm": p,
        "date": p.date.map(|d| d.to_string()),
        "severity": severity(index, &p.severity),
        "services": links_to(index, Kind::Service, &p.services),
        "teams": links_to(index, Kind::Team, &p.teams),
        "slos": links_to(index, Kind::Slo, &p.slos),
        "durations": durations_view(index.figures.durations.get(&i)),
        "times": {
            "started_at": p.started_at.map(|t| t.to_string()),
            "detected_at": p.detected_at.map(|t| t.to_string()),
            "mitigated_at": p.mitigated_at.map(|t| t.to_string()),
            "resolved_at": p.resolved_at.map(|t| t.to_string()),
        },
        "action_items": action_items(index, i),
        "sessions": session_rows(index, index.referrers(i, Kind::Session)),
    })
}

fn culture_page(index: &SiteIndex) -> Value {
    let mut latest: std::collections::BTreeMap<String, AssessmentView> =
        std::collections::BTreeMap::new();
    for &a in index.of_kind(Kind::Assessment) {
        if let Some(v) = assessment_view(index, a) {
            let team = v.team.as_ref().map(|t| t.title.clone()).unwrap_or_default();
            match latest.get(&team) {
                Some(cur) if cur.date >= v.date => {}
                _ => {
                    latest.insert(team, v);
                }
            }
        }
    }
    json!({
        "page_title": "Culture",
        "latest": latest.into_values().collect::<Vec<_>>(),
        "org": index.figures.org_culture,
        "aspects": (0..6).map(|k| json!({
            "key": crate::domain::culture::ASPECTS[k],
            "label": crate::domain::culture::aspect_label(k),
            "meaning": crate::domain::culture::aspect_sre_meaning(k),
        })).collect::<Vec<_>>(),
    })
}

fn ladder_page(index: &SiteIndex) -> Value {
    let teams: Vec<Value> = index
        .of_kind(Kind::Team)
        .iter()
        .map(|&t| json!({"team": link(index, t), "ladder": ladder_view(index, t)}))
        .collect();
    json!({
        "page_title": "SRE adoption ladder",
        "teams": teams,
        "steps": ladder::STEPS.iter().map(|(n, name, asks)| json!({"step": n, "name": name, "asks": asks})).collect::<Vec<_>>(),
        "distribution": ladder_distribution(index),
    })
}

fn action_items_page(index: &SiteIndex) -> Value {
    let items: Vec<ActionItemView> = index
        .of_kind(Kind::Postmortem)
        .iter()
        .flat_map(|&i| action_items(index, i))
        .collect();
    let open: Vec<&ActionItemView> = items.iter().filter(|a| !a.status.is_closed()).collect();
    json!({
        "page_title": "Action items",
        "items": items,
        "open": open.len(),
        "overdue": items.iter().filter(|a| a.overdue).count(),
        "done": items.iter().filter(|a| a.status.is_closed()).count(),
    })
}

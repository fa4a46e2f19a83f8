//! The machine-readable export under `/data/`: the portal's figures as JSON for other tools (a
//! service catalog, a dashboard, a chat bot), with a `version` and a JSON Schema per file
//! (`docs/schema/*.json`, published as `/data/schema/*.json`).
//!
//! Numbers are raw (fractions, seconds), not the page's formatted text. Drafts are never
//! exported. Culture follows the anonymity rule: a group below `culture.min_respondents` appears
//! only as `{team, date, suppressed: true}`: no scores, no class and not even its respondent
//! count (a count of 2 in a team of 8, next to the team's next survey, narrows who answered).

use serde::Serialize;

use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::render::views::{action_items, ladder_view};
use crate::url;

/// Bumped when a field changes meaning or disappears; adding a field keeps the version.
pub const VERSION: u32 = 1;

/// The exported files: name (below `data/`) and schema text.
pub const FILES: [(&str, &str); 5] = [
    ("slos.json", include_str!("../../../docs/schema/slos.json")),
    (
        "postmortems.json",
        include_str!("../../../docs/schema/postmortems.json"),
    ),
    (
        "action-items.json",
        include_str!("../../../docs/schema/action-items.json"),
    ),
    (
        "culture.json",
        include_str!("../../../docs/schema/culture.json"),
    ),
    (
        "ladder.json",
        include_str!("../../../docs/schema/ladder.json"),
    ),
];

#[derive(Serialize)]
struct Envelope<T: Serialize> {
    version: u32,
    /// The build date, `YYYY-MM-DD`: every figure is "as of" this day.
    generated: String,
    site: Site,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct Site {
    title: String,
    base_url: String,
}

fn envelope<T: Serialize>(index: &SiteIndex, body: T) -> serde_json::Result<String> {
    let e = Envelope {
        version: VERSION,
        generated: index.build_date.to_string(),
        site: Site {
            title: index.config.title.clone(),
            base_url: index.config.base_url.clone(),
        },
        body,
    };
    // `<\/` is the same JSON string as `</`, and keeps a `</script>` typed by an author from
    // closing a <script> element should a page ever inline the file.
    let mut s = serde_json::to_string_pretty(&e)?.replace("</", "<\\/");
    s.push('\n');
    Ok(s)
}

/// The JSON text of `name` (one of [`FILES`]), from the published documents only.
pub fn export(index: &SiteIndex, name: &str, published: &[DocIdx]) -> serde_json::Result<String> {
    let of = |k: Kind| {
        published
            .iter()
            .copied()
            .filter(move |&i| index.docs[i].key.kind == k)
    };
    match name {
        "slos.json" => envelope(
            index,
            Slos {
                slos: of(Kind::Slo).filter_map(|i| slo(index, i)).collect(),
            },
        ),
        "postmortems.json" => envelope(
            index,
            Postmortems {
                postmortems: of(Kind::Postmortem)
                    .filter_map(|i| postmortem(index, i))
                    .collect(),
            },
        ),
        "action-items.json" => envelope(
            index,
            ActionItems {
                action_items: of(Kind::Postmortem)
                    .flat_map(|i| action_items(index, i))
                    .map(|a| ActionItem {
                        postmortem: a.postmortem.id,
                        postmortem_url: abs(index, &a.postmortem.url),
                        title: a.title,
                        owner: a.owner,
                        status: a.status,
                        due: a.due,
                        overdue: a.overdue,
                        link: a.link,
                    })
                    .collect(),
            },
        ),
        "culture.json" => envelope(index, culture_export(index, of(Kind::Assessment))),
        _ => envelope(index, ladder_export(index, of(Kind::Team))),
    }
}

fn abs(index: &SiteIndex, path: &str) -> String {
    url::absolute(&index.config.base_url, path)
}

fn page(index: &SiteIndex, i: DocIdx) -> String {
    abs(index, &index.url(i))
}

#[derive(Serialize)]
struct Slos {
    slos: Vec<Slo>,
}

#[derive(Serialize)]
struct Slo {
    id: String,
    title: String,
    url: String,
    service: String,
    team: Option<String>,
    /// Percent, as written (`99.9`).
    objective: f64,
    window: String,
    sla: Option<f64>,
    status: &'static str,
    /// The last day with measurements; the figures below are as of this day.
    as_of: Option<String>,
    /// Good / total over the window, a fraction.
    attainment: Option<f64>,
    /// Fraction of the error budget left: 1 untouched, 0 spent, negative overspent.
    budget_remaining: Option<f64>,
    burn_rate_1d: Option<f64>,
    burn_rate_7d: Option<f64>,
    sla_met: Option<bool>,
    tags: Vec<String>,
}

fn slo(index: &SiteIndex, i: DocIdx) -> Option<Slo> {
    let doc = &index.docs[i];
    let KindData::Slo(s) = &doc.data else {
        return None;
    };
    let r = index.figures.slo_reports.get(&i);
    let team = index
        .find(Kind::Service, &s.service)
        .and_then(|svc| match &svc.data {
            KindData::Service(svc) => Some(svc.team.clone()),
            _ => None,
        });
    Some(Slo {
        id: doc.key.id.clone(),
        title: doc.title.clone(),
        url: page(index, i),
        service: s.service.clone(),
        team,
        objective: s.objective,
        window: s.window.clone(),
        sla: s.sla,
        status: r
            .map_or(crate::domain::slo::Status::NoData, |r| r.status)
            .as_str(),
        as_of: r.and_then(|r| r.as_of).map(|d| d.to_string()),
        attainment: r.and_then(|r| r.attainment),
        budget_remaining: r.and_then(|r| r.budget_remaining),
        burn_rate_1d: r.and_then(|r| r.burn_rate_1d),
        burn_rate_7d: r.and_then(|r| r.burn_rate_7d),
        sla_met: r.and_then(|r| r.sla_met),
        tags: doc.tags.clone(),
    })
}

#[derive(Serialize)]
struct Postmortems {
    postmortems: Vec<PostmortemOut>,
}

#[derive(Serialize)]
struct PostmortemOut {
    id: String,
    title: String,
    url: String,
    summary: Option<String>,
    date: Option<String>,
    severity: String,
    status: PostmortemStatus,
    services: Vec<String>,
    teams: Vec<String>,
    slos: Vec<String>,
    authors: Vec<String>,
    started_at: Option<String>,
    detected_at: Option<String>,
    mitigated_at: Option<String>,
    resolved_at: Option<String>,
    /// Seconds from `started_at`.
    time_to_detect: Option<i64>,
    time_to_mitigate: Option<i64>,
    time_to_resolve: Option<i64>,
    root_causes: Vec<String>,
    action_items: ItemCounts,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct ItemCounts {
    total: usize,
    open: usize,
    overdue: usize,
}

fn postmortem(index: &SiteIndex, i: DocIdx) -> Option<PostmortemOut> {
    let doc = &index.docs[i];
    let KindData::Postmortem(p) = &doc.data else {
        return None;
    };
    let d = index.figures.durations.get(&i);
    let items = action_items(index, i);
    let ts = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string());
    Some(PostmortemOut {
        id: doc.key.id.clone(),
        title: doc.title.clone(),
        url: page(index, i),
        summary: doc.summary.clone(),
        date: p.date.map(|d| d.to_string()),
        severity: p.severity.clone(),
        status: p.status,
        services: p.services.clone(),
        teams: p.teams.clone(),
        slos: p.slos.clone(),
        authors: p.authors.clone(),
        started_at: ts(p.started_at),
        detected_at: ts(p.detected_at),
        mitigated_at: ts(p.mitigated_at),
        resolved_at: ts(p.resolved_at),
        time_to_detect: d.and_then(|d| d.to_detect),
        time_to_mitigate: d.and_then(|d| d.to_mitigate),
        time_to_resolve: d.and_then(|d| d.to_resolve),
        root_causes: p.root_causes.clone(),
        action_items: ItemCounts {
            total: items.len(),
            open: items.iter().filter(|a| !a.status.is_closed()).count(),
            overdue: items.iter().filter(|a| a.overdue).count(),
        },
        tags: doc.tags.clone(),
    })
}

#[derive(Serialize)]
struct ActionItems {
    action_items: Vec<ActionItem>,
}

#[derive(Serialize)]
struct ActionItem {
    postmortem: String,
    postmortem_url: String,
    title: String,
    owner: Option<String>,
    status: ItemStatus,
    due: Option<String>,
    overdue: bool,
    link: Option<String>,
}

#[derive(Serialize)]
struct CultureOut {
    min_respondents: usize,
    bureaucratic_from: f64,
    generative_from: f64,
    assessments: Vec<AssessmentOut>,
    organisation: Option<Organisation>,
}

/// One assessment; a suppressed one has `team`, `date`, `url` and `suppressed: true` only.
#[derive(Serialize)]
struct AssessmentOut {
    team: String,
    date: String,
    url: String,
    suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    respondents: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<AspectScores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overall: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'static str>,
}

#[derive(Serialize)]
struct Organisation {
    groups_shown: usize,
    groups_suppressed: usize,
    pathological: usize,
    bureaucratic: usize,
    generative: usize,
}

fn culture_export(index: &SiteIndex, ids: impl Iterator<Item = DocIdx>) -> CultureOut {
    let cfg = &index.config.culture;
    let assessments = ids
        .filter_map(|i| {
            let KindData::Assessment(a) = &index.docs[i].data else {
                return None;
            };
            // The anonymity rule, applied once in the index by `culture::group_view`: only its
            // view is read here, so neither a suppressed group nor a withheld aspect can leak.
            let view = index.figures.culture.get(&i).filter(|v| v.is_shown());
            let mut out = AssessmentOut {
                team: a.team.clone(),
                date: a.date.to_string(),
                url: page(index, i),
                suppressed: view.is_none(),
                respondents: None,
                scores: None,
                overall: None,
                class: None,
            };
            if let Some(view) = view {
                let means = view.scores.map(|s| s.means).unwrap_or([None; 6]);
                out.respondents = Some(view.respondents);
                out.scores = Some(AspectScores {
                    cooperation: means[0],
                    messengers: means[1],
                    risks: means[2],
                    bridging: means[3],
                    failure: means[4],
                    novelty: means[5],
                });
                out.overall = view.overall;
                out.class = view.class.map(|c| c.as_str());
            }
            Some(out)
        })
        .collect();
    CultureOut {
        min_respondents: cfg.min_respondents,
        bureaucratic_from: cfg.bureaucratic_from,
        generative_from: cfg.generative_from,
        assessments,
        organisation: index.figures.org_culture.as_ref().map(|o| Organisation {
            groups_shown: o.groups_shown,
            groups_suppressed: o.suppressed,
            pathological: o.pathological,
            bureaucratic: o.bureaucratic,
            generative: o.generative,
        }),
    }
}

#[derive(Serialize)]
struct LadderOut {
    steps: Vec<Step>,
    teams: Vec<TeamStep>,
}

#[derive(Serialize)]
struct Step {
    step: u8,
    name: &'static str,
    teams: usize,
}

#[derive(Serialize)]
struct TeamStep {
    team: String,
    title: String,
    url: String,
    step: Option<u8>,
    since: Option<String>,
    /// Evidence the portal expected for the claimed steps and did not find.
    evidence_gaps: Option<usize>,
}

fn ladder_export(index: &SiteIndex, teams: impl Iterator<Item = DocIdx>) -> LadderOut {
    let teams: Vec<TeamStep> = teams
        .map(|t| {
            let v = ladder_view(index, t);
            TeamStep {
                team: index.docs[t].key.id.clone(),
                title: index.docs[t].title.clone(),
                url: page(index, t),
                step: v.as_ref().map(|v| v.step),
                since: v.as_ref().and_then(|v| v.since.clone()),
                evidence_gaps: v.as_ref().map(|v| v.gaps),
            }
        })
        .collect();
    let steps = crate::domain::ladder::STEPS
        .iter()
        .map(|(n, name, _)| Step {
            step: *n,
            name,
            teams: teams.iter().filter(|t| t.step == Some(*n)).count(),
        })
        .collect();
    LadderOut { steps, teams }
}

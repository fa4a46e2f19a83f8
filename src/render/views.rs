//! What templates see: small serializable views built from the index for one page at a time.
//! A page gets only what it shows, never a copy of the whole site.

use serde::Serialize;

use crate::domain::{culture, duration, incident, ladder, slo};
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::url;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub id: String,
}

pub fn link(index: &SiteIndex, i: DocIdx) -> Link {
    let d = &index.docs[i];
    Link {
        title: d.title.clone(),
        url: index.url(i),
        kind: d.key.kind.singular(),
        kind_label: d.key.kind.label(),
        id: d.key.id.clone(),
    }
}

/// A link to a referenced id when it is published; references are checked at index time, so a
/// miss here means the target is a draft left out of this build.
pub fn link_to(index: &SiteIndex, kind: Kind, id: &str) -> Option<Link> {
    index.get(&DocKey::new(kind, id)).map(|i| link(index, i))
}

pub fn links_to(index: &SiteIndex, kind: Kind, ids: &[String]) -> Vec<Link> {
    ids.iter()
        .filter_map(|id| link_to(index, kind, id))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub url: String,
}

pub fn tag_links(index: &SiteIndex, tags: &[String]) -> Vec<TagLink> {
    tags.iter()
        .filter(|t| !url::slugify(t).is_empty())
        .map(|t| TagLink {
            name: t.clone(),
            url: url::tag_url(&index.base_path, t),
        })
        .collect()
}

pub fn percent(fraction: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, fraction * 100.0)
}

/// A row in any list of SLOs.
#[derive(Debug, Clone, Serialize)]
pub struct SloRow {
    pub link: Link,
    pub service: Option<Link>,
    pub team: Option<Link>,
    pub objective: String,
    pub window: String,
    pub status: String,
    pub attainment: Option<String>,
    pub budget_remaining: Option<String>,
    /// For sorting: remaining budget (exhausted first).
    #[serde(skip)]
    pub remaining_sort: f64,
}

pub fn slo_row(index: &SiteIndex, i: DocIdx) -> Option<SloRow> {
    let KindData::Slo(s) = &index.docs[i].data else {
        return None;
    };
    let report = index.figures.slo_reports.get(&i);
    let service = link_to(index, Kind::Service, &s.service);
    let team = index
        .find(Kind::Service, &s.service)
        .and_then(|svc| match &svc.data {
            KindData::Service(svc) => link_to(index, Kind::Team, &svc.team),
            _ => None,
        });
    Some(SloRow {
        link: link(index, i),
        service,
        team,
        objective: format!("{}%", s.objective),
        window: s.window.clone(),
        status: report
            .map_or(slo::Status::NoData, |r| r.status)
            .as_str()
            .to_string(),
        attainment: report.and_then(|r| r.attainment).map(|a| percent(a, 3)),
        budget_remaining: report
            .and_then(|r| r.budget_remaining)
            .map(|b| percent(b, 1)),
        remaining_sort: report
            .and_then(|r| r.budget_remaining)
            .unwrap_or(f64::INFINITY),
    })
}

/// SLO rows sorted so that exhausted budgets come first.
pub fn slo_rows(index: &SiteIndex, ids: impl IntoIterator<Item = DocIdx>) -> Vec<SloRow> {
    let mut rows: Vec<SloRow> = ids.into_iter().filter_map(|i| slo_row(index, i)).collect();
    rows.sort_by(|a, b| {
        a.remaining_sort
            .total_cmp(&b.remaining_sort)
            .then_with(|| a.link.title.cmp(&b.link.title))
    });
    rows
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityView {
    pub id: String,
    pub label: String,
    pub rank: usize,
    pub color: Option<String>,
}

pub fn severity(index: &SiteIndex, id: &str) -> SeverityView {
    let rank = index.config.severity_rank(id).unwrap_or(usize::MAX);
    let level = index.config.severities.get(rank);
    SeverityView {
        id: id.to_string(),
        label: level.map_or_else(|| id.to_string(), |l| l.label.clone()),
        rank: rank.min(99) + 1,
        color: level.and_then(|l| l.color.clone()),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PostmortemRow {
    pub link: Link,
    pub date: String,
    pub severity: SeverityView,
    pub status: PostmortemStatus,
    pub time_to_detect: Option<String>,
    pub time_to_resolve: Option<String>,
    pub open_items: usize,
}

pub fn postmortem_row(index: &SiteIndex, i: DocIdx) -> Option<PostmortemRow> {
    let KindData::Postmortem(p) = &index.docs[i].data else {
        return None;
    };
    let d = index.figures.durations.get(&i);
    Some(PostmortemRow {
        link: link(index, i),
        date: p.date.map(|d| d.to_string()).unwrap_or_default(),
        severity: severity(index, &p.severity),
        status: p.status,
        time_to_detect: d.and_then(|d| d.to_detect).map(duration::human),
        time_to_resolve: d.and_then(|d| d.to_resolve).map(duration::human),
        open_items: p
            .action_items
            .iter()
            .filter(|a| !a.status.is_closed())
            .count(),
    })
}

/// Postmortem rows newest first.
pub fn postmortem_rows(
    index: &SiteIndex,
    ids: impl IntoIterator<Item = DocIdx>,
) -> Vec<PostmortemRow> {
    let mut rows: Vec<PostmortemRow> = ids
        .into_iter()
        .filter_map(|i| postmortem_row(index, i))
        .collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.link.id.cmp(&b.link.id)));
    rows
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub link: Link,
    pub date: String,
    pub upcoming: bool,
    pub speakers: Vec<String>,
}

pub fn session_rows(index: &SiteIndex, ids: impl IntoIterator<Item = DocIdx>) -> Vec<SessionRow> {
    let mut rows: Vec<SessionRow> = ids
        .into_iter()
        .filter_map(|i| match &index.docs[i].data {
            KindData::Session(s) => Some(SessionRow {
                link: link(index, i),
                date: s.date.map(|d| d.to_string()).unwrap_or_default(),
                upcoming: s.date.is_some_and(|d| d >= index.build_date),
                speakers: s.speakers.clone(),
            }),
            _ => None,
        })
        .collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date));
    rows
}

/// One aspect's score as shown: only ever built for groups the anonymity rule lets through.
#[derive(Debug, Clone, Serialize)]
pub struct AspectView {
    pub key: &'static str,
    pub label: &'static str,
    pub meaning: &'static str,
    pub mean: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub link: Link,
    pub team: Option<Link>,
    pub date: String,
    pub respondents: usize,
    /// False when the group is below `culture.min_respondents`: no score is shown anywhere.
    pub visible: bool,
    pub aspects: Vec<AspectView>,
    pub overall: Option<String>,
    pub class: Option<String>,
    pub origin: AssessmentSource,
}

pub fn assessment_view(index: &SiteIndex, i: DocIdx) -> Option<AssessmentView> {
    let KindData::Assessment(a) = &index.docs[i].data else {
        return None;
    };
    let visible = index
        .figures
        .culture_visible
        .get(&i)
        .copied()
        .unwrap_or(false);
    let (aspects, overall, class) = if visible {
        let scores = culture::Scores {
            means: a.scores.as_array(),
        };
        let overall = culture::overall(&scores);
        let thresholds = culture::Thresholds {
            bureaucratic_from: index.config.culture.bureaucratic_from,
            generative_from: index.config.culture.generative_from,
        };
        let aspects = (0..6)
            .map(|k| AspectView {
                key: culture::ASPECTS[k],
                label: culture::aspect_label(k),
                meaning: culture::aspect_sre_meaning(k),
                mean: scores.means[k].map(|m| format!("{m:.2}")),
            })
            .collect();
        let class = overall.map(|o| culture::classify(o, &thresholds).as_str().to_string());
        (aspects, overall.map(|o| format!("{o:.2}")), class)
    } else {
        (Vec::new(), None, None)
    };
    Some(AssessmentView {
        link: link(index, i),
        team: link_to(index, Kind::Team, &a.team),
        date: a.date.to_string(),
        respondents: a.respondents,
        visible,
        aspects,
        overall,
        class,
        origin: a.origin,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct LadderView {
    pub step: u8,
    pub name: &'static str,
    pub since: Option<String>,
    pub next: Option<(u8, &'static str, &'static str)>,
    pub evidence: Vec<ladder::EvidenceItem>,
    pub gaps: usize,
}

pub fn ladder_view(index: &SiteIndex, team: DocIdx) -> Option<LadderView> {
    let KindData::Team(t) = &index.docs[team].data else {
        return None;
    };
    let adoption = t.adoption.as_ref()?;
    let evidence = index
        .figures
        .ladder_evidence
        .get(&team)
        .map(|e| ladder::evidence(adoption.step, e))
        .unwrap_or_default();
    Some(LadderView {
        step: adoption.step,
        name: ladder::step_name(adoption.step).unwrap_or(""),
        since: adoption.since.map(|d| d.to_string()),
        next: ladder::next_step(adoption.step),
        gaps: evidence.iter().filter(|e| !e.present).count(),
        evidence,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionItemView {
    pub title: String,
    pub owner: Option<String>,
    pub status: ItemStatus,
    pub due: Option<String>,
    pub link: Option<String>,
    pub overdue: bool,
    /// Days since the postmortem, for open items.
    pub age_days: Option<i64>,
    pub postmortem: Link,
}

pub fn action_items(index: &SiteIndex, i: DocIdx) -> Vec<ActionItemView> {
    let KindData::Postmortem(p) = &index.docs[i].data else {
        return Vec::new();
    };
    p.action_items
        .iter()
        .map(|a| ActionItemView {
            title: a.title.clone(),
            owner: a.owner.clone(),
            status: a.status,
            due: a.due.map(|d| d.to_string()),
            link: a.link.as_deref().map(url::neutralize).filter(|l| l != "#"),
            overdue: !a.status.is_closed() && a.due.is_some_and(|d| d < index.build_date),
            age_days: match (a.status.is_closed(), p.date) {
                (false, Some(d)) => index
                    .build_date
                    .since(d)
                    .ok()
                    .map(|s| i64::from(s.get_days())),
                _ => None,
            },
            postmortem: link(index, i),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct DurationsView {
    pub to_detect: Option<String>,
    pub to_mitigate: Option<String>,
    pub to_resolve: Option<String>,
}

pub fn durations_view(d: Option<&incident::Durations>) -> DurationsView {
    DurationsView {
        to_detect: d.and_then(|d| d.to_detect).map(duration::human),
        to_mitigate: d.and_then(|d| d.to_mitigate).map(duration::human),
        to_resolve: d.and_then(|d| d.to_resolve).map(duration::human),
    }
}

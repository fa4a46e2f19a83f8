//! Culture assessments and adoption-ladder views.
//!
//! Every culture figure here comes from `index.figures.culture`, the assessments as they passed
//! through [`culture::group_view`] (the anonymity rule), or from the domain functions that work on
//! those views. Nothing in this file reads `Assessment::scores`: a suppressed group's means never
//! reach a template, a feed, the search index or an export built from these views.

use serde::Serialize;

use super::{Link, link, link_to};
use crate::chart::{self, LineChart, RadarChart};
use crate::domain::culture::{self, GroupView, HistoryEntry, format_delta, format_mean};
use crate::domain::ladder;
use crate::index::figures::culture_figures::thresholds;
use crate::index::{DocIdx, SiteIndex};
use crate::model::*;

/// One aspect's score as shown: only ever filled for groups the anonymity rule lets through.
#[derive(Debug, Clone, Serialize)]
pub struct AspectView {
    pub key: &'static str,
    pub label: &'static str,
    pub meaning: &'static str,
    pub mean: Option<String>,
    /// Too few people answered this aspect to show it.
    pub withheld: bool,
    /// Change since the team's previous shown assessment (`+0.40`).
    pub delta: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub link: Link,
    pub team: Option<Link>,
    pub team_id: String,
    pub date: String,
    pub respondents: usize,
    /// False when the group is below `culture.min_respondents`: no score is shown anywhere.
    pub visible: bool,
    pub aspects: Vec<AspectView>,
    pub overall: Option<String>,
    pub class: Option<String>,
    pub origin: AssessmentSource,
    /// Number of aspects withheld for too few answers.
    pub withheld: usize,
    /// Date of the previous shown assessment the changes are measured from.
    pub since: Option<String>,
    /// That assessment's page (which also lets watch mode see that this view depends on it).
    pub since_url: Option<String>,
    pub overall_delta: Option<String>,
    /// The author's notes, for shown groups only (notes usually discuss the results).
    pub notes: Option<String>,
    /// Only on the assessment's own page (see [`assessment_page_view`]).
    pub radar: Option<RadarChart>,
}

/// The team's assessments (through the anonymity gate) in date order, with their changes.
fn history_of(index: &SiteIndex, team: &str) -> Vec<(DocIdx, HistoryEntry)> {
    let mut mine: Vec<(DocIdx, &GroupView)> = index
        .figures
        .culture
        .iter()
        .filter(|(_, v)| v.team == team)
        .map(|(&i, v)| (i, v))
        .collect();
    mine.sort_by_key(|(i, v)| (v.date, *i));
    let entries = culture::history(mine.iter().map(|(_, v)| (*v).clone()).collect());
    // history() keeps the (date) order of its input, and dates are unique per team.
    mine.into_iter().map(|(i, _)| i).zip(entries).collect()
}

fn view_of(index: &SiteIndex, i: DocIdx, e: &HistoryEntry) -> Option<AssessmentView> {
    let KindData::Assessment(a) = &index.docs[i].data else {
        return None;
    };
    let v = &e.view;
    let visible = v.is_shown();
    let aspects = match v.scores.filter(|_| visible) {
        Some(scores) => (0..6)
            .map(|k| AspectView {
                key: culture::ASPECTS[k],
                label: culture::aspect_label(k),
                meaning: culture::aspect_sre_meaning(k),
                mean: scores.means[k].map(format_mean),
                withheld: v.withheld[k],
                delta: e.deltas[k].map(format_delta),
            })
            .collect(),
        None => Vec::new(),
    };
    Some(AssessmentView {
        link: link(index, i),
        team: link_to(index, Kind::Team, &a.team),
        team_id: a.team.clone(),
        date: a.date.to_string(),
        respondents: v.respondents,
        visible,
        aspects,
        overall: v.overall.map(format_mean),
        class: v.class.map(|c| c.as_str().to_string()),
        origin: a.origin,
        withheld: v.withheld.iter().filter(|w| **w).count(),
        since: e.since.map(|d| d.to_string()),
        since_url: e.since.and_then(|date| {
            let (&prev, _) = index
                .figures
                .culture
                .iter()
                .find(|(_, v)| v.team == a.team && v.date == date)?;
            Some(index.url(prev))
        }),
        overall_delta: e.overall_delta.map(format_delta),
        notes: a.notes.clone().filter(|_| visible),
        radar: None,
    })
}

pub fn assessment_view(index: &SiteIndex, i: DocIdx) -> Option<AssessmentView> {
    let KindData::Assessment(a) = &index.docs[i].data else {
        return None;
    };
    history_of(index, &a.team)
        .iter()
        .find(|(j, _)| *j == i)
        .and_then(|(_, e)| view_of(index, i, e))
}

/// The assessment with its radar chart: the six aspects, the previous shown assessment of the
/// team for comparison, and the generative threshold as the target.
pub fn assessment_page_view(index: &SiteIndex, i: DocIdx) -> Option<AssessmentView> {
    let KindData::Assessment(a) = &index.docs[i].data else {
        return None;
    };
    let history = history_of(index, &a.team);
    let pos = history.iter().position(|(j, _)| *j == i)?;
    let mut view = view_of(index, i, &history[pos].1)?;
    let Some(scores) = history[pos].1.view.scores.filter(|_| view.visible) else {
        return Some(view);
    };
    let team = view.team.as_ref().map_or(a.team.as_str(), |t| &t.title);
    let mut series = vec![chart::RadarSeriesSpec {
        name: a.date.to_string(),
        class: "team".into(),
        values: scores.means.to_vec(),
    }];
    if let Some((_, prev)) = history[..pos].iter().rev().find(|(_, e)| e.view.is_shown()) {
        series.push(chart::RadarSeriesSpec {
            name: format!("{} (previous)", prev.view.date),
            class: "previous".into(),
            values: prev.view.scores.unwrap_or_default().means.to_vec(),
        });
    }
    let t = thresholds(index);
    let format = |v: f64| format_mean(v);
    view.radar = Some(chart::radar(&chart::RadarSpec {
        title: format!("{team}, {}: Westrum aspects", a.date),
        desc: format!(
            "Mean of each of the six aspects on the 1-7 scale, against the generative threshold of {}{}.",
            format_mean(t.generative_from),
            if series.len() > 1 {
                ", with the previous assessment for comparison"
            } else {
                ""
            }
        ),
        axes: (0..6)
            .map(|k| chart::RadarAxis {
                short: short_label(k).to_string(),
                name: culture::aspect_label(k).to_string(),
            })
            .collect(),
        series,
        range: (1.0, 7.0),
        rings: vec![3.0, 5.0, 7.0],
        target: Some((
            t.generative_from,
            format!("Generative from {}", format_mean(t.generative_from)),
        )),
        format: &format,
        radius: 110.0,
    }));
    Some(view)
}

/// Axis labels short enough to sit around a radar chart.
fn short_label(k: usize) -> &'static str {
    [
        "Cooperation",
        "Messengers",
        "Risks",
        "Bridging",
        "Failure",
        "Novelty",
    ]
    .get(k)
    .copied()
    .unwrap_or("")
}

/// A team's culture over time: every assessment with its changes, and a small trend chart.
#[derive(Debug, Clone, Serialize)]
pub struct TeamCultureView {
    pub team: Option<Link>,
    pub team_id: String,
    /// Oldest first.
    pub assessments: Vec<AssessmentView>,
    /// The newest assessment (which may be "not enough responses").
    pub latest: Option<AssessmentView>,
    /// The newest shown assessment, when it is not the newest one: labelled with its date.
    pub latest_shown: Option<AssessmentView>,
    pub trend: Option<LineChart>,
}

pub fn team_culture(index: &SiteIndex, team_id: &str) -> TeamCultureView {
    let history = history_of(index, team_id);
    let assessments: Vec<AssessmentView> = history
        .iter()
        .filter_map(|(i, e)| view_of(index, *i, e))
        .collect();
    let latest = assessments.last().cloned();
    let latest_shown = assessments
        .iter()
        .rev()
        .find(|a| a.visible)
        .filter(|a| {
            latest
                .as_ref()
                .is_some_and(|l| !l.visible && l.date != a.date)
        })
        .cloned();
    let team = link_to(index, Kind::Team, team_id);
    let trend = history
        .iter()
        .any(|(_, e)| e.view.overall.is_some())
        .then(|| trend_chart(index, team.as_ref().map_or(team_id, |t| &t.title), &history));
    TeamCultureView {
        team,
        team_id: team_id.to_string(),
        assessments,
        latest,
        latest_shown,
        trend,
    }
}

fn trend_chart(index: &SiteIndex, team: &str, history: &[(DocIdx, HistoryEntry)]) -> LineChart {
    let t = thresholds(index);
    let format = |v: f64| format!("{v:.1}");
    chart::line(&chart::LineSpec {
        title: format!("{team}: overall culture score over time"),
        desc: format!(
            "Overall mean of the six aspects at each assessment, on the 1-7 scale; gaps are assessments with not enough responses. Dashed lines: bureaucratic from {}, generative from {}.",
            format_mean(t.bureaucratic_from),
            format_mean(t.generative_from)
        ),
        x_labels: history
            .iter()
            .map(|(_, e)| e.view.date.to_string())
            .collect(),
        series: vec![chart::SeriesSpec {
            name: "Overall".into(),
            class: "overall".into(),
            values: history.iter().map(|(_, e)| e.view.overall).collect(),
        }],
        y_range: Some((1.0, 7.0)),
        rules: vec![
            (t.generative_from, "generative".into(), "generative".into()),
            (
                t.bureaucratic_from,
                "bureaucratic".into(),
                "bureaucratic".into(),
            ),
        ],
        marks: vec![],
        format_y: &format,
        width: 360.0,
        height: 150.0,
    })
}

/// Every team with at least one assessment, by team title.
pub fn teams_with_assessments(index: &SiteIndex) -> Vec<TeamCultureView> {
    let mut teams: Vec<String> = index
        .figures
        .culture
        .values()
        .map(|v| v.team.clone())
        .collect();
    teams.sort();
    teams.dedup();
    let mut out: Vec<TeamCultureView> = teams.iter().map(|t| team_culture(index, t)).collect();
    out.sort_by(|a, b| {
        let title = |v: &TeamCultureView| {
            v.team
                .as_ref()
                .map_or_else(|| v.team_id.to_lowercase(), |l| l.title.to_lowercase())
        };
        title(a).cmp(&title(b))
    });
    out
}

/// Organization-wide figures as shown: over each team's latest assessment, formatted. Field
/// names match [`culture::OrgSummary`] so templates can use either.
#[derive(Debug, Clone, Serialize)]
pub struct OrgCultureView {
    /// Teams whose latest assessment is shown.
    pub groups_shown: usize,
    /// Teams whose latest assessment had not enough responses.
    pub suppressed: usize,
    pub respondents: usize,
    pub pathological: usize,
    pub bureaucratic: usize,
    pub generative: usize,
    /// Per aspect: label and mean over the shown latest assessments, weighted by respondents.
    pub aspects: Vec<(String, Option<String>)>,
    pub overall: Option<String>,
    pub class: Option<String>,
}

/// The organization's distribution over the classes (and its means) at each team's latest
/// assessment; for the culture page and the home dashboard.
pub fn org_culture_view(index: &SiteIndex) -> Option<OrgCultureView> {
    let s = index.figures.org_culture.as_ref()?;
    Some(OrgCultureView {
        groups_shown: s.groups_shown,
        suppressed: s.suppressed,
        respondents: s.respondents,
        pathological: s.pathological,
        bureaucratic: s.bureaucratic,
        generative: s.generative,
        aspects: (0..6)
            .map(|k| {
                (
                    culture::aspect_label(k).to_string(),
                    s.means.means[k].map(format_mean),
                )
            })
            .collect(),
        overall: s.overall.map(format_mean),
        class: s.class.map(|c| c.as_str().to_string()),
    })
}

/// What the next step asks.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub step: u8,
    pub name: &'static str,
    pub asks: &'static str,
}

impl From<(u8, &'static str, &'static str)> for StepView {
    fn from((step, name, asks): (u8, &'static str, &'static str)) -> Self {
        StepView { step, name, asks }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LadderView {
    pub step: u8,
    pub name: &'static str,
    /// The date the team reached its step.
    pub since: Option<String>,
    pub next: Option<StepView>,
    /// Evidence for the evidence-backed steps the team has claimed (3, 5, 7, 8).
    pub evidence: Vec<ladder::EvidenceItem>,
    /// How many of those the portal cannot back up.
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
        next: ladder::next_step(adoption.step).map(StepView::from),
        gaps: evidence.iter().filter(|e| !e.present).count(),
        evidence,
    })
}

//! Westrum organizational culture: the six aspects, aggregation of survey responses, the
//! pathological / bureaucratic / generative classification, and the anonymity rule.
//!
//! Anonymity is the point of this module as much as the arithmetic: a group (team, date) with
//! fewer than `min_respondents` respondents is suppressed, and its scores must not be visible
//! anywhere, neither directly nor by comparing organization-wide figures with and without it.
//! [`Group`] and [`Response`] therefore do not implement `Serialize`; templates get
//! [`GroupView`] and [`OrgSummary`], which only carry what may be shown.

use jiff::civil::Date;
use serde::Serialize;

use super::ser;

/// The six aspects in the order of the survey csv and of every `[_; 6]` in this module.
pub const ASPECTS: [&str; 6] = [
    "cooperation",
    "messengers",
    "risks",
    "bridging",
    "failure",
    "novelty",
];

const LABELS: [&str; 6] = [
    "High cooperation",
    "Messengers are trained",
    "Risks are shared",
    "Bridging is encouraged",
    "Failure leads to inquiry",
    "Novelty is implemented",
];

const SRE_MEANINGS: [&str; 6] = [
    "Operations, development and product work together on reliability: they share the SLOs, the on-call load and the decisions about what to build next.",
    "People who bring bad news are trained, not shot: everyone knows how error budgets and on-call work, so a page or a burnt budget is raised early and heard.",
    "Risk is shared through SLIs and SLOs agreed between the service owners and their stakeholders, so nobody carries the reliability risk alone.",
    "Teams reach beyond their boundaries: SLOs are public, and the community of practice connects people who would otherwise not talk.",
    "Failure leads to a blameless inquiry: postmortems ask how the system allowed the incident, not who caused it.",
    "New ideas are put into practice: action items from postmortems are implemented and their learnings change how the teams work.",
];

/// Human label of aspect `i` ("High cooperation"); empty for an index outside 0..6.
pub fn aspect_label(i: usize) -> &'static str {
    LABELS.get(i).copied().unwrap_or("")
}

/// What aspect `i` means in SRE practice, for the culture page; empty outside 0..6.
pub fn aspect_sre_meaning(i: usize) -> &'static str {
    SRE_MEANINGS.get(i).copied().unwrap_or("")
}

/// Class boundaries on the 1-7 scale (`culture.bureaucratic_from`, `culture.generative_from`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    pub bureaucratic_from: f64,
    pub generative_from: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            bureaucratic_from: 3.0,
            generative_from: 5.0,
        }
    }
}

/// Westrum's three cultures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Pathological,
    Bureaucratic,
    Generative,
}

impl Class {
    /// The serialized spelling: `pathological`, `bureaucratic`, `generative`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Class::Pathological => "pathological",
            Class::Bureaucratic => "bureaucratic",
            Class::Generative => "generative",
        }
    }
}

/// Pathological below `bureaucratic_from`, generative from `generative_from` (inclusive),
/// bureaucratic in between. Both lower bounds are inclusive so that "from 3.0" reads as the
/// configuration says. The pathological test comes first, so misordered thresholds cannot make
/// a low score generative; a NaN overall (not produced by this module) lands in the middle.
pub fn classify(overall: f64, t: &Thresholds) -> Class {
    if overall < t.bureaucratic_from {
        Class::Pathological
    } else if overall >= t.generative_from {
        Class::Generative
    } else {
        Class::Bureaucratic
    }
}

/// One respondent's answers, 1..=7 per aspect; `None` is "prefer not to answer".
///
/// Deliberately not `Serialize`: raw responses are never copied to the output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub scores: [Option<u8>; 6],
}

/// Mean score per aspect; `None` where nobody answered.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Scores {
    pub means: [Option<f64>; 6],
}

/// What [`aggregate`] computes from a set of responses.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Aggregate {
    /// Everyone who sent a row, whatever they answered.
    pub respondents: usize,
    pub scores: Scores,
    /// How many respondents answered each aspect (the others preferred not to answer).
    pub answers: [usize; 6],
}

/// Respondent count, per-aspect means and per-aspect answer counts of a set of responses.
///
/// Each aspect's mean is over the respondents who answered it, so skipping a question does not
/// pull the mean toward zero. Everyone counts as a respondent, even with every aspect skipped:
/// they took part, and the anonymity threshold is about how many people are in the group.
/// Scores outside 1..=7 (which the loader rejects) are treated as unanswered rather than
/// skewing the mean.
pub fn aggregate(responses: &[Response]) -> Aggregate {
    let mut sums = [0u64; 6];
    let mut counts = [0u64; 6];
    for r in responses {
        for (i, s) in r.scores.iter().enumerate() {
            if let Some(s @ 1..=7) = s {
                sums[i] += u64::from(*s);
                counts[i] += 1;
            }
        }
    }
    let mut means = [None; 6];
    for (i, mean) in means.iter_mut().enumerate() {
        if counts[i] > 0 {
            *mean = Some(sums[i] as f64 / counts[i] as f64);
        }
    }
    Aggregate {
        respondents: responses.len(),
        scores: Scores { means },
        answers: counts.map(|c| c as usize),
    }
}

/// The overall score: the unweighted mean of the aspect means that are present (each aspect
/// weighs the same, as in Westrum's model); `None` when none is.
pub fn overall(scores: &Scores) -> Option<f64> {
    let present: Vec<f64> = scores.means.iter().flatten().copied().collect();
    (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
}

/// Change per aspect from `prev` to `cur` (`cur - prev`), where both are present.
pub fn deltas(prev: &Scores, cur: &Scores) -> [Option<f64>; 6] {
    let mut out = [None; 6];
    for (i, d) in out.iter_mut().enumerate() {
        if let (Some(p), Some(c)) = (prev.means[i], cur.means[i]) {
            *d = Some(c - p);
        }
    }
    out
}

/// The aggregated results of one team at one date (from a yaml assessment or a csv group).
///
/// Not `Serialize` on purpose: a suppressed group's scores must not reach a template. Use
/// [`group_view`].
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub team: String,
    pub date: Date,
    pub respondents: usize,
    pub scores: Scores,
    /// Answers per aspect when known (raw survey responses); aggregated YAML does not say.
    pub answers: Option<[usize; 6]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Shown,
    Suppressed,
}

/// Suppressed when there are fewer respondents than `min_respondents`.
pub fn visibility(respondents: usize, min_respondents: usize) -> Visibility {
    if respondents < min_respondents {
        Visibility::Suppressed
    } else {
        Visibility::Shown
    }
}

/// What a template may show of a group: everything for a shown group, only the team, date and
/// respondent count ("not enough responses") for a suppressed one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    pub team: String,
    #[serde(serialize_with = "ser::date")]
    pub date: Date,
    pub respondents: usize,
    pub visibility: Visibility,
    /// The means that may be shown: `None` for a suppressed group; within a shown group, an
    /// aspect answered by fewer than `min_respondents` people is `None` as well.
    pub scores: Option<Scores>,
    /// Aspects left out of a shown group because too few people answered them.
    pub withheld: [bool; 6],
    /// Mean of the shown aspects only, so that a withheld aspect cannot be worked out from it.
    pub overall: Option<f64>,
    pub class: Option<Class>,
}

impl GroupView {
    pub fn is_shown(&self) -> bool {
        self.visibility == Visibility::Shown
    }
}

/// The view of `g` under the anonymity rule. This is the one gate between a group's scores and
/// the output: every published culture figure is computed from `GroupView`s, never from a
/// [`Group`] directly.
///
/// The rule applies at two levels, for the same reason. A group with fewer than
/// `min_respondents` respondents shows nothing but its date and size. Within a shown group, an
/// aspect that fewer than `min_respondents` people answered (the others preferring not to) is
/// withheld too: with 5 respondents of whom only one answered "risks", that mean would be one
/// person's answer. The overall mean and the class are then computed from the remaining aspects,
/// since an overall over all six would give the withheld one away by difference.
pub fn group_view(g: &Group, min_respondents: usize, t: &Thresholds) -> GroupView {
    let visibility = visibility(g.respondents, min_respondents);
    let shown = visibility == Visibility::Shown;
    let mut scores = g.scores;
    let mut withheld = [false; 6];
    if let Some(answers) = g.answers {
        for i in 0..6 {
            if scores.means[i].is_some() && answers[i] < min_respondents {
                scores.means[i] = None;
                withheld[i] = shown;
            }
        }
    }
    let overall = overall(&scores).filter(|_| shown);
    GroupView {
        team: g.team.clone(),
        date: g.date,
        respondents: g.respondents,
        visibility,
        scores: shown.then_some(scores),
        withheld,
        overall,
        class: overall.map(|o| classify(o, t)),
    }
}

/// Organization-wide figures over the shown groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgSummary {
    /// Groups the figures are computed from.
    pub groups_shown: usize,
    /// Groups left out under the anonymity rule.
    pub suppressed: usize,
    /// Respondents of the shown groups.
    pub respondents: usize,
    /// Per-aspect means weighted by the shown groups' respondents.
    pub means: Scores,
    pub overall: Option<f64>,
    pub class: Option<Class>,
    /// Shown groups per class (a group without any score is in none).
    pub pathological: usize,
    pub bureaucratic: usize,
    pub generative: usize,
}

/// Organization-wide figures computed ONLY from groups with at least `min_respondents`.
///
/// Including suppressed groups would leak them by difference: the page shows each shown group,
/// so anyone could subtract the shown groups' weighted contributions from an organization mean
/// that included a suppressed group and recover its scores exactly. Leaving suppressed groups
/// out of every figure (means, overall, class counts, respondents) makes the output identical
/// to what it would be if those groups did not exist; only their number is reported.
///
/// Which groups to pass (e.g. [`latest_per_team`]) is the caller's choice. Aspect means weigh
/// each group by its respondents, so that the figure is a mean over people rather than teams.
pub fn organization_summary(
    groups: &[Group],
    min_respondents: usize,
    t: &Thresholds,
) -> OrgSummary {
    // Through the gate: suppressed groups and withheld aspects are gone from here on.
    let shown: Vec<(GroupView, &Group)> = groups
        .iter()
        .map(|g| (group_view(g, min_respondents, t), g))
        .filter(|(v, _)| v.is_shown())
        .collect();
    let mut sums = [0.0f64; 6];
    let mut weights = [0usize; 6];
    let (mut pathological, mut bureaucratic, mut generative) = (0, 0, 0);
    for (v, g) in &shown {
        let scores = v.scores.unwrap_or_default();
        for (i, mean) in scores.means.iter().enumerate() {
            if let Some(m) = mean.filter(|m| m.is_finite()) {
                // Weighed by the people who answered the aspect, where that is known.
                let w = g.answers.map_or(g.respondents, |a| a[i]);
                sums[i] += m * w as f64;
                weights[i] = weights[i].saturating_add(w);
            }
        }
        match v.class {
            Some(Class::Pathological) => pathological += 1,
            Some(Class::Bureaucratic) => bureaucratic += 1,
            Some(Class::Generative) => generative += 1,
            None => {}
        }
    }
    let mut means = [None; 6];
    for (i, mean) in means.iter_mut().enumerate() {
        if weights[i] > 0 {
            *mean = Some(sums[i] / weights[i] as f64);
        }
    }
    let means = Scores { means };
    let overall = overall(&means);
    OrgSummary {
        groups_shown: shown.len(),
        suppressed: groups.len() - shown.len(),
        respondents: shown
            .iter()
            .fold(0usize, |n, (v, _)| n.saturating_add(v.respondents)),
        means,
        overall,
        class: overall.map(|o| classify(o, t)),
        pathological,
        bureaucratic,
        generative,
    }
}

/// The most recent group of each team, ordered by team. On a tie (two groups of one team on
/// one date) the first in `groups` wins, so the result is deterministic.
pub fn latest_per_team(groups: &[Group]) -> Vec<&Group> {
    let mut latest: Vec<&Group> = Vec::new();
    for g in groups {
        match latest.iter_mut().find(|l| l.team == g.team) {
            Some(l) if g.date > l.date => *l = g,
            Some(_) => {}
            None => latest.push(g),
        }
    }
    latest.sort_by(|a, b| a.team.cmp(&b.team));
    latest
}

/// One assessment in a team's history, with the change since the team's previous SHOWN
/// assessment. A change against a suppressed assessment would give its scores away (the shown
/// one minus the change), so suppressed assessments are skipped as a baseline and never get a
/// change of their own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub view: GroupView,
    /// Date of the assessment the change is measured from.
    #[serde(serialize_with = "ser::opt_date")]
    pub since: Option<Date>,
    /// `current - previous` per aspect, where both are shown.
    pub deltas: [Option<f64>; 6],
    pub overall_delta: Option<f64>,
}

/// A team's assessments (already through [`group_view`]) in date order, each with its change
/// since the previous shown one. Works on views only, so it cannot see a suppressed score.
pub fn history(mut views: Vec<GroupView>) -> Vec<HistoryEntry> {
    views.sort_by_key(|v| v.date);
    let mut previous: Option<(Date, Scores, Option<f64>)> = None;
    let mut out = Vec::with_capacity(views.len());
    for view in views {
        let mut entry = HistoryEntry {
            view,
            since: None,
            deltas: [None; 6],
            overall_delta: None,
        };
        if let Some(scores) = entry.view.scores.filter(|_| entry.view.is_shown()) {
            if let Some((date, prev, prev_overall)) = &previous {
                entry.since = Some(*date);
                entry.deltas = deltas(prev, &scores);
                entry.overall_delta = prev_overall.zip(entry.view.overall).map(|(p, c)| c - p);
            }
            previous = Some((entry.view.date, scores, entry.view.overall));
        }
        out.push(entry);
    }
    out
}

/// Formats a mean on the 1-7 scale as shown everywhere in the portal (two decimals).
pub fn format_mean(v: f64) -> String {
    format!("{v:.2}")
}

/// Formats a change with its sign (`+0.40`, `-0.25`, `±0.00`), so that the direction does not
/// depend on colour.
pub fn format_delta(d: f64) -> String {
    let r = (d * 100.0).round() / 100.0;
    if r == 0.0 {
        "±0.00".to_string()
    } else if r > 0.0 {
        format!("+{r:.2}")
    } else {
        format!("−{:.2}", -r)
    }
}

#[cfg(test)]
#[path = "culture_tests.rs"]
mod tests;

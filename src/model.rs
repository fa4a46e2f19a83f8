//! The document types of each kind: what authors write, typed. No I/O here.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Pos;

/// The kinds of the content model, each with its own folder under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Team,
    Service,
    Slo,
    Postmortem,
    Session,
    Assessment,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Team,
        Kind::Service,
        Kind::Slo,
        Kind::Postmortem,
        Kind::Session,
        Kind::Assessment,
        Kind::Page,
    ];

    /// The folder under `content/` and the first URL segment.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Team => "teams",
            Kind::Service => "services",
            Kind::Slo => "slos",
            Kind::Postmortem => "postmortems",
            Kind::Session => "sessions",
            Kind::Assessment => "assessments",
            Kind::Page => "pages",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Kind::Team => "team",
            Kind::Service => "service",
            Kind::Slo => "slo",
            Kind::Postmortem => "postmortem",
            Kind::Session => "session",
            Kind::Assessment => "assessment",
            Kind::Page => "page",
        }
    }

    /// Human label for headings ("Postmortems").
    pub fn label(self) -> &'static str {
        match self {
            Kind::Team => "Teams",
            Kind::Service => "Services",
            Kind::Slo => "SLOs",
            Kind::Postmortem => "Postmortems",
            Kind::Session => "Sessions",
            Kind::Assessment => "Culture assessments",
            Kind::Page => "Pages",
        }
    }

    /// Accepts the folder name (`postmortems`) and the singular (`postmortem`), as authors write
    /// both in links.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.dir() == s || k.singular() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dir())
    }
}

/// A document's identity: its kind and its id (path below the kind folder, no extension).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DocKey {
    pub kind: Kind,
    pub id: String,
}

impl DocKey {
    pub fn new(kind: Kind, id: impl Into<String>) -> Self {
        DocKey {
            kind,
            id: id.into(),
        }
    }

    /// Parses `kind/id` as written in `related:` and `@kind/id` links.
    pub fn parse(s: &str) -> Option<DocKey> {
        let (kind, id) = s.split_once('/')?;
        let kind = Kind::parse(kind)?;
        (!id.is_empty()).then(|| DocKey::new(kind, id.trim_end_matches('/')))
    }
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.dir(), self.id)
    }
}

/// How a reference was written, for messages and for the "referenced by" lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Via {
    /// A front matter field (`services`, `team`, ...).
    Field(&'static str),
    /// A link in the markdown body.
    Link,
}

/// One reference from a document to another, with where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    pub target: DocKey,
    pub via: Via,
    pub pos: Pos,
}

/// A loaded document: common fields, the rendered body and the kind's own fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub key: DocKey,
    /// Path relative to the portal root (`content/teams/identity.md`).
    pub source: PathBuf,
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// The markdown body rendered to HTML (links already rewritten, unsafe HTML escaped).
    pub body_html: Arc<str>,
    /// The body as plain text, for search and summaries.
    pub body_text: Arc<str>,
    pub refs: Vec<Reference>,
    pub data: KindData,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum KindData {
    Team(Team),
    Service(Service),
    Slo(Slo),
    Postmortem(Postmortem),
    Session(Session),
    Assessment(Assessment),
    Page(Page),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationStep {
    pub after: String,
    pub notify: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adoption {
    pub step: u8,
    #[serde(default)]
    pub since: Option<Date>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Team {
    pub members: Vec<String>,
    pub channel: Option<String>,
    pub escalation: Vec<EscalationStep>,
    pub adoption: Option<Adoption>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Service {
    pub team: String,
    pub tier: Option<String>,
    pub depends_on: Vec<String>,
    pub runbook: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SliType {
    Availability,
    Latency,
    Freshness,
    Correctness,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sli {
    #[serde(rename = "type")]
    pub sli_type: SliType,
    #[serde(default)]
    pub description: Option<String>,
}

/// One day of SLI measurements (`date,good,total`): the domain's type, so the loader's rows go
/// to the SLO math without a copy.
pub use crate::domain::slo::Measurement;

/// An OpenSLO SLO as written, typed for display.
pub use crate::load::openslo::types::OpenSlo;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Slo {
    pub service: String,
    pub objective: f64,
    pub window: String,
    pub sli: Option<Sli>,
    pub sla: Option<f64>,
    pub error_budget_policy: Option<String>,
    /// The measurements file, relative to the portal root, when there is one.
    pub measurements_file: Option<PathBuf>,
    /// Not in template contexts (`view.fm`): pages show the figures and charts made from them,
    /// and a year of days copied into every SLO page's context was a tenth of its cost.
    #[serde(skip)]
    pub measurements: Vec<Measurement>,
    /// The csv line of each measurement, for diagnostics about a day.
    #[serde(skip)]
    pub measurement_lines: Vec<usize>,
    /// What an OpenSLO file said (references resolved), shown on the SLO page.
    pub openslo: Option<Box<OpenSlo>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PostmortemStatus {
    Draft,
    InReview,
    #[default]
    Published,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    #[default]
    Open,
    InProgress,
    Done,
    Wontfix,
}

impl ItemStatus {
    /// Done and won't-fix items are closed: they never count as overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::Wontfix)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItem {
    /// Defaulted so that a missing title is reported as such, with the item's position.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub status: ItemStatus,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub link: Option<String>,
    /// Where the item is written, for diagnostics about it (overdue).
    #[serde(skip)]
    pub pos: Option<Pos>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Postmortem {
    pub date: Option<Date>,
    pub severity: String,
    pub status: PostmortemStatus,
    pub services: Vec<String>,
    pub teams: Vec<String>,
    pub slos: Vec<String>,
    pub authors: Vec<String>,
    pub started_at: Option<Timestamp>,
    pub detected_at: Option<Timestamp>,
    pub mitigated_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// The UTC offsets (seconds) the four timestamps were written with, to show them as authored.
    pub time_offsets: [Option<i32>; 4],
    pub impact: Option<String>,
    pub trigger: Option<String>,
    pub root_causes: Vec<String>,
    pub action_items: Vec<ActionItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Session {
    pub date: Option<Date>,
    pub speakers: Vec<String>,
    pub teams: Vec<String>,
    pub related: Vec<String>,
    pub slides: Option<String>,
    pub recording: Option<String>,
    pub location: Option<String>,
}

/// Westrum aspect means on the 1-7 scale, in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct AspectScores {
    pub cooperation: Option<f64>,
    pub messengers: Option<f64>,
    pub risks: Option<f64>,
    pub bridging: Option<f64>,
    pub failure: Option<f64>,
    pub novelty: Option<f64>,
}

impl AspectScores {
    pub fn as_array(&self) -> [Option<f64>; 6] {
        [
            self.cooperation,
            self.messengers,
            self.risks,
            self.bridging,
            self.failure,
            self.novelty,
        ]
    }

    pub fn from_array(a: [Option<f64>; 6]) -> Self {
        AspectScores {
            cooperation: a[0],
            messengers: a[1],
            risks: a[2],
            bridging: a[3],
            failure: a[4],
            novelty: a[5],
        }
    }
}

/// Where an assessment's figures came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentSource {
    /// Aggregated results written as YAML.
    Aggregated,
    /// Raw survey responses aggregated at build time (never copied to the output).
    Survey,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub team: String,
    pub date: Date,
    pub respondents: usize,
    /// The scores as read; templates must go through the anonymity rule, never read these directly.
    #[serde(skip)]
    pub scores: AspectScores,
    /// Per aspect, how many respondents answered (raw survey only; aggregated YAML does not say).
    #[serde(skip)]
    pub answers: Option<[usize; 6]>,
    pub notes: Option<String>,
    pub origin: AssessmentSource,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Page {
    pub weight: Option<i64>,
    pub menu: bool,
}

//! One markdown document: front matter fields per kind, and its body.

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;

use super::fields::{Fields, Schema};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos};
use crate::markdown::{self, MarkdownOptions};
use crate::model::*;
use crate::yaml::{Mapping, Spans};

const COMMON: [&str; 4] = ["title", "summary", "tags", "draft"];

macro_rules! schema {
    ([$($f:literal),*], {$($p:literal: [$($n:literal),*]),*}) => {
        Schema {
            fields: &["title", "summary", "tags", "draft", $($f),*],
            nested: &[$(($p, &[$($n),*])),*],
        }
    };
}

pub const TEAM: Schema = schema!(
    ["members", "channel", "escalation", "adoption"],
    {"escalation": ["after", "notify"], "adoption": ["step", "since"]}
);
pub const SERVICE: Schema = schema!(["team", "tier", "depends_on", "runbook"], {});
pub const SLO: Schema = schema!(
    ["service", "objective", "window", "sli", "sla", "error_budget_policy", "measurements"],
    {"sli": ["type", "description"]}
);
pub const POSTMORTEM: Schema = schema!(
    ["date", "severity", "status", "services", "teams", "slos", "authors", "started_at",
     "detected_at", "mitigated_at", "resolved_at", "impact", "trigger", "root_causes", "action_items"],
    {"action_items": ["title", "owner", "status", "due", "link"]}
);
pub const SESSION: Schema = schema!(
    [
        "date",
        "speakers",
        "teams",
        "related",
        "slides",
        "recording",
        "location"
    ],
    {}
);
pub const PAGE: Schema = schema!(["weight", "menu"], {});

/// Everything a loader needs besides the file.
pub struct DocOptions<'a> {
    pub config: &'a Config,
    pub markdown: MarkdownOptions<'a>,
}

/// Parses a markdown document of `kind` whose normalized text is `text`. Returns the document
/// when it is usable (possibly with warnings) and every diagnostic found.
pub fn parse(
    kind: Kind,
    id: &str,
    file: &Path,
    text: &str,
    opts: &DocOptions,
) -> (Option<Document>, Vec<Diagnostic>) {
    let split = match super::frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::error(file, e.code, e.message)
                .at(e.pos.line, e.pos.column)
                .with_help(e.help);
            return (None, vec![d]);
        }
    };
    let line_offset = split.yaml_line - 1;
    let map = match Mapping::parse(split.yaml) {
        Ok(m) => m,
        Err(e) => {
            let shift = |p: Pos| Pos::new(p.line + line_offset, p.column);
            let pos = e.pos.map(shift);
            let context = e
                .context_pos
                .map(shift)
                .map(|c| format!(" (it started at line {}, column {})", c.line, c.column))
                .unwrap_or_default();
            let d = Diagnostic::error(file, "yaml-syntax", format!("front matter: {}{context}", e.message))
                .at_pos(pos.or(Some(Pos::new(1, 1))))
                .with_help("front matter is YAML: `field: value` lines, lists as `- item` or `[a, b]`, no tabs");
            return (None, vec![d]);
        }
    };
    let mut f = Fields::new(map, split.yaml, line_offset, file, Pos::new(1, 1));

    let title: Option<String> = f.req("title");
    let summary: Option<String> = f.opt("summary");
    let tags: Vec<String> = f.list("tags");
    let draft: bool = f.opt("draft").unwrap_or(false);

    let (data, schema) = match kind {
        Kind::Team => (KindData::Team(team(&mut f)), &TEAM),
        Kind::Service => (KindData::Service(service(&mut f)), &SERVICE),
        Kind::Slo => (KindData::Slo(slo(&mut f, file)), &SLO),
        Kind::Postmortem => (
            KindData::Postmortem(postmortem(&mut f, opts.config)),
            &POSTMORTEM,
        ),
        Kind::Session => (KindData::Session(session(&mut f)), &SESSION),
        Kind::Page => (
            KindData::Page(Page {
                weight: f.opt("weight"),
                menu: f.opt("menu").unwrap_or(false),
            }),
            &PAGE,
        ),
        Kind::Assessment => unreachable!("assessments are YAML or CSV files, not markdown"),
    };
    debug_assert!(COMMON.iter().all(|c| schema.fields.contains(c)));

    let source_dir = file
        .strip_prefix("content")
        .ok()
        .and_then(Path::parent)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let rendered = markdown::render(split.body, &source_dir, &opts.markdown);
    let body_pos = |p: Pos| Pos::new(p.line + split.body_line - 1, p.column);
    for bad in &rendered.bad_links {
        f.diags.push(
            Diagnostic::error(file, "bad-link", bad.message.clone())
                .at_pos(Some(body_pos(bad.pos)))
                .with_help("write document links as `[text](@kind/id)`, e.g. `(@services/login)`"),
        );
    }
    for link in &rendered.links {
        f.refs.push(Reference {
            target: link.target.clone(),
            via: Via::Link,
            pos: body_pos(link.pos),
        });
    }

    if kind == Kind::Postmortem {
        let lint = BlamelessText {
            yaml: split.yaml,
            yaml_lines: line_offset,
            body: split.body,
            body_lines: split.body_line - 1,
        };
        let found = blameless_warnings(&lint, f.spans(), file, opts.config);
        f.diags.extend(found);
    }
    let (diags, refs) = f.finish(schema);
    let has_error = diags.iter().any(Diagnostic::is_error);
    let doc = match (title, has_error) {
        (Some(title), false) => Some(Document {
            key: DocKey::new(kind, id),
            source: file.to_path_buf(),
            title,
            summary,
            tags,
            draft,
            body_html: rendered.html.into(),
            body_text: rendered.text.into(),
            refs,
            data,
        }),
        _ => None,
    };
    (doc, diags)
}

fn team(f: &mut Fields) -> Team {
    let adoption: Option<Adoption> = f.opt("adoption");
    if let Some(a) = &adoption
        && !(1..=10).contains(&a.step)
    {
        f.error(
            "adoption.step",
            "out-of-range",
            format!("adoption step {} is not between 1 and 10", a.step),
        );
    }
    Team {
        members: f.list("members"),
        channel: f.opt("channel"),
        escalation: f.list("escalation"),
        adoption,
    }
}

fn service(f: &mut Fields) -> Service {
    Service {
        team: f.reference("team", Kind::Team, true).unwrap_or_default(),
        tier: f.opt::<serde_yaml_scalar::Scalar>("tier").map(|s| s.0),
        depends_on: f.references("depends_on", Kind::Service),
        runbook: f.opt("runbook"),
    }
}

/// Accepts a string or a number where authors write either (`tier: 1` or `tier: tier-1`).
mod serde_yaml_scalar {
    pub struct Scalar(pub String);
    impl<'de> serde::Deserialize<'de> for Scalar {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(serde::Deserialize)]
            #[serde(untagged)]
            enum Either {
                S(String),
                I(i64),
                F(f64),
            }
            Ok(Scalar(
                match <Either as serde::Deserialize>::deserialize(d)? {
                    Either::S(s) => s,
                    Either::I(i) => i.to_string(),
                    Either::F(x) => x.to_string(),
                },
            ))
        }
    }
}

fn percent(f: &mut Fields, key: &str) -> Option<f64> {
    let v: f64 = f.opt(key)?;
    if !(v > 0.0 && v < 100.0) {
        f.error(
            key,
            "out-of-range",
            format!("`{key}` is {v}, but must be a percentage between 0 and 100 (exclusive)"),
        )
        .help = Some("write the target in percent, e.g. `99.9`".into());
        return None;
    }
    Some(v)
}

fn slo(f: &mut Fields, file: &Path) -> Slo {
    let service = f
        .reference("service", Kind::Service, true)
        .unwrap_or_default();
    if !f.has("objective") {
        f.req::<f64>("objective");
    }
    let objective = percent(f, "objective").unwrap_or(0.0);
    let window: String = f.req("window").unwrap_or_default();
    if !window.is_empty()
        && let Err(msg) = crate::domain::slo::parse_window(&window)
    {
        f.error("window", "invalid-window", msg);
    }
    let sla = percent(f, "sla");
    if let Some(s) = sla
        && s > objective
        && objective > 0.0
    {
        f.error(
            "sla",
            "invalid-value",
            format!("the SLA ({s}%) is above the objective ({objective}%)"),
        )
        .help = Some(
            "an SLA is the contractual promise, set at or below the internal objective".into(),
        );
    }
    let measurements = f.opt::<String>("measurements").map(|m| {
        let dir = file.parent().unwrap_or(Path::new(""));
        normalize_path(&dir.join(m))
    });
    Slo {
        service,
        objective,
        window,
        sli: f.opt("sli"),
        sla,
        error_budget_policy: f.reference("error_budget_policy", Kind::Page, false),
        measurements_file: measurements,
        measurements: Vec::new(),
        measurement_lines: Vec::new(),
        openslo: None,
    }
}

/// Resolves `.` and `..` without touching the file system.
pub fn normalize_path(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn postmortem(f: &mut Fields, config: &Config) -> Postmortem {
    let date: Option<Date> = f.req("date");
    let severity: String = f.req("severity").unwrap_or_default();
    if !severity.is_empty() && config.severity_rank(&severity).is_none() {
        let ids: Vec<&str> = config.severities.iter().map(|s| s.id.as_str()).collect();
        let help = match crate::suggest::nearest(&severity, ids.iter().copied()) {
            Some(n) => format!(
                "did you mean `{n}`? severities are set in sitrep.yaml: {}",
                ids.join(", ")
            ),
            None => format!("severities are set in sitrep.yaml: {}", ids.join(", ")),
        };
        f.error(
            "severity",
            "unknown-severity",
            format!("unknown severity `{severity}`"),
        )
        .help = Some(help);
    }
    let time_keys = ["started_at", "detected_at", "mitigated_at", "resolved_at"];
    let times: [Option<Timestamp>; 4] = time_keys.map(|k| f.opt(k));
    let mut time_offsets = [None; 4];
    for (slot, (key, at)) in time_offsets.iter_mut().zip(time_keys.iter().zip(times)) {
        if at.is_some() {
            *slot = f
                .opt::<String>(key)
                .and_then(|s| crate::domain::incident::written_offset(&s));
        }
    }
    let order = crate::domain::incident::IncidentTimes {
        started_at: times[0],
        detected_at: times[1],
        mitigated_at: times[2],
        resolved_at: times[3],
    };
    for (later, earlier) in crate::domain::incident::order_violations(&order) {
        f.error(later, "timestamps-out-of-order", format!("`{later}` is before `{earlier}`"))
            .help = Some("incident times go started_at <= detected_at <= mitigated_at <= resolved_at; check the offsets too".into());
    }
    let mut items: Vec<ActionItem> = f.list("action_items");
    for (i, item) in items.iter_mut().enumerate() {
        item.pos = f.pos(&format!("action_items.{i}"));
    }
    for (i, item) in items.iter().enumerate() {
        if item.title.trim().is_empty() {
            f.error(
                &format!("action_items.{i}.title"),
                "missing-field",
                "action item without a title",
            );
        }
        if let Some(link) = &item.link
            && crate::url::neutralize(link) == "#"
        {
            f.warning(
                &format!("action_items.{i}.link"),
                "unsafe-url",
                "this link's scheme is not allowed and will not be linked",
            );
        }
    }
    Postmortem {
        date,
        severity,
        status: f.opt("status").unwrap_or_default(),
        services: f.references("services", Kind::Service),
        teams: f.references("teams", Kind::Team),
        slos: f.references("slos", Kind::Slo),
        authors: f.list("authors"),
        started_at: times[0],
        detected_at: times[1],
        mitigated_at: times[2],
        resolved_at: times[3],
        time_offsets,
        impact: f.opt("impact"),
        trigger: f.opt("trigger"),
        root_causes: f.list("root_causes"),
        action_items: items,
    }
}

fn session(f: &mut Fields) -> Session {
    Session {
        date: f.req("date"),
        speakers: f.list("speakers"),
        teams: f.references("teams", Kind::Team),
        related: f.typed_references("related"),
        slides: f.opt("slides"),
        recording: f.opt("recording"),
        location: f.opt("location"),
    }
}

/// The texts of a postmortem the blameless-language check reads, with the number of file lines
/// before each (so positions are the file's).
struct BlamelessText<'a> {
    yaml: &'a str,
    yaml_lines: usize,
    body: &'a str,
    body_lines: usize,
}

/// A warning for each blaming phrase in the front matter (any field: impact, trigger, root causes,
/// action items...) or the body of a postmortem.
fn blameless_warnings(
    text: &BlamelessText,
    spans: &Spans,
    file: &Path,
    config: &Config,
) -> Vec<Diagnostic> {
    use crate::domain::blameless;
    let phrases = blameless::phrases(&config.postmortems.blaming_phrases);
    let mut out = Vec::new();
    let mut warn = |f: &blameless::Finding, pos: Pos, place: String| {
        let p = &phrases[f.phrase];
        out.push(
            Diagnostic::warning(
                file,
                "blaming-language",
                format!(
                    "\"{}\" {place} blames a person rather than describing the system",
                    f.matched
                ),
            )
            .at_pos(Some(pos))
            .with_help(format!(
                "blameless postmortems look at systems, not people: {}",
                p.suggestion
            )),
        );
    };
    for f in blameless::find(text.yaml, &phrases) {
        let pos = Pos::new(f.pos.line + text.yaml_lines, f.pos.column);
        // The field is the last key written before the phrase.
        let field = spans
            .key_paths()
            .filter_map(|k| spans.key(k).map(|p| (p, k)))
            .filter(|(p, _)| *p <= pos)
            .max_by_key(|(p, _)| *p)
            .map(|(_, k)| k.to_string());
        let place = field.map_or_else(
            || "in the front matter".to_string(),
            |k| format!("in `{k}`"),
        );
        warn(&f, pos, place);
    }
    for f in blameless::find(text.body, &phrases) {
        let pos = Pos::new(f.pos.line + text.body_lines, f.pos.column);
        warn(&f, pos, "in the text".to_string());
    }
    out
}

//! OpenSLO v1 input: `kind: SLO` documents become portal SLOs (id = `metadata.name`); the other
//! kinds (Service, SLI, AlertPolicy, AlertCondition, DataSource) are accepted alongside.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::*;
use crate::yaml::{self, Spans, Value};

const KNOWN_KINDS: [&str; 6] = [
    "SLO",
    "SLI",
    "Service",
    "AlertPolicy",
    "AlertCondition",
    "DataSource",
];

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}

/// Loads every document of an OpenSLO file.
pub fn load(file: &Path, text: &str) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let values = match yaml::documents(text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::error(file, "yaml-syntax", e.message)
                    .at_pos(e.pos.or(Some(Pos::new(1, 1)))),
            );
            return (Vec::new(), diags);
        }
    };
    let spans = Spans::of_documents(text);
    let mut docs = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let sp = spans.get(i).cloned().unwrap_or_default();
        let at = |path: &str| sp.value(path).or(Some(Pos::new(1, 1)));
        if str_at(value, &["apiVersion"]) != Some("openslo/v1") {
            diags.push(
                Diagnostic::error(
                    file,
                    "openslo-version",
                    "not an OpenSLO v1 document (`apiVersion: openslo/v1` expected)",
                )
                .at_pos(at("apiVersion")),
            );
            continue;
        }
        let kind = str_at(value, &["kind"]).unwrap_or("");
        if !KNOWN_KINDS.contains(&kind) {
            let help = crate::suggest::nearest(kind, KNOWN_KINDS)
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("OpenSLO v1 kinds: {}", KNOWN_KINDS.join(", ")));
            diags.push(
                Diagnostic::error(
                    file,
                    "openslo-kind",
                    format!("unknown OpenSLO kind `{kind}`"),
                )
                .at_pos(at("kind"))
                .with_help(help),
            );
            continue;
        }
        if kind != "SLO" {
            continue;
        }
        let Some(name) = str_at(value, &["metadata", "name"]) else {
            diags.push(
                Diagnostic::error(
                    file,
                    "missing-field",
                    "an OpenSLO SLO needs `metadata.name`",
                )
                .at_pos(at("metadata")),
            );
            continue;
        };
        let title = str_at(value, &["metadata", "displayName"])
            .unwrap_or(name)
            .to_string();
        let service = str_at(value, &["spec", "service"])
            .unwrap_or("")
            .to_string();
        let objective = value
            .get("spec")
            .and_then(|s| s.get("objectives"))
            .and_then(|o| o.get(0))
            .and_then(|o| {
                o.get("targetPercent")
                    .and_then(Value::as_f64)
                    .or_else(|| o.get("target").and_then(Value::as_f64).map(|t| t * 100.0))
            })
            .unwrap_or(0.0);
        let tw = value
            .get("spec")
            .and_then(|s| s.get("timeWindow"))
            .and_then(|t| t.get(0));
        let duration = tw
            .and_then(|t| t.get("duration"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let window = if duration == "1M"
            || (tw.is_some_and(|t| t.get("calendar").is_some()) && duration.ends_with('M'))
        {
            "calendar-month".to_string()
        } else {
            duration.to_string()
        };
        let refs = vec![Reference {
            target: DocKey::new(Kind::Service, service.clone()),
            via: Via::Field("service"),
            pos: sp.value("spec.service").unwrap_or(Pos::new(1, 1)),
        }];
        docs.push(Document {
            key: DocKey::new(Kind::Slo, name),
            source: file.to_path_buf(),
            title,
            summary: str_at(value, &["spec", "description"]).map(str::to_string),
            tags: Vec::new(),
            draft: false,
            body_html: String::new(),
            body_text: String::new(),
            refs,
            data: KindData::Slo(Slo {
                service,
                objective,
                window,
                sli: None,
                sla: None,
                error_budget_policy: None,
                measurements_file: None,
                measurements: Vec::new(),
                openslo: serde_json::to_value(value).ok(),
            }),
        });
    }
    (docs, diags)
}

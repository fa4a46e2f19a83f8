//! OpenSLO v1 input: every `.yaml` file under `content/slos/` holds one or many OpenSLO
//! documents of the kinds SLO, SLI, Service, AlertPolicy, AlertCondition, AlertNotificationTarget
//! and DataSource.
//!
//! Loading has two steps. [`parse`] reads one file on its own (kinds, required fields, targets in
//! range, durations), keeping references by name. [`resolve`] then looks every `indicatorRef`,
//! `alertPolicyRef`, `conditionRef` and `targetRef` up across all files of the portal, so that an
//! SLO may name an SLI kept in another file, and turns each SLO into a portal SLO whose id is its
//! `metadata.name`. An OpenSLO Service becomes a portal service unless `content/services/`
//! already has one with that id. The SLO's `spec.service` is a reference to a portal service, so
//! a dangling one is reported by the index like any other broken reference.

mod alerts;
mod ctx;
mod read;
pub mod types;
mod window;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::*;
use crate::yaml::{self, Spans, Value};

use read::{Ctx, PolicyDraft, SloDraft, Slot};
use types::*;

const KNOWN_KINDS: [&str; 7] = [
    "SLO",
    "SLI",
    "Service",
    "AlertPolicy",
    "AlertCondition",
    "AlertNotificationTarget",
    "DataSource",
];

/// A named top-level object and where its name is written.
#[derive(Debug, Clone)]
struct Named<T> {
    name: String,
    file: PathBuf,
    pos: Pos,
    value: T,
}

/// A service declared in OpenSLO.
#[derive(Debug, Clone)]
struct ServiceDecl {
    title: Option<String>,
    description: Option<String>,
}

/// One OpenSLO file, read but not yet resolved against the others.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    slos: Vec<(PathBuf, SloDraft)>,
    failed: Vec<DocKey>,
    slis: Vec<Named<Indicator>>,
    policies: Vec<Named<PolicyDraft>>,
    conditions: Vec<Named<AlertCondition>>,
    targets: Vec<Named<NotificationTarget>>,
    services: Vec<Named<ServiceDecl>>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}

/// Reads every document of an OpenSLO file.
pub fn parse(file: &Path, text: &str) -> (Parsed, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Parsed::default();
    let values = match yaml::documents(text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::error(file, "yaml-syntax", e.message)
                    .at_pos(e.pos.or(Some(Pos::new(1, 1)))),
            );
            return (out, diags);
        }
    };
    let spans = Spans::of_documents(text);
    for (i, value) in values.iter().enumerate() {
        let sp = spans.get(i).cloned().unwrap_or_default();
        let mut ctx = Ctx {
            file,
            spans: &sp,
            diags: &mut diags,
            errors: 0,
        };
        if !matches!(value, Value::Mapping(_)) {
            ctx.error(
                "",
                "openslo-version",
                "an OpenSLO document is a mapping with `apiVersion`, `kind`, `metadata` and `spec`"
                    .into(),
                "",
            );
            continue;
        }
        if str_at(value, &["apiVersion"]) != Some("openslo/v1") {
            ctx.error(
                "apiVersion",
                "openslo-version",
                "not an OpenSLO v1 document (`apiVersion: openslo/v1` expected)".into(),
                "",
            );
            continue;
        }
        let kind = str_at(value, &["kind"]).unwrap_or("");
        if !KNOWN_KINDS.contains(&kind) {
            let help = crate::suggest::nearest(kind, KNOWN_KINDS)
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("OpenSLO v1 kinds: {}", KNOWN_KINDS.join(", ")));
            ctx.error(
                "kind",
                "openslo-kind",
                format!("unknown OpenSLO kind `{kind}`"),
                &help,
            );
            continue;
        }
        let named = |ctx: &Ctx, name: &str| (name.to_string(), ctx.pos("metadata.name"));
        match kind {
            "SLO" => match ctx.slo(value) {
                // Kept even with errors, so its references are checked in the same run.
                Some(d) => out.slos.push((file.to_path_buf(), d)),
                None => {
                    if let Some(n) = str_at(value, &["metadata", "name"]) {
                        out.failed.push(DocKey::new(Kind::Slo, n));
                    }
                }
            },
            "SLI" => {
                if let Some(ind) = ctx.indicator(value, "") {
                    let (name, pos) = named(&ctx, &ind.name);
                    out.slis.push(Named {
                        name,
                        file: file.into(),
                        pos,
                        value: ind,
                    });
                }
            }
            "AlertPolicy" => {
                if let Some(p) = ctx.policy(value, "") {
                    let (name, pos) = named(&ctx, &p.policy.name);
                    out.policies.push(Named {
                        name,
                        file: file.into(),
                        pos,
                        value: p,
                    });
                }
            }
            "AlertCondition" => {
                if let Some(c) = ctx.condition(value, "") {
                    let (name, pos) = named(&ctx, &c.name);
                    out.conditions.push(Named {
                        name,
                        file: file.into(),
                        pos,
                        value: c,
                    });
                }
            }
            "AlertNotificationTarget" => {
                if let Some(t) = ctx.target(value, "") {
                    let (name, pos) = named(&ctx, &t.name);
                    out.targets.push(Named {
                        name,
                        file: file.into(),
                        pos,
                        value: t,
                    });
                }
            }
            "Service" => {
                if let Some((name, title)) = ctx.metadata(value, "") {
                    let description = str_at(value, &["spec", "description"]).map(str::to_string);
                    let pos = ctx.pos("metadata.name");
                    out.services.push(Named {
                        name,
                        file: file.into(),
                        pos,
                        value: ServiceDecl { title, description },
                    });
                }
            }
            // A DataSource says how to reach a metrics backend; sitrep reads committed
            // measurements instead, so it only checks that it is well formed.
            _ => {
                ctx.metadata(value, "");
            }
        }
    }
    (out, diags)
}

/// What resolving every OpenSLO file produced.
#[derive(Debug, Default)]
pub struct Resolved {
    pub docs: Vec<Document>,
    /// SLOs that exist but had errors, so references to them are not reported again.
    pub failed: Vec<DocKey>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Objects of one kind by name; a second definition of a name is an error.
struct Registry<'a, T> {
    what: &'static str,
    by_name: HashMap<&'a str, &'a Named<T>>,
}

impl<'a, T> Registry<'a, T> {
    fn new(
        what: &'static str,
        items: impl Iterator<Item = &'a Named<T>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut by_name: HashMap<&'a str, &'a Named<T>> = HashMap::new();
        for n in items {
            if let Some(first) = by_name.get(n.name.as_str()) {
                diags.push(
                    Diagnostic::error(
                        &n.file,
                        "duplicate-id",
                        format!(
                            "OpenSLO {what} `{}` is already defined in {}:{}",
                            n.name,
                            first.file.display(),
                            first.pos.line
                        ),
                    )
                    .at_pos(Some(n.pos))
                    .with_help(format!("{what} names are unique across content/slos/")),
                );
            } else {
                by_name.insert(&n.name, n);
            }
        }
        Registry { what, by_name }
    }

    /// The object `slot` names, or an error at the reference.
    fn get(
        &self,
        file: &Path,
        field: &str,
        name: &str,
        pos: Pos,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'a T> {
        if let Some(n) = self.by_name.get(name) {
            return Some(&n.value);
        }
        let help = match crate::suggest::nearest(name, self.by_name.keys().copied()) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!(
                "define it in any .yaml file under content/slos/ as a document with `kind: {}`",
                self.what
            ),
        };
        diags.push(
            Diagnostic::error(
                file,
                "broken-reference",
                format!(
                    "`{field}` points to {} `{name}`, which does not exist",
                    self.what
                ),
            )
            .at_pos(Some(pos))
            .with_help(help),
        );
        None
    }
}

/// Looks up references across all files and builds the portal documents.
pub fn resolve(files: &[Parsed]) -> Resolved {
    let mut out = Resolved::default();
    let diags = &mut out.diagnostics;
    let slis = Registry::new("SLI", files.iter().flat_map(|f| &f.slis), diags);
    let policies = Registry::new("AlertPolicy", files.iter().flat_map(|f| &f.policies), diags);
    let conditions = Registry::new(
        "AlertCondition",
        files.iter().flat_map(|f| &f.conditions),
        diags,
    );
    let targets = Registry::new(
        "AlertNotificationTarget",
        files.iter().flat_map(|f| &f.targets),
        diags,
    );

    let policy =
        |file: &Path, d: &PolicyDraft, diags: &mut Vec<Diagnostic>| -> Option<AlertPolicy> {
            let mut p = d.policy.clone();
            let mut ok = true;
            for c in &d.conditions {
                match c {
                    Slot::Inline(c) => p.conditions.push(c.clone()),
                    Slot::Ref { name, pos } => {
                        match conditions.get(file, "conditionRef", name, *pos, diags) {
                            Some(c) => p.conditions.push(c.clone()),
                            None => ok = false,
                        }
                    }
                }
            }
            for t in &d.targets {
                match t {
                    Slot::Inline(t) => p.targets.push(t.clone()),
                    Slot::Ref { name, pos } => {
                        match targets.get(file, "targetRef", name, *pos, diags) {
                            Some(t) => p.targets.push(t.clone()),
                            None => ok = false,
                        }
                    }
                }
            }
            ok.then_some(p)
        };

    // Top-level policies are checked once, even when no SLO uses them.
    let mut resolved_policies: HashMap<&str, Option<AlertPolicy>> = HashMap::new();
    for f in files {
        for n in &f.policies {
            let p = policy(&n.file, &n.value, diags);
            resolved_policies.entry(n.name.as_str()).or_insert(p);
        }
    }

    for f in files {
        out.failed.extend(f.failed.iter().cloned());
        for (file, d) in &f.slos {
            let mut ok = d.ok;
            let mut open = d.openslo.clone();
            match &d.indicator {
                Some(Slot::Inline(i)) => open.indicator = Some(i.clone()),
                Some(Slot::Ref { name, pos }) => {
                    open.indicator_ref = Some(name.clone());
                    match slis.get(file, "indicatorRef", name, *pos, diags) {
                        Some(i) => open.indicator = Some(i.clone()),
                        None => ok = false,
                    }
                }
                None => {}
            }
            for p in &d.policies {
                match p {
                    Slot::Inline(draft) => match policy(file, draft, diags) {
                        Some(p) => open.alert_policies.push(p),
                        None => ok = false,
                    },
                    Slot::Ref { name, pos } => {
                        if policies
                            .get(file, "alertPolicyRef", name, *pos, diags)
                            .is_none()
                        {
                            ok = false;
                            continue;
                        }
                        match resolved_policies.get(name.as_str()).cloned().flatten() {
                            Some(mut p) => {
                                p.via_ref = true;
                                open.alert_policies.push(p);
                            }
                            // Its own errors are already reported.
                            None => ok = false,
                        }
                    }
                }
            }
            let key = DocKey::new(Kind::Slo, d.name.clone());
            if !ok {
                out.failed.push(key);
                continue;
            }
            out.docs.push(slo_document(file, key, d, open));
        }
        for s in &f.services {
            out.docs.push(Document {
                key: DocKey::new(Kind::Service, s.name.clone()),
                source: s.file.clone(),
                title: s.value.title.clone().unwrap_or_else(|| s.name.clone()),
                summary: s.value.description.clone(),
                tags: Vec::new(),
                draft: false,
                body_html: Arc::from(""),
                body_text: Arc::from(""),
                refs: Vec::new(),
                data: KindData::Service(Service::default()),
            });
        }
    }
    out
}

fn slo_document(file: &Path, key: DocKey, d: &SloDraft, open: OpenSlo) -> Document {
    let mut refs = vec![Reference {
        target: DocKey::new(Kind::Service, d.service.clone()),
        via: Via::Field("service"),
        pos: d.service_pos,
    }];
    if let Some((page, pos)) = &d.error_budget_policy {
        refs.push(Reference {
            target: DocKey::new(Kind::Page, page.clone()),
            via: Via::Field("error_budget_policy"),
            pos: *pos,
        });
    }
    Document {
        key,
        source: file.to_path_buf(),
        title: d.title.clone(),
        summary: d.summary.clone(),
        tags: Vec::new(),
        draft: false,
        body_html: Arc::from(""),
        body_text: Arc::from(""),
        refs,
        data: KindData::Slo(Slo {
            service: d.service.clone(),
            objective: d.objective,
            window: d.window.clone(),
            sli: None,
            sla: d.sla,
            error_budget_policy: d.error_budget_policy.as_ref().map(|p| p.0.clone()),
            measurements_file: None,
            measurements: Vec::new(),
            measurement_lines: Vec::new(),
            openslo: Some(Box::new(open)),
        }),
    }
}

/// True for a document that came from an OpenSLO file (a `.yaml` under `content/slos/`).
pub fn is_openslo(doc: &Document) -> bool {
    doc.source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        && doc
            .source
            .starts_with(Path::new(crate::load::CONTENT_DIR).join("slos"))
}

#[cfg(test)]
mod tests;

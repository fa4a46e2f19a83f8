//! Reading the fields of an OpenSLO object: typed values at a YAML path, with every problem
//! reported as a diagnostic at the value's line and column. [`super::read`] builds the objects
//! from these.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};
use crate::yaml::{Spans, Value};

use super::window;

/// Where diagnostics go, and where values are in the file.
pub struct Ctx<'a> {
    pub file: &'a Path,
    pub spans: &'a Spans,
    pub diags: &'a mut Vec<Diagnostic>,
    pub errors: usize,
}

pub(super) fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.get(key).filter(|x| !x.is_null())
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A scalar as text, for showing a metric source's spec.
pub(super) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => crate::yaml::to_string(other).trim().to_string(),
    }
}

impl Ctx<'_> {
    pub fn pos(&self, path: &str) -> Pos {
        self.spans.value(path).unwrap_or(Pos::new(1, 1))
    }

    pub fn error(&mut self, path: &str, code: &'static str, msg: String, help: &str) {
        self.errors += 1;
        let mut d = Diagnostic::error(self.file, code, msg).at_pos(Some(self.pos(path)));
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    pub fn warning(&mut self, path: &str, code: &'static str, msg: String, help: &str) {
        let mut d = Diagnostic::warning(self.file, code, msg).at_pos(Some(self.pos(path)));
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    pub(super) fn missing(&mut self, path: &str, what: &str) {
        let at = path.rsplit_once('.').map_or("", |p| p.0);
        self.error(
            at,
            "missing-field",
            format!("`{path}` is required{what}"),
            "see the OpenSLO v1 specification: https://github.com/OpenSLO/OpenSLO#specification",
        );
    }

    /// An optional string; another type is an error.
    pub(super) fn string(&mut self, v: &Value, path: &str, key: &str) -> Option<String> {
        let p = join(path, key);
        match get(v, key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.error(&p, "invalid-type", format!("`{p}` must be text"), "");
                None
            }
        }
    }

    pub(super) fn req_string(&mut self, v: &Value, path: &str, key: &str) -> Option<String> {
        let s = self.string(v, path, key);
        if s.is_none() && get(v, key).is_none() {
            self.missing(&join(path, key), "");
        }
        s
    }

    pub(super) fn number(&mut self, v: &Value, path: &str, key: &str) -> Option<f64> {
        let p = join(path, key);
        let x = get(v, key)?;
        match x.as_f64() {
            Some(n) if n.is_finite() => Some(n),
            _ => {
                self.error(&p, "invalid-type", format!("`{p}` must be a number"), "");
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, v: &Value, path: &str, key: &str) -> Option<bool> {
        let p = join(path, key);
        let x = get(v, key)?;
        match x.as_bool() {
            Some(b) => Some(b),
            None => {
                self.error(
                    &p,
                    "invalid-type",
                    format!("`{p}` must be true or false"),
                    "",
                );
                None
            }
        }
    }

    pub(super) fn list<'v>(&mut self, v: &'v Value, path: &str, key: &str) -> Vec<&'v Value> {
        match get(v, key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(_) => {
                let p = join(path, key);
                self.error(&p, "invalid-type", format!("`{p}` must be a list"), "");
                Vec::new()
            }
        }
    }

    /// `metadata.name` (required) and `metadata.displayName` of an object at `path`.
    pub fn metadata(&mut self, v: &Value, path: &str) -> Option<(String, Option<String>)> {
        let mp = join(path, "metadata");
        let Some(meta) = get(v, "metadata") else {
            self.missing(&join(&mp, "name"), "");
            return None;
        };
        let name = self.req_string(meta, &mp, "name")?;
        let display = self.string(meta, &mp, "displayName");
        Some((name, display))
    }

    pub(super) fn duration(&mut self, v: &Value, path: &str, key: &str) -> Option<String> {
        let s = self.string(v, path, key)?;
        if let Err(e) = window::parse_shorthand(&s) {
            self.error(&join(path, key), "invalid-duration", e, "");
        }
        Some(s)
    }
}

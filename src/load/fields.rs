//! Reading front matter field by field, collecting every problem with its position.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::config::unknown_field;
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::{DocKey, Kind, Reference, Via};
use crate::yaml::{Mapping, Spans};

/// Known fields of one kind: the top-level names and, for fields holding mappings (or lists of
/// mappings), the names allowed inside them.
pub struct Schema {
    pub fields: &'static [&'static str],
    pub nested: &'static [(&'static str, &'static [&'static str])],
}

pub struct Fields<'a> {
    map: Mapping,
    pub spans: Spans,
    pub file: &'a Path,
    /// Where the front matter starts, for "missing field" errors.
    start: Pos,
    pub diags: Vec<Diagnostic>,
    pub refs: Vec<Reference>,
}

impl<'a> Fields<'a> {
    pub fn new(map: Mapping, spans: Spans, file: &'a Path, start: Pos) -> Self {
        Fields {
            map,
            spans,
            file,
            start,
            diags: Vec::new(),
            refs: Vec::new(),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.has(key)
    }

    pub fn pos(&self, path: &str) -> Option<Pos> {
        self.spans.value(path)
    }

    /// Where the key of `path` is (for a key that is itself the problem).
    pub fn key_pos(&self, path: &str) -> Option<Pos> {
        self.spans.key(path)
    }

    pub fn error(
        &mut self,
        path: &str,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d =
            Diagnostic::error(self.file, code, message).at_pos(self.pos(path).or(Some(self.start)));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    pub fn warning(
        &mut self,
        path: &str,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::warning(self.file, code, message)
            .at_pos(self.pos(path).or(Some(self.start)));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn wrong_type(&mut self, path: &str, msg: String) {
        self.error(path, "wrong-type", format!("`{path}`: {msg}"));
    }

    /// An optional field; a wrong type is reported and yields `None`.
    pub fn opt<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        match self.map.get::<T>(key)? {
            Ok(v) => Some(v),
            Err(msg) => {
                self.wrong_type(key, msg);
                None
            }
        }
    }

    /// A required field; absence is reported at the start of the front matter.
    pub fn req<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        if !self.map.has(key) {
            let pos = self.spans.key(key).or(Some(self.start));
            self.diags.push(
                Diagnostic::error(
                    self.file,
                    "missing-field",
                    format!("missing required field `{key}`"),
                )
                .at_pos(pos)
                .with_help(format!("add `{key}: ...` to the front matter")),
            );
            return None;
        }
        self.opt(key)
    }

    /// A list field; each bad element is reported and left out.
    pub fn list<T: DeserializeOwned>(&mut self, key: &str) -> Vec<T> {
        let Some(items) = self.map.get_list::<T>(key) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Ok(v) => out.push(v),
                Err(msg) => self.wrong_type(&format!("{key}.{i}"), msg),
            }
        }
        out
    }

    /// A bare reference to a document of `kind`.
    pub fn reference(&mut self, key: &'static str, kind: Kind, required: bool) -> Option<String> {
        let id: String = if required {
            self.req(key)?
        } else {
            self.opt(key)?
        };
        let pos = self.pos(key).unwrap_or(self.start);
        self.refs.push(Reference {
            target: DocKey::new(kind, id.clone()),
            via: Via::Field(key),
            pos,
        });
        Some(id)
    }

    /// A list of bare references to documents of `kind`.
    pub fn references(&mut self, key: &'static str, kind: Kind) -> Vec<String> {
        let ids: Vec<String> = self.list(key);
        for (i, id) in ids.iter().enumerate() {
            let pos = self.pos(&format!("{key}.{i}")).unwrap_or(self.start);
            self.refs.push(Reference {
                target: DocKey::new(kind, id.clone()),
                via: Via::Field(key),
                pos,
            });
        }
        ids
    }

    /// Records a reference written as `kind/id` (sessions' `related`).
    pub fn typed_references(&mut self, key: &'static str) -> Vec<String> {
        let items: Vec<String> = self.list(key);
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}.{i}");
            match DocKey::parse(item.trim_start_matches('@')) {
                Some(target) => {
                    let pos = self.pos(&path).unwrap_or(self.start);
                    self.refs.push(Reference {
                        target,
                        via: Via::Field(key),
                        pos,
                    });
                }
                None => {
                    self.error(
                        &path,
                        "bad-reference",
                        format!("`{item}` is not of the form `kind/id`"),
                    )
                    .help = Some(format!(
                        "write the kind folder and the id, e.g. `postmortems/2026-03-14-login-outage` (kinds: {})",
                        Kind::ALL.map(|k| k.dir()).join(", ")
                    ));
                }
            }
        }
        items
    }

    /// Warns about every key the schema does not know, naming the nearest known one.
    pub fn finish(mut self, schema: &Schema) -> (Vec<Diagnostic>, Vec<Reference>) {
        let mut warnings = Vec::new();
        for path in self.spans.key_paths() {
            let segs: Vec<&str> = path
                .split('.')
                .filter(|s| s.parse::<usize>().is_err())
                .collect();
            let (known, name) = match segs.as_slice() {
                [name] => (schema.fields, *name),
                [parent, name] => match schema.nested.iter().find(|(p, _)| p == parent) {
                    Some((_, fields)) => (*fields, *name),
                    None => continue,
                },
                _ => continue,
            };
            if !known.contains(&name) {
                warnings.push(unknown_field(self.file, name, known, self.spans.key(path)));
            }
        }
        self.diags.extend(warnings);
        (self.diags, self.refs)
    }
}

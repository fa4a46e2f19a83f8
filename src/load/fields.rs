//! Reading front matter field by field, collecting every problem with its position.

use std::cell::OnceCell;
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

impl Schema {
    /// The names allowed under `parent` (`None`: the top level); `None` when a parent's own keys
    /// are not checked (a free-form mapping such as `links`).
    fn allowed(&self, parent: Option<&str>) -> Option<&'static [&'static str]> {
        match parent {
            None => Some(self.fields),
            Some(parent) => self
                .nested
                .iter()
                .find(|(p, _)| *p == parent)
                .map(|(_, fields)| *fields),
        }
    }
}

pub struct Fields<'a> {
    map: Mapping,
    /// The YAML text and the line it starts on in the file, for [`Fields::spans`].
    yaml: &'a str,
    line_offset: usize,
    spans: OnceCell<Spans>,
    pub file: &'a Path,
    /// Where the front matter starts, for "missing field" errors.
    start: Pos,
    pub diags: Vec<Diagnostic>,
    pub refs: Vec<Reference>,
}

impl<'a> Fields<'a> {
    /// `yaml` is the text `map` was parsed from, starting `line_offset` lines into `file`.
    pub fn new(
        map: Mapping,
        yaml: &'a str,
        line_offset: usize,
        file: &'a Path,
        start: Pos,
    ) -> Self {
        Fields {
            map,
            yaml,
            line_offset,
            spans: OnceCell::new(),
            file,
            start,
            diags: Vec::new(),
            refs: Vec::new(),
        }
    }

    /// Where each key and value is in the file. Found on first use (a diagnostic, a reference):
    /// most documents need none, and finding them is a second parse of the YAML.
    pub fn spans(&self) -> &Spans {
        self.spans.get_or_init(|| {
            let mut spans = Spans::of(self.yaml);
            spans.offset_lines(self.line_offset);
            spans
        })
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.has(key)
    }

    pub fn pos(&self, path: &str) -> Option<Pos> {
        self.spans().value(path)
    }

    /// Where the key of `path` is (for a key that is itself the problem).
    pub fn key_pos(&self, path: &str) -> Option<Pos> {
        self.spans().key(path)
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
            let pos = self.spans().key(key).or(Some(self.start));
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
        let all_known = self.map.keys_all_known(|parent, name| {
            schema
                .allowed(parent)
                .is_none_or(|known| known.contains(&name))
        });
        if !all_known {
            let warnings = unknown_fields(self.spans(), self.file, schema);
            self.diags.extend(warnings);
        }
        (self.diags, self.refs)
    }
}

fn unknown_fields(spans: &Spans, file: &Path, schema: &Schema) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for path in spans.key_paths() {
        let segs: Vec<&str> = path
            .split('.')
            .filter(|s| s.parse::<usize>().is_err())
            .collect();
        let (parent, name) = match segs.as_slice() {
            [name] => (None, *name),
            [parent, name] => (Some(*parent), *name),
            _ => continue,
        };
        let Some(known) = schema.allowed(parent) else {
            continue;
        };
        if !known.contains(&name) {
            warnings.push(unknown_field(file, name, known, spans.key(path)));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SCHEMA: Schema = Schema {
        fields: &["title", "tags", "owner", "action_items", "links"],
        nested: &[("action_items", &["title", "owner", "due"])],
    };

    /// The unknown-field warnings `finish` gives, and those of the check by key positions that
    /// it skips when every key is known: they must be the same.
    fn both(yaml: &str) -> Option<(Vec<String>, Vec<String>)> {
        let map = Mapping::parse(yaml).ok()?;
        let file = Path::new("content/pages/x.md");
        let show = |d: &[Diagnostic]| -> Vec<String> {
            d.iter()
                .map(|d| format!("{}:{} {} {:?}", d.line, d.column, d.message, d.help))
                .collect()
        };
        let (fast, _) = Fields::new(map, yaml, 0, file, Pos::new(1, 1)).finish(&SCHEMA);
        let slow = unknown_fields(&Spans::of(yaml), file, &SCHEMA);
        Some((show(&fast), show(&slow)))
    }

    #[test]
    fn known_fields_give_no_warning_and_unknown_ones_are_found_where_they_are() {
        for yaml in [
            "title: A\ntags: [a, b]\n",
            "title: A\naction_items:\n  - {title: x, owner: y}\n  - title: z\n    due: 2026-01-01\n",
            "title: A\nlinks: {anything: 1, goes: 2}\n",
            "title: A\naction_items: [[{title: x}]]\n",
            "title: A\nowner: ~\n",
        ] {
            let (fast, slow) = both(yaml).unwrap();
            assert_eq!(fast, slow, "{yaml}");
            assert!(fast.is_empty(), "{yaml}: {fast:?}");
        }
        for yaml in [
            "title: A\ntitel: B\n",
            "title: A\naction_items:\n  - {title: x, ownr: y}\n",
            "title: A\naction_items: [[{title: x, color: red}]]\n",
            "title: A\naction_items: !custom [{titel: x}]\n",
            "\"titel\": A\n",
            "true: 1\ntitle: A\n",
            "1: x\ntitle: A\n",
            "base: &b {title: x}\naction_items: [*b]\n",
        ] {
            let (fast, slow) = both(yaml).unwrap();
            assert_eq!(fast, slow, "{yaml}");
        }
        let (fast, _) = both("title: A\naction_items:\n  - {title: x, ownr: y}\n").unwrap();
        assert_eq!(fast.len(), 1);
        assert!(
            fast[0].starts_with("3:") && fast[0].contains("ownr"),
            "{fast:?}"
        );
    }

    #[test]
    fn positions_are_found_only_when_something_needs_one() {
        let yaml = "title: A\ntags: [a]\n";
        let file = Path::new("content/pages/x.md");
        let mut f = Fields::new(Mapping::parse(yaml).unwrap(), yaml, 0, file, Pos::new(1, 1));
        let _: Option<String> = f.req("title");
        let _: Vec<String> = f.list("tags");
        let _: Option<bool> = f.opt("draft");
        assert!(
            f.spans.get().is_none(),
            "known fields read without positions"
        );
        let _: Option<u32> = f.opt("title");
        assert!(
            f.spans.get().is_some(),
            "a wrong type is reported at its position"
        );
        assert_eq!(f.diags[0].line, 1);
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "title",
            "tags",
            "owner",
            "due",
            "action_items",
            "links",
            "titel",
            "color",
            "\"title\"",
            "1",
            "true",
            "~",
        ])
        .prop_map(str::to_string)
    }

    fn value(depth: u32) -> BoxedStrategy<String> {
        let leaf = prop::sample::select(vec!["x", "1", "~", "[a, b]", "{}", "[]"])
            .prop_map(str::to_string)
            .boxed();
        if depth == 0 {
            return leaf;
        }
        prop_oneof![
            leaf,
            prop::collection::vec(value(depth - 1), 0..3)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), value(depth - 1)), 0..3).prop_map(|kv| {
                let pairs: Vec<String> = kv.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", pairs.join(", "))
            }),
        ]
        .boxed()
    }

    proptest! {
        #[test]
        fn skipping_the_position_check_never_loses_a_warning(
            pairs in prop::collection::vec((key(), value(3)), 0..5)
        ) {
            let yaml: String = pairs.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            // Duplicate keys and the like are YAML errors, reported before any field is read.
            if let Some((fast, slow)) = both(&yaml) {
                prop_assert_eq!(fast, slow, "{}", yaml);
            }
        }
    }
}

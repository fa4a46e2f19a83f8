//! The one place that knows which YAML library sitrep uses.
//!
//! serde_yaml (archived upstream) deserializes typed front matter; yaml-rust2's event parser gives
//! the line and column of every key and value, which serde_yaml does not expose, so that a diagnostic
//! can point at `severity: SEV9` rather than at the file. Swapping the YAML stack means changing this
//! module only.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Pos;

mod positions;

/// A YAML problem with its position relative to the start of the YAML text.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub pos: Option<Pos>,
    /// Where the construct the parser was in started (an unclosed `[`), when it says so.
    pub context_pos: Option<Pos>,
}

/// Largest YAML text sitrep accepts in one front matter or data file. Bigger inputs are almost
/// certainly a mistake and would only slow every build.
const MAX_YAML_BYTES: usize = 4 * 1024 * 1024;

fn to_error(err: serde_yaml::Error) -> YamlError {
    let text = err.to_string();
    // serde_yaml writes positions into the text (" at line L column C"), relative to the YAML
    // block. sitrep shows positions itself, in file coordinates, so they are taken out here; the
    // position of the context ("while parsing a flow sequence") is kept separately.
    let (message, marks) = strip_positions(&text);
    let pos = err.location().map(|l| Pos::new(l.line(), l.column()));
    let context_pos = marks.into_iter().find(|m| Some(*m) != pos);
    YamlError {
        message,
        pos,
        context_pos,
    }
}

/// Removes every " at line L column C" from a message, returning the positions found.
fn strip_positions(text: &str) -> (String, Vec<Pos>) {
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let line_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let line = after[..line_end].parse::<usize>().ok();
        let tail = &after[line_end..];
        match (line, tail.strip_prefix(" column ")) {
            (Some(line), Some(col_text)) => {
                let col_end = col_text
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(col_text.len());
                if let Ok(col) = col_text[..col_end].parse::<usize>() {
                    marks.push(Pos::new(line, col));
                }
                rest = &col_text[col_end..];
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, marks)
}

fn check_size(text: &str) -> Result<(), YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!(
                "YAML block is {} bytes, more than the {} sitrep accepts",
                text.len(),
                MAX_YAML_BYTES
            ),
            pos: Some(Pos::new(1, 1)),
            context_pos: None,
        });
    }
    Ok(())
}

/// Deserializes one YAML document into `T`. An empty text deserializes as an empty mapping so that
/// a missing field is reported as such rather than as "EOF while parsing".
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_size(text)?;
    if text.trim().is_empty() {
        return serde_yaml::from_str("{}").map_err(to_error);
    }
    serde_yaml::from_str(text).map_err(|e| located(e, text))
}

/// A serde_yaml error from parsing `text`, placed in it as sitrep counts lines (see
/// [`positions`]): at libyaml's byte offset, and a duplicate key at the repeated key rather than at
/// the start of the mapping that holds it, where serde_yaml places it.
fn located(err: serde_yaml::Error, text: &str) -> YamlError {
    let offset = err.location().map(|l| l.index());
    let mut out = to_error(err);
    out.pos = offset.map(|i| Pos::of_offset(text, i));
    if let Some(context) = &mut out.context_pos {
        positions::to_text_lines(text, &mut [context], positions::libyaml_break);
    }
    if (out.message.contains("duplicate entry") || out.message.contains("duplicate field"))
        && let Some(p) = Spans::of_documents(text).iter().find_map(|s| s.duplicate)
    {
        out.pos = Some(p);
    }
    out
}

/// A generic YAML value, for inputs whose shape is only known after looking at them (OpenSLO).
pub type Value = serde_yaml::Value;

/// Deserializes a value that has already been parsed.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, YamlError> {
    serde_yaml::from_value(value).map_err(to_error)
}

/// A value written back as YAML (comments are not kept), for showing what a file said.
pub fn to_string(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// Splits a multi-document stream (`---` separated) into values, one per document.
pub fn documents(text: &str) -> Result<Vec<Value>, YamlError> {
    check_size(text)?;
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value: Value = serde::Deserialize::deserialize(doc).map_err(|e| located(e, text))?;
        if !value.is_null() {
            out.push(value);
        }
    }
    Ok(out)
}

/// Positions of keys and values in one YAML document, by dotted path (`action_items.2.title`).
#[derive(Debug, Default, Clone)]
pub struct Spans {
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
    /// Keys in source order with their path, for unknown-field checks.
    key_order: Vec<String>,
    /// The first key that repeats an earlier key of the same mapping.
    duplicate: Option<Pos>,
}

impl Spans {
    /// Positions in a single-document text; an unparsable text yields what was seen before the error.
    pub fn of(text: &str) -> Spans {
        Spans::of_documents(text)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// Positions per document of a multi-document stream; null documents are kept so indexes line
    /// up with [`documents`] only when callers skip the same empty ones, which they do by checking
    /// `is_empty`.
    pub fn of_documents(text: &str) -> Vec<Spans> {
        let mut recorder = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut recorder, true);
        recorder.finish_document();
        let mut docs: Vec<Spans> = recorder
            .docs
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut all: Vec<&mut Pos> = docs
            .iter_mut()
            .flat_map(|s| {
                s.keys
                    .values_mut()
                    .chain(s.values.values_mut())
                    .chain(s.duplicate.as_mut())
            })
            .collect();
        positions::to_text_lines(text, &mut all, positions::yaml_rust2_break);
        docs
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.values.is_empty()
    }

    /// Position of the key `path` (its last segment).
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).copied()
    }

    /// Position of the value at `path`, falling back to its key, then to the nearest parent.
    pub fn value(&self, path: &str) -> Option<Pos> {
        if let Some(p) = self.values.get(path).or_else(|| self.keys.get(path)) {
            return Some(*p);
        }
        let parent = path.rsplit_once('.')?.0;
        self.value(parent)
    }

    /// Every key path in source order.
    pub fn key_paths(&self) -> impl Iterator<Item = &str> {
        self.key_order.iter().map(String::as_str)
    }

    /// Shifts every position by `lines` lines, to map front matter positions into the file.
    pub fn offset_lines(&mut self, lines: usize) {
        for p in self
            .keys
            .values_mut()
            .chain(self.values.values_mut())
            .chain(self.duplicate.as_mut())
        {
            p.line += lines;
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    current: Spans,
    docs: Vec<Spans>,
}

fn join(path: &str, seg: &str) -> String {
    if path.is_empty() {
        seg.to_string()
    } else {
        format!("{path}.{seg}")
    }
}

impl Recorder {
    fn finish_document(&mut self) {
        let spans = std::mem::take(&mut self.current);
        self.docs.push(spans);
        self.stack.clear();
    }

    /// Called for every node: decides whether it is a mapping key or a value and returns the path
    /// of the value (None for keys).
    fn node(&mut self, pos: Pos, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = join(path, &index.to_string());
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                None => {
                    let name = scalar.unwrap_or("?").to_string();
                    let full = join(path, &name);
                    // yaml-rust2 starts a block mapping at the `:` after its first key: place the
                    // mapping at that key instead.
                    if let Some(start) = self.current.values.get_mut(path.as_str())
                        && pos < *start
                    {
                        *start = pos;
                    }
                    if self.current.keys.contains_key(&full) {
                        self.current.duplicate.get_or_insert(pos);
                    }
                    self.current.keys.entry(full.clone()).or_insert(pos);
                    self.current.key_order.push(full);
                    *key = Some(name);
                    None
                }
                Some(name) => Some(join(path, &name)),
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        // yaml-rust2 lines are 1-based and columns 0-based.
        let pos = Pos::new(mark.line(), mark.col() + 1);
        match ev {
            Event::DocumentEnd => self.finish_document(),
            // A document that is only a null (an empty `---` section) is skipped by `documents`:
            // record nothing for it either, so that the two stay in step.
            Event::Scalar(ref s, TScalarStyle::Plain, _, None)
                if self.stack.is_empty()
                    && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL") => {}
            Event::Scalar(ref s, ..) => {
                if let Some(path) = self.node(pos, Some(s)) {
                    self.current.values.entry(path).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.node(pos, None) {
                    self.current.values.entry(path).or_insert(pos);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                let path = self.node(pos, None).unwrap_or_else(|| "?".to_string());
                self.current.values.entry(path.clone()).or_insert(pos);
                self.stack.push(if is_map {
                    Frame::Map { path, key: None }
                } else {
                    Frame::Seq { path, index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// A YAML mapping read field by field, so that every bad field of a document is reported (serde's
/// derive stops at the first) and each error can be placed with [`Spans`].
pub struct Mapping(serde_yaml::Mapping);

impl Mapping {
    /// Parses `text` as a mapping. An empty text is an empty mapping.
    pub fn parse(text: &str) -> Result<Mapping, YamlError> {
        check_size(text)?;
        if text.trim().is_empty() {
            return Ok(Mapping(serde_yaml::Mapping::new()));
        }
        match serde_yaml::from_str::<Value>(text).map_err(|e| located(e, text))? {
            Value::Mapping(m) => Ok(Mapping(m)),
            Value::Null => Ok(Mapping(serde_yaml::Mapping::new())),
            other => Err(YamlError {
                message: format!(
                    "expected a mapping of `field: value` lines, found {}",
                    describe(&other)
                ),
                pos: Some(Pos::new(1, 1)),
                context_pos: None,
            }),
        }
    }

    pub fn from_value(value: Value) -> Option<Mapping> {
        match value {
            Value::Mapping(m) => Some(Mapping(m)),
            _ => None,
        }
    }

    /// Top-level keys as strings (non-string keys are shown in YAML form).
    pub fn keys(&self) -> Vec<String> {
        self.0
            .keys()
            .map(|k| match k {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            })
            .collect()
    }

    /// Whether every key is a string that `known` accepts: `known(None, key)` for the top-level
    /// keys and `known(Some(parent), key)` for the keys of mappings directly under a top-level key,
    /// or in lists under it (`action_items: [{title: ..}]`). Deeper keys are not looked at. Lets
    /// a document whose fields are all known skip finding the positions of its keys (a second
    /// parse of the YAML): a `false` means "look closer", not necessarily an unknown field.
    pub fn keys_all_known(&self, known: impl Fn(Option<&str>, &str) -> bool) -> bool {
        fn nested(value: &Value, parent: &str, known: &dyn Fn(Option<&str>, &str) -> bool) -> bool {
            match value {
                Value::Mapping(m) => m
                    .keys()
                    .all(|k| matches!(k, Value::String(name) if known(Some(parent), name))),
                Value::Sequence(items) => items.iter().all(|v| nested(v, parent, known)),
                Value::Tagged(t) => nested(&t.value, parent, known),
                _ => true,
            }
        }
        self.0.iter().all(|(k, v)| match k {
            Value::String(name) => known(None, name) && nested(v, name, &known),
            _ => false,
        })
    }

    /// True when the key is present with a non-null value.
    pub fn has(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(|v| !v.is_null())
    }

    /// The raw value of a key, for callers that inspect shapes themselves.
    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// The value of `key` as `T`; `None` when absent or null.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<Result<T, String>> {
        let value = self.0.get(key)?;
        if value.is_null() {
            return None;
        }
        Some(serde_yaml::from_value(value.clone()).map_err(|e| clean_message(&e, value)))
    }

    /// A list field, element by element, so one bad element does not hide the others. A single
    /// value where a list was expected is accepted as a list of one, since authors write
    /// `services: checkout` as often as `services: [checkout]`.
    pub fn get_list<T: DeserializeOwned>(&self, key: &str) -> Option<Vec<Result<T, String>>> {
        let value = self.0.get(key)?;
        let items = match value {
            Value::Null => return None,
            Value::Sequence(items) => items.clone(),
            other => vec![other.clone()],
        };
        Some(
            items
                .into_iter()
                .map(|v| serde_yaml::from_value(v.clone()).map_err(|e| clean_message(&e, &v)))
                .collect(),
        )
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn clean_message(err: &serde_yaml::Error, value: &Value) -> String {
    let text = to_error(err.clone_for_message()).message;
    if text.starts_with("invalid type") {
        format!("{text} (found {})", describe(value))
    } else {
        text
    }
}

trait CloneForMessage {
    fn clone_for_message(&self) -> serde_yaml::Error;
}

impl CloneForMessage for serde_yaml::Error {
    fn clone_for_message(&self) -> serde_yaml::Error {
        serde::de::Error::custom(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_locate_nested_keys_and_values() {
        let text = "title: A\nseverity: SEV9\naction_items:\n  - title: x\n    owner: y\n  - {title: z, owner: w}\n";
        let s = Spans::of(text);
        assert_eq!(s.key("severity"), Some(Pos::new(2, 1)));
        assert_eq!(s.value("severity"), Some(Pos::new(2, 11)));
        assert_eq!(s.key("action_items.0.owner"), Some(Pos::new(5, 5)));
        assert_eq!(s.value("action_items.1.owner"), Some(Pos::new(6, 23)));
        let keys: Vec<&str> = s.key_paths().collect();
        assert_eq!(keys[0], "title");
        assert!(keys.contains(&"action_items.1.title"));
    }

    #[test]
    fn value_falls_back_to_parent() {
        let s = Spans::of("tags: [a, b]\n");
        assert_eq!(s.value("tags.1"), Some(Pos::new(1, 11)));
        assert_eq!(s.value("tags.7"), Some(Pos::new(1, 7)));
    }

    #[test]
    fn type_errors_carry_a_position() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            title: String,
            n: u32,
        }
        let err = from_str::<T>("title: a\nn: [1]\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(2, 4)));
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    #[test]
    fn positions_are_taken_out_of_messages() {
        let err = Mapping::parse("title: [unclosed\n").err().unwrap();
        assert!(!err.message.contains("line"), "{}", err.message);
        assert_eq!(err.context_pos, Some(Pos::new(1, 8)));
    }

    #[test]
    fn multiple_documents() {
        let text = "a: 1\n---\nb: 2\n";
        assert_eq!(documents(text).unwrap().len(), 2);
        let spans = Spans::of_documents(text);
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[1].key("b"), Some(Pos::new(3, 1)));
    }

    #[test]
    fn an_error_at_the_end_of_a_text_without_a_final_newline_stays_inside_it() {
        // Found by tests/hostile_input/fuzz.rs: libyaml said line 3 of this two-line text.
        let err = from_str::<Value>("tags: [a, b]\n[x]=O\u{f7}").unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(2, 7)));
    }

    #[test]
    fn alias_bombs_are_refused_not_expanded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        assert!(from_str::<Value>(&text).is_err());
    }
}

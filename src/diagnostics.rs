//! Diagnostics: every problem sitrep finds in a portal, with the place it was found.
//!
//! The library never prints: stages return `Diagnostic`s and the command line decides how to show them
//! (a human rendering with the offending line, or JSON for editors and CI).

use std::path::{Path, PathBuf};

use codespan_reporting::files::SimpleFile;
use serde::Serialize;

/// How bad a diagnostic is. Errors fail `build` and `check`; warnings are reported and never fail a
/// build unless the user asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place. `line` and `column` are 1-based and point into the file as the author
/// sees it (front matter offsets already applied); 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A stable, kebab-case identifier (`broken-reference`), for tools and documentation.
    pub code: &'static str,
    pub message: String,
    /// What to do about it, when sitrep can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        file: impl Into<PathBuf>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, code, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn at_pos(self, pos: Option<Pos>) -> Self {
        match pos {
            Some(p) => self.at(p.line, p.column),
            None => self,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` as editors and terminals understand it.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.display().to_string(),
            (l, 0) => format!("{}:{l}", self.file.display()),
            (l, c) => format!("{}:{l}:{c}", self.file.display()),
        }
    }
}

/// A 1-based position in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text`, counting columns in characters.
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos::new(line, before[line_start..].chars().count() + 1)
    }
}

/// The positions of many byte offsets in one text, each counted on from the one before: linear
/// over the text where [`Pos::of_offset`] for each offset is quadratic (a page of 40,000 links
/// took half a minute). Offsets are expected in increasing order; an earlier one starts over.
pub struct PosCursor<'a> {
    text: &'a str,
    offset: usize,
    pos: Pos,
}

impl<'a> PosCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        PosCursor {
            text,
            offset: 0,
            pos: Pos::new(1, 1),
        }
    }

    /// The position of byte `offset`, as [`Pos::of_offset`] gives it.
    pub fn at(&mut self, offset: usize) -> Pos {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.offset {
            *self = PosCursor::new(self.text);
        }
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.pos = Pos::new(self.pos.line + 1, 1);
            } else {
                self.pos.column += 1;
            }
        }
        self.offset = offset;
        self.pos
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sorts diagnostics into a stable order (file, line, column) so output is reproducible even though
/// files are loaded in parallel.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, b.code, &b.message))
    });
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// JSON array of `{file, line, column, severity, code, message}` as the contract specifies.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string())
}

/// Renders one diagnostic for a terminal, showing the offending line when the source can be read.
/// `root` is the portal root the diagnostic's relative path is resolved against.
pub fn to_human(diagnostic: &Diagnostic, root: &Path, color: bool) -> String {
    HumanRenderer::new(root, color).render(diagnostic)
}

/// Renders all of `diagnostics` for a terminal, in order, as [`to_human`] would one by one. Runs
/// of them render in parallel: a portal with thousands of warnings spent 40 ms on one core here.
pub fn to_human_all(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    use rayon::prelude::*;
    diagnostics
        .par_chunks(64)
        .map(|run| {
            let mut renderer = HumanRenderer::new(root, color);
            run.iter().map(|d| renderer.render(d)).collect::<String>()
        })
        .collect()
}

/// Renders diagnostics for a terminal one after another, reading each source file once for a run
/// of diagnostics in it: they come sorted by file, and a portal with thousands of overdue action
/// items has thousands of warnings in a few hundred files.
pub struct HumanRenderer<'a> {
    root: &'a Path,
    color: bool,
    /// The last file read, and its text when it could be read as UTF-8.
    source: Option<(PathBuf, Option<SimpleFile<String, String>>)>,
}

impl<'a> HumanRenderer<'a> {
    /// `root` is the portal root diagnostics' relative paths are resolved against.
    pub fn new(root: &'a Path, color: bool) -> HumanRenderer<'a> {
        HumanRenderer {
            root,
            color,
            source: None,
        }
    }

    fn file(&mut self, path: &Path) -> Option<&SimpleFile<String, String>> {
        if self.source.as_ref().is_none_or(|(p, _)| p != path) {
            let file = std::fs::read(self.root.join(path))
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(|text| SimpleFile::new(path.display().to_string(), text));
            self.source = Some((path.to_path_buf(), file));
        }
        self.source.as_ref().and_then(|(_, f)| f.as_ref())
    }

    pub fn render(&mut self, diagnostic: &Diagnostic) -> String {
        use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
        use codespan_reporting::term;

        let header = match diagnostic.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message);
        let notes: Vec<String> = diagnostic
            .help
            .iter()
            .map(|h| format!("help: {h}"))
            .collect();
        let header = header.with_notes(notes.clone());

        let color = self.color;
        let line = diagnostic.line;
        let rendered = match self.file(&diagnostic.file) {
            Some(file) if line > 0 => {
                let range = byte_range(file.source(), line, diagnostic.column);
                let cs = header.with_labels(vec![Label::primary((), range)]);
                let mut out = Vec::new();
                let config = term::Config::default();
                let ok = if color {
                    let mut writer = term::termcolor::Ansi::new(&mut out);
                    term::emit_to_write_style(&mut writer, &config, file, &cs).is_ok()
                } else {
                    term::emit_to_io_write(&mut out, &config, file, &cs).is_ok()
                };
                ok.then(|| String::from_utf8_lossy(&out).into_owned())
            }
            _ => None,
        };
        rendered.unwrap_or_else(|| {
            let mut s = format!(
                "{}[{}]: {}\n  --> {}\n",
                match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                diagnostic.code,
                diagnostic.message,
                diagnostic.location()
            );
            for n in notes {
                s.push_str(&format!("  = {n}\n"));
            }
            s
        })
    }
}

fn byte_range(source: &str, line: usize, column: usize) -> std::ops::Range<usize> {
    let mut start = 0;
    for _ in 1..line {
        match source[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return source.len()..source.len(),
        }
    }
    let line_end = source[start..]
        .find(['\n', '\r'])
        .map_or(source.len(), |i| start + i);
    let text = &source[start..line_end];
    let col_byte = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let from = start + col_byte;
    let token_len = source[from..line_end]
        .find(|c: char| c.is_whitespace())
        .unwrap_or(line_end - from);
    let to = if token_len == 0 {
        line_end
    } else {
        from + token_len
    };
    from..to.max(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rendering all at once (in parallel runs, each file read once a run) gives what rendering
    /// each alone gives, in the same order: across runs, files, a missing file, a position past
    /// the end and a diagnostic without a position, with and without colour.
    #[test]
    fn rendering_all_at_once_matches_rendering_one_by_one() {
        let root = tempfile::tempdir().unwrap();
        for n in 0..5 {
            let text: String = (1..=30)
                .map(|l| format!("line {l} of file {n}\n"))
                .collect();
            std::fs::write(root.path().join(format!("f{n}.md")), text).unwrap();
        }
        let mut diags = Vec::new();
        for n in 0..6 {
            for line in 1..=40 {
                diags.push(
                    Diagnostic::warning(format!("f{n}.md"), "overdue", format!("item {line}"))
                        .at(line, 3)
                        .with_help("finish it"),
                );
            }
            diags.push(Diagnostic::error(format!("f{n}.md"), "bad", "no position"));
        }
        for color in [false, true] {
            let one_by_one: String = diags
                .iter()
                .map(|d| to_human(d, root.path(), color))
                .collect();
            assert_eq!(to_human_all(&diags, root.path(), color), one_by_one);
            assert!(one_by_one.contains(" 7 of file 2"), "{one_by_one}");
        }
    }

    #[test]
    fn a_cursor_gives_the_positions_of_offsets_as_of_offset_does() {
        let text = "ab\nçd\r\n\nlast";
        let mut cursor = PosCursor::new(text);
        // In order, repeated, inside a character, backwards and past the end.
        for offset in [0, 1, 3, 4, 5, 5, 8, 9, 2, 12, 99] {
            assert_eq!(cursor.at(offset), Pos::of_offset(text, offset), "{offset}");
        }
    }

    #[test]
    fn offset_to_position_counts_lines_and_chars() {
        let text = "ab\ncdé f\n";
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 3), Pos::new(2, 1));
        // 'f' is after "cdé " which is 4 chars but 5 bytes
        assert_eq!(Pos::of_offset(text, 8), Pos::new(2, 5));
    }

    #[test]
    fn location_formats_like_an_editor() {
        let d = Diagnostic::error("content/a.md", "x", "m").at(3, 7);
        assert_eq!(d.location(), "content/a.md:3:7");
        assert_eq!(Diagnostic::error("a", "x", "m").location(), "a");
    }

    #[test]
    fn underline_covers_the_token() {
        let src = "title: x\nseverity: SEV9 # bad\n";
        let r = byte_range(src, 2, 11);
        assert_eq!(&src[r], "SEV9");
    }
}

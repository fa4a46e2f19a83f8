//! Splitting a markdown file into its YAML front matter and its body.

use crate::diagnostics::Pos;

/// A file's text, normalized: no BOM, `\n` line endings. Line numbers are unchanged by both.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Line number (1-based) in the file of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line number (1-based) in the file of the first body line.
    pub body_line: usize,
}

#[derive(Debug, PartialEq)]
pub struct SplitError {
    pub code: &'static str,
    pub message: String,
    pub help: &'static str,
    pub pos: Pos,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `---\n<yaml>\n---\n<body>`. The closing fence may also be `...` (YAML's document end).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError {
            code: "empty-file",
            message: "the file is empty".into(),
            help: "start it with front matter: a `---` line, `title: ...`, and another `---` line",
            pos: Pos::new(1, 1),
        });
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError {
            code: "missing-front-matter",
            message: "the file does not start with front matter".into(),
            help: "put a `---` line first, then the fields (at least `title: ...`), then another `---` line",
            pos: Pos::new(1, 1),
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line_no = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = &text[offset..end];
        if is_fence(line) || line.trim_end() == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset = end + 1;
        line_no += 1;
    }
    Err(SplitError {
        code: "unclosed-front-matter",
        message: "the front matter opened here is never closed".into(),
        help: "add a line with `---` after the last front matter field",
        pos: Pos::new(1, 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = normalize("\u{feff}---\r\ntitle: A\r\n---\r\nbody\r\n");
        let s = split(&text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn unclosed_and_missing() {
        assert_eq!(
            split("---\ntitle: A\n").unwrap_err().code,
            "unclosed-front-matter"
        );
        assert_eq!(
            split("title: A\n").unwrap_err().code,
            "missing-front-matter"
        );
        assert_eq!(split("\n \n").unwrap_err().code, "empty-file");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }
}

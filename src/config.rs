//! `sitrep.yaml`: the portal's configuration, its defaults and its validation.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Pos};
use crate::yaml::{self, Spans};

pub const CONFIG_FILE: &str = "sitrep.yaml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeverityLevel {
    pub id: String,
    #[serde(default)]
    pub label: String,
    /// A CSS colour for badges; defaults by rank when absent.
    #[serde(default)]
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CultureConfig {
    pub min_respondents: usize,
    pub bureaucratic_from: f64,
    pub generative_from: f64,
}

impl Default for CultureConfig {
    fn default() -> Self {
        CultureConfig {
            min_respondents: 5,
            bureaucratic_from: 3.0,
            generative_from: 5.0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MarkdownConfig {
    pub allow_raw_html: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SloConfig {
    /// A day that consumes more than this fraction of the window's error budget is flagged
    /// (the SRE workbook's 20% rule).
    pub budget_spike_threshold: f64,
}

impl Default for SloConfig {
    fn default() -> Self {
        SloConfig {
            budget_spike_threshold: 0.2,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostmortemConfig {
    /// Extra blaming phrases to warn about, beside the built-in ones.
    pub blaming_phrases: Vec<String>,
}

/// The whole configuration, with every default applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub theme: String,
    pub severities: Vec<SeverityLevel>,
    pub culture: CultureConfig,
    pub markdown: MarkdownConfig,
    pub slo: SloConfig,
    pub postmortems: PostmortemConfig,
    /// Lines of robots.txt; default allows everything.
    pub robots: Option<String>,
    /// Build the search index (`false`: no index and no search box; the search page still
    /// lists every index to browse).
    pub search: bool,
}

const KNOWN_FIELDS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "theme",
    "severities",
    "culture",
    "markdown",
    "slo",
    "postmortems",
    "robots",
    "search",
];

fn default_severities() -> Vec<SeverityLevel> {
    [
        ("SEV1", "Critical"),
        ("SEV2", "Major"),
        ("SEV3", "Minor"),
        ("SEV4", "Low"),
    ]
    .into_iter()
    .map(|(id, label)| SeverityLevel {
        id: id.into(),
        label: label.into(),
        color: None,
    })
    .collect()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "SRE Community of Practice".into(),
            description: String::new(),
            base_url: "/".into(),
            theme: "default".into(),
            severities: default_severities(),
            culture: CultureConfig::default(),
            markdown: MarkdownConfig::default(),
            slo: SloConfig::default(),
            postmortems: PostmortemConfig::default(),
            robots: None,
            search: true,
        }
    }
}

impl Config {
    /// The path part of `base_url`, always starting and ending with `/` (`https://h/sre` -> `/sre/`).
    /// Every internal link starts with it so the site works under a sub-path.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// `base_url` without the trailing slash, for absolute URLs in feeds and the sitemap.
    pub fn absolute_root(&self) -> String {
        self.base_url.trim_end_matches('/').to_string()
    }

    pub fn severity_rank(&self, id: &str) -> Option<usize> {
        self.severities.iter().position(|s| s.id == id)
    }
}

pub fn base_path_of(base_url: &str) -> String {
    let after_scheme = match base_url.find("://") {
        Some(i) => &base_url[i + 3..],
        None => return normalize_path(base_url),
    };
    match after_scheme.find('/') {
        Some(i) => normalize_path(&after_scheme[i..]),
        None => "/".into(),
    }
}

fn normalize_path(p: &str) -> String {
    let trimmed = p.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Why a configuration could not be loaded at all (as opposed to content errors inside it).
#[derive(Debug)]
pub enum ConfigError {
    /// No sitrep.yaml: not a portal root. A usage error (exit 2).
    Missing(PathBuf),
    /// The file exists but has errors: content errors with positions (exit 1).
    Invalid(Vec<Diagnostic>),
}

/// Reads and validates `<root>/sitrep.yaml`. Warnings (unknown fields) are returned with the config.
pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>), ConfigError> {
    let path = root.join(CONFIG_FILE);
    let file = PathBuf::from(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            return ConfigError::Missing(path.clone());
        }
        // Present but unreadable (a folder, no permission): saying "not found" would mislead.
        ConfigError::Invalid(vec![
            Diagnostic::error(&file, "unreadable", format!("cannot read sitrep.yaml: {e}"))
                .with_help("sitrep.yaml must be a readable file"),
        ])
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
            // Columns are as the author sees them: a BOM takes no room.
            let shown = prefix.strip_prefix('\u{feff}').unwrap_or(&prefix);
            let pos = Pos::of_offset(shown, shown.len());
            return Err(ConfigError::Invalid(vec![
                Diagnostic::error(&file, "not-utf8", "sitrep.yaml is not valid UTF-8")
                    .at(pos.line, pos.column)
                    .with_help("save the file as UTF-8"),
            ]));
        }
    };
    parse(&text, &file)
}

/// Parses configuration text; split from [`load`] so tests need no files.
pub fn parse(text: &str, file: &Path) -> Result<(Config, Vec<Diagnostic>), ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let map = yaml::Mapping::parse(text).map_err(|e| {
        ConfigError::Invalid(vec![
            Diagnostic::error(file, "yaml-syntax", e.message).at_pos(e.pos),
        ])
    })?;
    let spans = Spans::of(text);
    let mut diags = Vec::new();
    let mut config = Config::default();

    macro_rules! field {
        ($name:literal, $target:expr) => {
            if let Some(r) = map.get($name) {
                match r {
                    Ok(v) => $target = v,
                    Err(msg) => diags.push(
                        Diagnostic::error(file, "wrong-type", format!("`{}`: {msg}", $name))
                            .at_pos(spans.value($name)),
                    ),
                }
            }
        };
    }
    field!("title", config.title);
    field!("description", config.description);
    field!("base_url", config.base_url);
    field!("theme", config.theme);
    field!("severities", config.severities);
    field!("culture", config.culture);
    field!("markdown", config.markdown);
    field!("slo", config.slo);
    field!("postmortems", config.postmortems);
    field!("search", config.search);
    if let Some(Ok(r)) = map.get::<String>("robots") {
        config.robots = Some(r);
    }

    for key in map.keys() {
        if !KNOWN_FIELDS.contains(&key.as_str()) {
            diags.push(unknown_field(file, &key, KNOWN_FIELDS, spans.key(&key)));
        }
    }
    for (i, level) in config.severities.iter().enumerate() {
        if let Some(color) = &level.color
            && !is_css_color(color)
        {
            diags.push(
                Diagnostic::error(
                    file,
                    "invalid-value",
                    format!("`{color}` is not a CSS colour"),
                )
                .at_pos(spans.value(&format!("severities.{i}.color")))
                .with_help("write a colour like `#d1242f`, `crimson` or `rgb(209 36 47)`"),
            );
        }
    }
    if config.severities.is_empty() {
        diags.push(
            Diagnostic::error(
                file,
                "invalid-value",
                "`severities` must list at least one level",
            )
            .at_pos(spans.value("severities")),
        );
    }
    let c = &config.culture;
    if c.bureaucratic_from > c.generative_from {
        diags.push(
            Diagnostic::error(
                file,
                "invalid-value",
                "`culture.bureaucratic_from` must not be above `culture.generative_from`",
            )
            .at_pos(spans.value("culture.bureaucratic_from")),
        );
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(ConfigError::Invalid(diags));
    }
    Ok((config, diags))
}

/// A conservative check for colours that go into a `style` attribute: a hex colour, a colour
/// name, or an rgb()/hsl() function of numbers, so config cannot inject other CSS.
fn is_css_color(c: &str) -> bool {
    let c = c.trim();
    if let Some(hex) = c.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|ch| ch.is_ascii_hexdigit());
    }
    if c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        return !c.is_empty();
    }
    let Some(open) = c.find('(') else {
        return false;
    };
    matches!(&c[..open], "rgb" | "rgba" | "hsl" | "hsla")
        && c.ends_with(')')
        && c[open + 1..c.len() - 1].chars().all(|ch| {
            ch.is_ascii_digit() || " .,%/-".contains(ch) || ch == 'd' || ch == 'e' || ch == 'g'
        })
}

/// A warning for a field no kind knows, naming the nearest known one.
pub fn unknown_field(file: &Path, key: &str, known: &[&str], pos: Option<Pos>) -> Diagnostic {
    let d =
        Diagnostic::warning(file, "unknown-field", format!("unknown field `{key}`")).at_pos(pos);
    match crate::suggest::nearest(key, known.iter().copied()) {
        Some(n) => d.with_help(format!("did you mean `{n}`?")),
        None => d.with_help(format!("known fields: {}", known.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_normalized() {
        assert_eq!(base_path_of("https://sre.example.internal/"), "/");
        assert_eq!(base_path_of("https://host/sre"), "/sre/");
        assert_eq!(base_path_of("https://host/a/b/"), "/a/b/");
        assert_eq!(base_path_of("/docs"), "/docs/");
        assert_eq!(base_path_of("https://host"), "/");
    }

    #[test]
    fn defaults_and_unknown_fields() {
        let (c, w) = parse(
            "title: T\nbase_url: https://h/x/\nthme: dark\n",
            Path::new("sitrep.yaml"),
        )
        .unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.culture.min_respondents, 5);
        assert_eq!(c.severities.len(), 4);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].column), (3, 1));
        assert_eq!(w[0].help.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn severity_colours_cannot_inject_css() {
        assert!(
            is_css_color("#d1242f") && is_css_color("crimson") && is_css_color("rgb(209 36 47)")
        );
        assert!(!is_css_color("red; background: url(x)"));
        assert!(!is_css_color("expression(alert(1))"));
        let text = "severities:\n  - {id: SEV1, label: Critical, color: \"red;x:y\"}\n";
        let Err(ConfigError::Invalid(d)) = parse(text, Path::new("sitrep.yaml")) else {
            panic!("expected an error")
        };
        assert_eq!((d[0].line, d[0].code), (2, "invalid-value"));
    }

    #[test]
    fn wrong_types_are_errors_with_positions() {
        let Err(ConfigError::Invalid(d)) = parse(
            "title: T\nculture: {min_respondents: many}\n",
            Path::new("sitrep.yaml"),
        ) else {
            panic!("expected an error")
        };
        assert_eq!(d[0].code, "wrong-type");
        assert_eq!(d[0].line, 2);
    }
}

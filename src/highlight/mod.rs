//! Syntax highlighting of fenced code blocks at build time, with syntect on the Oniguruma regex
//! engine (the pure-Rust one backtracks for milliseconds on a three-line YAML block). The HTML carries CSS classes (`hl-*`), not colours, so one stylesheet
//! ([`stylesheet`], written as `highlight.css`) themes it for light and dark mode alike.
//! PromQL, common in runbooks and SLO pages, is added to syntect's default syntaxes, and YAML,
//! the language of this domain's snippets (alert rules, OpenSLO, manifests), gets a grammar of
//! our own with the default one's scopes at a fraction of its cost (`yaml.sublime-syntax`).

use std::sync::LazyLock;

mod contrast;
#[cfg(test)]
mod yaml_tests;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const PROMQL: &str = include_str!("promql.sublime-syntax");
const YAML: &str = include_str!("yaml.sublime-syntax");
/// Light and dark themes from syntect's defaults.
const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";
/// The backgrounds code is shown on in the default theme (`pre.hl-code` is `--card` in
/// style.css, light and dark): every token colour is made legible on them (see [`contrast`]).
const LIGHT_BG: [u8; 3] = [0xf6, 0xf8, 0xfa];
const DARK_BG: [u8; 3] = [0x15, 0x1b, 0x23];

/// Loaded on the first highlighted block only: a portal without code pays nothing. Immutable
/// once built, so sharing it between the loader's threads needs no lock.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// sitrep's own grammars (PromQL, YAML) in a set of their own: adding them to the default set
/// (`into_builder().build()`) re-serializes every default syntax, a quarter of a 1,000-page
/// build's instructions. Both are compiled into the binary and tested, so a failure to load one
/// is a bug, not an author's error.
static OWN_SET: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let mut builder = SyntaxSetBuilder::new();
    for grammar in [PROMQL, YAML] {
        builder.add(
            SyntaxDefinition::load_from_str(grammar, true, None)
                .expect("sitrep's own grammars load (tested)"),
        );
    }
    builder.build()
});

/// Names authors write after the fence that syntect knows by another token.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "zsh" | "shell-session" => "bash",
        "golang" => "go",
        "py" => "python",
        "js" | "javascript" => "js",
        "dockerfile" => "Dockerfile",
        other => other,
    }
}

/// The syntax of a fence's language, with the set it belongs to.
fn syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let lang = lang.trim().to_ascii_lowercase();
    match lang.as_str() {
        "" | "text" | "plain" => None,
        "promql" | "yaml" | "yml" => OWN_SET.find_syntax_by_token(&lang).map(|s| (s, &*OWN_SET)),
        other => SYNTAXES
            .find_syntax_by_token(alias(other))
            .map(|s| (s, &*SYNTAXES)),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML of a fenced block: highlighted when the language is known, escaped text otherwise.
/// `lang` is the first word of the fence's info string.
pub fn code_block(code: &str, lang: &str) -> String {
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    let body = syntax(lang)
        .and_then(|(s, set)| {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(s, set, STYLE);
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .ok()?;
            }
            Some(generator.finalize())
        })
        .map(|html| (html, " class=\"hl-code\""));
    match body {
        Some((html, pre_class)) => format!("<pre{pre_class}><code{class}>{html}</code></pre>\n"),
        None => format!("<pre><code{class}>{}</code></pre>\n", escape(code)),
    }
}

/// The stylesheet for highlighted code: the light theme, and the dark one under
/// `prefers-color-scheme: dark`. Each under its own media query: the two themes do not style the
/// same scopes, so a light rule left active in dark mode would colour tokens the dark theme leaves
/// alone (dark blue on the dark background).
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "/* Code highlighting, generated by sitrep from syntect's {LIGHT} and {DARK} themes. */\n\
         @media not all and (prefers-color-scheme: dark) {{\n{}}}\n\
         @media (prefers-color-scheme: dark) {{\n{}}}\n",
        contrast::legible_css(&css(LIGHT), LIGHT_BG),
        contrast::legible_css(&css(DARK), DARK_BG)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_unknown_ones_stay_escaped() {
        let yaml = code_block("key: value # note\n", "yaml");
        assert!(yaml.starts_with("<pre class=\"hl-code\"><code class=\"language-yaml\">"));
        assert!(yaml.contains("hl-"), "{yaml}");
        assert!(
            !yaml.contains("style="),
            "classes, not inline colours: {yaml}"
        );
        let shell = code_block("kubectl get pods | grep -v Running\n", "shell");
        assert!(shell.contains("hl-source hl-shell"), "{shell}");
        let plain = code_block("<script>alert(1)</script>\n", "nosuchlang");
        assert_eq!(
            plain,
            "<pre><code class=\"language-nosuchlang\">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n"
        );
        let hostile = code_block("x\n", "\"><script>");
        assert!(!hostile.contains("<script>"), "{hostile}");
    }

    #[test]
    fn promql_is_highlighted() {
        let html = code_block(
            "sum(rate(http_requests_total{job=\"api\", code=~\"5..\"}[5m])) by (route)\n",
            "promql",
        );
        assert!(html.contains("hl-source hl-promql"), "{html}");
        assert!(html.contains("hl-support hl-function hl-promql"), "{html}");
        assert!(html.contains("hl-string hl-quoted"), "{html}");
        assert!(html.contains("hl-constant hl-other hl-range"), "{html}");
    }

    #[test]
    fn stylesheet_has_light_and_dark_rules() {
        let css = stylesheet();
        assert!(css.contains(".hl-code"));
        let light = css
            .find("@media not all and (prefers-color-scheme: dark) {")
            .expect("light");
        let dark = css
            .find("@media (prefers-color-scheme: dark) {")
            .expect("dark block");
        assert!(light < css.find(".hl-code").unwrap() && light < dark);
        assert!(css[dark..].contains(".hl-code"));
        // Every token colour reaches AA on the code background of its mode.
        for (part, bg) in [(&css[..dark], LIGHT_BG), (&css[dark..], DARK_BG)] {
            for hex in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
            {
                let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
                let fg = [c(0), c(2), c(4)];
                assert!(contrast::ratio(fg, bg) >= contrast::MIN_RATIO, "#{hex}");
            }
        }
    }
}

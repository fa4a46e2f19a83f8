//! Templates and static files of the theme: the default theme is compiled into the binary, and a
//! portal's `themes/<name>/templates/*.html` and `themes/<name>/static/*` override it file by file.
//! Templates are parsed once per build.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::Diagnostic;

// The default theme's templates and static files, as compiled in (listed by build.rs).
include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

pub struct Theme {
    pub tera: Tera,
    /// Static files: output path (relative) and bytes.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Every template's name and text, for watch mode to tell which templates an edit changed.
    pub sources: Vec<(String, String)>,
}

fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

pub fn diagnostic_for(file: impl Into<PathBuf>, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(file, "template", tera_message(e))
        .with_help("fix the template; the built-in default theme shows the variables each page has")
}

/// Loads the built-in templates, then the portal theme's overrides.
pub fn load(root: &Path, theme_name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme_name);
    let mut templates: Vec<(String, String, PathBuf)> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, s)| {
            (
                n.to_string(),
                s.to_string(),
                PathBuf::from(format!("<built-in>/{n}")),
            )
        })
        .collect();
    let mut diags = Vec::new();
    let tpl_dir = theme_dir.join("templates");
    if tpl_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&tpl_dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry
                .path()
                .strip_prefix(&tpl_dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            if crate::load::is_ignored(&name) {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    templates.retain(|(n, _, _)| *n != name);
                    templates.push((name, text, rel));
                }
                Err(e) => diags.push(Diagnostic::error(
                    rel,
                    "unreadable",
                    format!("cannot read the template: {e}"),
                )),
            }
        }
    } else if theme_name != "default" {
        diags.push(
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                "unknown-theme",
                format!("theme `{theme_name}` not found in themes/"),
            )
            .with_help("set `theme: default` or create themes/<name>/templates/"),
        );
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Templates are parsed once, in parallel (pest spends ~50 ms of CPU on the default theme's
    // 140 KB, which watch mode pays again after a template edit), then linked together; a
    // syntax error names its own file.
    let parsed: Vec<Result<tera::Template, tera::Error>> = templates
        .par_iter()
        .map(|(name, text, _)| tera::Template::new(name, None, text))
        .collect();
    for (result, (name, _, path)) in parsed.into_iter().zip(&templates) {
        match result {
            // `Tera::add_raw_templates` does the same, one template after the other (`templates`
            // is public but left out of Tera's docs; Cargo.lock pins tera 1.20.1).
            Ok(template) => {
                tera.templates.insert(name.clone(), template);
            }
            Err(e) => diags.push(diagnostic_for(path, &e)),
        }
    }
    if diags.is_empty()
        && let Err(e) = tera
            .build_inheritance_chains()
            .and_then(|()| tera.check_macro_files())
    {
        diags.push(diagnostic_for(theme_dir.join("templates"), &e));
    }
    if !diags.is_empty() {
        return Err(diags);
    }

    let mut static_files: Vec<(String, Vec<u8>)> = BUILTIN_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    for dir in [theme_dir.join("static"), root.join("static")] {
        collect_static(&dir, &mut static_files, &mut diags, root);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let sources = templates.into_iter().map(|(n, t, _)| (n, t)).collect();
    Ok(Theme {
        tera,
        static_files,
        sources,
    })
}

fn collect_static(
    dir: &Path,
    out: &mut Vec<(String, Vec<u8>)>,
    diags: &mut Vec<Diagnostic>,
    root: &Path,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .unwrap_or_default();
                diags.push(Diagnostic::error(
                    p,
                    "unreadable",
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel.split('/').any(crate::load::is_ignored) {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                out.retain(|(n, _)| *n != rel);
                out.push((rel, bytes));
            }
            Err(e) => diags.push(Diagnostic::error(
                entry.path().strip_prefix(root).unwrap_or(entry.path()),
                "unreadable",
                format!("cannot read: {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal_with_templates(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let tpl = dir.path().join("themes/custom/templates");
        std::fs::create_dir_all(&tpl).unwrap();
        for (name, text) in templates {
            std::fs::write(tpl.join(name), text).unwrap();
        }
        dir
    }

    fn files(diags: &[Diagnostic]) -> Vec<String> {
        let mut files: Vec<String> = diags
            .iter()
            .map(|d| d.file.to_string_lossy().replace('\\', "/"))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_built_in_theme_parses_and_overrides_replace_built_in_templates() {
        let dir = portal_with_templates(&[("page.html", "<p>{{ doc.title }}</p>")]);
        let theme = load(dir.path(), "custom").unwrap();
        assert_eq!(
            theme.tera.get_template_names().count(),
            BUILTIN_TEMPLATES.len()
        );
        let mut ctx = tera::Context::new();
        ctx.insert("doc", &serde_json::json!({"title": "A & B"}));
        assert_eq!(
            theme.tera.render("page.html", &ctx).unwrap(),
            "<p>A &amp; B</p>"
        );
    }

    #[test]
    fn every_broken_template_is_named_in_its_own_diagnostic() {
        let dir = portal_with_templates(&[
            ("page.html", "{{ unclosed "),
            ("tag.html", "{% if %}"),
            ("list.html", "fine {{ page_title }}"),
        ]);
        let diags = load(dir.path(), "custom").err().unwrap();
        assert_eq!(
            files(&diags),
            [
                "themes/custom/templates/page.html",
                "themes/custom/templates/tag.html"
            ]
        );
        assert!(diags.iter().all(|d| d.code == "template"));
    }

    #[test]
    fn a_template_extending_a_missing_one_fails_when_linked() {
        let dir = portal_with_templates(&[(
            "page.html",
            "{% extends \"missing.html\" %}{% block content %}{% endblock content %}",
        )]);
        let diags = load(dir.path(), "custom").err().unwrap();
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("missing.html"), "{diags:?}");
        assert!(diags[0].file.ends_with("themes/custom/templates"));
    }
}

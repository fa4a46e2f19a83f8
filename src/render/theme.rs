//! Templates and static files of the theme: the default theme is compiled into the binary, and a
//! portal's `themes/<name>/templates/*.html` and `themes/<name>/static/*` override it file by file.
//! Templates are parsed once per build.

use std::path::{Path, PathBuf};

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
    let pairs: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    // Templates are parsed once, together. Only when that fails are they parsed one by one
    // again, so that a syntax error names its own file.
    if let Err(e) = tera.add_raw_templates(pairs) {
        for (name, text, path) in &templates {
            if let Err(e) = tera::Template::new(name, None, text) {
                diags.push(diagnostic_for(path, &e));
            }
        }
        if diags.is_empty() {
            diags.push(diagnostic_for(theme_dir.join("templates"), &e));
        }
        return Err(diags);
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

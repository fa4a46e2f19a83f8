//! `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`.

use crate::index::SiteIndex;
use crate::url;

/// The sitemap protocol's limit per file; a larger site gets a sitemap index.
pub const MAX_URLS: usize = 50_000;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The sitemap files for `paths` (site paths of the HTML pages, already sorted): one
/// `sitemap.xml`, or, past [`MAX_URLS`], `sitemap.xml` as an index of `sitemap-N.xml` files.
pub fn sitemaps(index: &SiteIndex, paths: &[String]) -> Vec<(String, String)> {
    let abs = |p: &str| escape(&url::absolute(&index.config.base_url, p));
    let urlset = |chunk: &[String]| {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in chunk {
            out.push_str(&format!("  <url><loc>{}</loc></url>\n", abs(p)));
        }
        out.push_str("</urlset>\n");
        out
    };
    if paths.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(paths))];
    }
    let mut files = Vec::new();
    let mut idx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in paths.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        idx.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            abs(&format!("{}{name}", index.base_path))
        ));
        files.push((name, urlset(chunk)));
    }
    idx.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), idx));
    files
}

/// `robots.txt`: the `robots` text of sitrep.yaml (default: allow everything), plus a `Sitemap:`
/// line when the configured text has none and `base_url` is absolute (the protocol wants an
/// absolute URL there).
pub fn robots(index: &SiteIndex) -> String {
    let mut out = index
        .config
        .robots
        .clone()
        .unwrap_or_else(|| "User-agent: *\nAllow: /\n".into());
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let has_sitemap = out
        .lines()
        .any(|l| l.trim_start().to_ascii_lowercase().starts_with("sitemap:"));
    if !has_sitemap && url::origin(&index.config.base_url).is_some() {
        out.push_str(&format!(
            "Sitemap: {}\n",
            url::absolute(
                &index.config.base_url,
                &format!("{}sitemap.xml", index.base_path)
            )
        ));
    }
    out
}

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
pub fn sitemaps(base_url: &str, base_path: &str, paths: &[String]) -> Vec<(String, String)> {
    let abs = |p: &str| escape(&url::absolute(base_url, p));
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
            abs(&format!("{base_path}{name}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_site_has_one_sitemap_with_escaped_absolute_urls() {
        let files = sitemaps(
            "https://h.example/sre/",
            "/sre/",
            &["/sre/".into(), "/sre/tags/r&d/".into()],
        );
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<loc>https://h.example/sre/</loc>"));
        assert!(
            files[0]
                .1
                .contains("<loc>https://h.example/sre/tags/r&amp;d/</loc>")
        );
    }

    #[test]
    fn past_the_limit_the_sitemap_becomes_an_index() {
        let paths: Vec<String> = (0..MAX_URLS + 1).map(|i| format!("/p/{i}/")).collect();
        let files = sitemaps("https://h.example", "/", &paths);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(
            files[0]
                .1
                .contains("<loc>https://h.example/sitemap-2.xml</loc>")
        );
        assert_eq!(files[1].1.matches("<url>").count(), MAX_URLS);
        assert_eq!(files[2].1.matches("<url>").count(), 1);
    }
}

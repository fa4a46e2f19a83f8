//! URLs of the site: where each page lives, and making author-supplied URLs safe.

use crate::model::{DocKey, Kind};

/// Characters kept as-is in a URL path segment; everything else is percent-encoded so ids with
/// spaces or unicode still produce working links.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/')
}

pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_encoded_path(&mut out, path);
    out
}

/// [`encode_path`] appended to `out`: links are made by the hundred thousand in a large
/// portal's lists, one allocation each rather than three.
fn push_encoded_path(out: &mut String, path: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in path.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
}

/// `/<base>/<kind>/<id>/`
pub fn doc_url(base_path: &str, key: &DocKey) -> String {
    let dir = key.kind.dir();
    let mut out = String::with_capacity(base_path.len() + dir.len() + key.id.len() + 2);
    out.push_str(base_path);
    out.push_str(dir);
    out.push('/');
    push_encoded_path(&mut out, &key.id);
    out.push('/');
    out
}

pub fn kind_url(base_path: &str, kind: Kind) -> String {
    format!("{base_path}{}/", kind.dir())
}

pub fn tag_url(base_path: &str, tag: &str) -> String {
    format!("{base_path}tags/{}/", encode_path(&slugify(tag)))
}

/// Lowercase, ASCII letters and digits kept, every other run of characters one `-`. Non-ASCII
/// letters are kept so that tags in other languages stay readable.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Returns `url` if its scheme is safe to put in an `href` (http, https, mailto, tel, or none),
/// `#` otherwise. Browsers ignore tabs and newlines inside schemes, so they are removed before the
/// check (`java\tscript:` is `javascript:` to a browser).
pub fn neutralize(url: &str) -> String {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let lower = squeezed.to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_delim = lower.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_delim) {
        (Some(c), Some(d)) => c < d,
        (Some(_), None) => true,
        _ => false,
    };
    if !has_scheme {
        return url.to_string();
    }
    const SAFE: [&str; 4] = ["http:", "https:", "mailto:", "tel:"];
    if SAFE.iter().any(|s| lower.starts_with(s)) {
        url.to_string()
    } else {
        "#".to_string()
    }
}

/// The scheme and host of `base_url` (`https://h` for `https://h/sre/`), when it has one.
pub fn origin(base_url: &str) -> Option<&str> {
    let scheme_end = base_url.find("://")?;
    let rest = &base_url[scheme_end + 3..];
    let host_end = rest
        .find('/')
        .map_or(base_url.len(), |i| scheme_end + 3 + i);
    (host_end > scheme_end + 3).then(|| &base_url[..host_end])
}

/// An absolute URL for a site path (which already starts with the base path), for feeds, the
/// sitemap and calendars, which readers fetch out of the site's context. Without an absolute
/// `base_url` the path is returned as is (the build warns about it).
pub fn absolute(base_url: &str, path: &str) -> String {
    match origin(base_url) {
        Some(o) => format!("{o}{path}"),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Percent-encoding byte by byte, as `format!("%{b:02X}")` did before paths were
        /// encoded in place; document URLs are that encoding of the id between slashes.
        #[test]
        fn paths_encode_every_reserved_byte_as_two_upper_hex_digits(id in "\\PC{0,12}") {
            let expected: String = id
                .bytes()
                .map(|b| if is_unreserved(b) { (b as char).to_string() } else { format!("%{b:02X}") })
                .collect();
            proptest::prop_assert_eq!(encode_path(&id), expected.clone());
            let key = DocKey::new(Kind::Postmortem, &id);
            proptest::prop_assert_eq!(doc_url("/sre/", &key), format!("/sre/postmortems/{expected}/"));
        }
    }

    #[test]
    fn absolute_urls_keep_the_sub_path_once() {
        assert_eq!(origin("https://h.example/sre/"), Some("https://h.example"));
        assert_eq!(origin("http://h:8080"), Some("http://h:8080"));
        assert_eq!(origin("/sre/"), None);
        assert_eq!(
            absolute("https://h.example/sre", "/sre/teams/a/"),
            "https://h.example/sre/teams/a/"
        );
        assert_eq!(absolute("/", "/teams/a/"), "/teams/a/");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Root Causes & Fixes"), "root-causes-fixes");
        assert_eq!(slugify("  on-call "), "on-call");
        assert_eq!(slugify("Ünïcode Tag"), "ünïcode-tag");
    }

    #[test]
    fn ids_with_spaces_are_encoded() {
        let k = DocKey::new(Kind::Page, "guides/my page");
        assert_eq!(doc_url("/", &k), "/pages/guides/my%20page/");
    }

    #[test]
    fn unsafe_schemes() {
        assert_eq!(neutralize("javascript:alert(1)"), "#");
        assert_eq!(neutralize(" JAVASCRIPT:alert(1)"), "#");
        assert_eq!(neutralize("data:text/html,x"), "#");
        assert_eq!(neutralize("vbscript:x"), "#");
        assert_eq!(neutralize("https://x.example/a:b"), "https://x.example/a:b");
        assert_eq!(neutralize("/a/b:c"), "/a/b:c");
        assert_eq!(neutralize("mailto:a@b"), "mailto:a@b");
        assert_eq!(neutralize("#x"), "#x");
    }
}

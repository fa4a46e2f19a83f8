//! What templates see: small serializable views built from the index for one page at a time.
//! A page gets only what it shows, never a copy of the whole site.

use serde::Serialize;

use crate::index::{DocIdx, SiteIndex};
use crate::model::*;
use crate::url;

mod culture;
mod postmortem;
mod session;
mod slo;

pub use culture::*;
pub use postmortem::*;
pub use session::*;
pub use slo::*;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub id: String,
}

/// A JSON object of values already made, moved in. `json!` serializes every value it is given
/// again, so lists of rows already made into `Value`s and then put in a `json!` object were
/// copied a second time, field by field, through serde: on the root-cause index that copy was
/// two fifths of the page's context.
pub fn object<const N: usize>(fields: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

pub fn link(index: &SiteIndex, i: DocIdx) -> Link {
    let d = &index.docs[i];
    Link {
        title: d.title.clone(),
        url: index.url(i),
        kind: d.key.kind.singular(),
        kind_label: d.key.kind.label(),
        id: d.key.id.clone(),
    }
}

/// A link to a referenced id when it is published; references are checked at index time, so a
/// miss here means the target is a draft left out of this build.
pub fn link_to(index: &SiteIndex, kind: Kind, id: &str) -> Option<Link> {
    index.get(&DocKey::new(kind, id)).map(|i| link(index, i))
}

pub fn links_to(index: &SiteIndex, kind: Kind, ids: &[String]) -> Vec<Link> {
    ids.iter()
        .filter_map(|id| link_to(index, kind, id))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub url: String,
}

pub fn tag_links(index: &SiteIndex, tags: &[String]) -> Vec<TagLink> {
    tags.iter()
        .filter(|t| !url::slugify(t).is_empty())
        .map(|t| TagLink {
            name: t.clone(),
            url: url::tag_url(&index.base_path, t),
        })
        .collect()
}

pub fn percent(fraction: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, fraction * 100.0)
}

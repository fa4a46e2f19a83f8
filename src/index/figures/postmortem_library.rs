//! The postmortem library: facets (year, severity, service, team, tag) with their postmortems,
//! the root-cause and trigger index, and the statistics per severity and quarter. Worked out once
//! per build from the published postmortems.

use std::collections::{BTreeMap, HashMap};

use crate::domain::incident;
use crate::index::{DocIdx, SiteIndex};
use crate::model::{DocKey, Kind, KindData, Postmortem};
use crate::url;

/// A dimension of the library; each value has its own page at `/postmortems/<facet>/<slug>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Year,
    Severity,
    Service,
    Team,
    Tag,
}

impl Facet {
    pub const ALL: [Facet; 5] = [
        Facet::Year,
        Facet::Severity,
        Facet::Service,
        Facet::Team,
        Facet::Tag,
    ];

    /// The URL segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Year => "year",
            Facet::Severity => "severity",
            Facet::Service => "service",
            Facet::Team => "team",
            Facet::Tag => "tag",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Facet::Year => "Year",
            Facet::Severity => "Severity",
            Facet::Service => "Service",
            Facet::Team => "Team",
            Facet::Tag => "Tag",
        }
    }
}

/// One value of a facet and the postmortems that have it, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetValue {
    pub slug: String,
    pub label: String,
    pub docs: Vec<DocIdx>,
}

/// A root cause or trigger as named by one or more postmortems.
#[derive(Debug, Clone, PartialEq)]
pub struct CauseEntry {
    /// The most common spelling (the oldest postmortem's on a tie).
    pub text: String,
    /// Postmortems that name it, newest first.
    pub docs: Vec<DocIdx>,
}

/// Per severity: how many postmortems, and the medians of their times to detect and resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct SeverityStats {
    /// Index into the configured severities.
    pub rank: usize,
    pub count: usize,
    pub median_detect: Option<i64>,
    pub median_resolve: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// Published postmortems, newest first.
    pub all: Vec<DocIdx>,
    /// Each facet with its values in display order (years newest first, severities by rank,
    /// the others by label).
    pub facets: Vec<(Facet, Vec<FacetValue>)>,
    pub root_causes: Vec<CauseEntry>,
    pub triggers: Vec<CauseEntry>,
    /// Every quarter from the first to the last postmortem (gaps included), with the count per
    /// severity rank.
    pub quarters: Vec<(String, Vec<usize>)>,
    pub by_severity: Vec<SeverityStats>,
}

impl Library {
    pub fn facet(&self, facet: Facet) -> &[FacetValue] {
        self.facets
            .iter()
            .find(|(f, _)| *f == facet)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    pub fn value(&self, facet: Facet, slug: &str) -> Option<&FacetValue> {
        self.facet(facet).iter().find(|v| v.slug == slug)
    }
}

fn postmortem(index: &SiteIndex, i: DocIdx) -> Option<&Postmortem> {
    match &index.docs[i].data {
        KindData::Postmortem(p) => Some(p),
        _ => None,
    }
}

fn title_of(index: &SiteIndex, kind: Kind, id: &str) -> String {
    index
        .get(&DocKey::new(kind, id))
        .map_or_else(|| id.to_string(), |i| index.docs[i].title.clone())
}

pub(super) fn compute(
    index: &SiteIndex,
    durations: &HashMap<DocIdx, incident::Durations>,
) -> Library {
    let mut all: Vec<DocIdx> = index
        .of_kind_unsorted(Kind::Postmortem)
        .into_iter()
        .filter(|&i| postmortem(index, i).is_some())
        .collect();
    let date = |i: DocIdx| postmortem(index, i).and_then(|p| p.date);
    all.sort_by(|&a, &b| {
        date(b)
            .cmp(&date(a))
            .then_with(|| index.docs[a].key.cmp(&index.docs[b].key))
    });

    // (facet, slug) -> (label, docs); BTreeMap keeps slugs sorted for a stable order.
    let mut groups: BTreeMap<(Facet, String), (String, Vec<DocIdx>)> = BTreeMap::new();
    let mut add = |facet: Facet, slug: String, label: String, i: DocIdx| {
        if slug.is_empty() {
            return;
        }
        let entry = groups.entry((facet, slug)).or_insert((label, Vec::new()));
        if !entry.1.contains(&i) {
            entry.1.push(i);
        }
    };
    for &i in &all {
        let Some(p) = postmortem(index, i) else {
            continue;
        };
        if let Some(d) = p.date {
            add(Facet::Year, d.year().to_string(), d.year().to_string(), i);
        }
        let label = index
            .config
            .severities
            .iter()
            .find(|s| s.id == p.severity)
            .map_or_else(|| p.severity.clone(), |s| format!("{} ({})", s.id, s.label));
        add(Facet::Severity, url::slugify(&p.severity), label, i);
        for s in &p.services {
            add(
                Facet::Service,
                s.clone(),
                title_of(index, Kind::Service, s),
                i,
            );
        }
        for t in &p.teams {
            add(Facet::Team, t.clone(), title_of(index, Kind::Team, t), i);
        }
        for tag in &index.docs[i].tags {
            add(Facet::Tag, url::slugify(tag), tag.clone(), i);
        }
    }
    let mut facets: Vec<(Facet, Vec<FacetValue>)> =
        Facet::ALL.iter().map(|f| (*f, Vec::new())).collect();
    for ((facet, slug), (label, docs)) in groups {
        if let Some((_, values)) = facets.iter_mut().find(|(f, _)| *f == facet) {
            values.push(FacetValue { slug, label, docs });
        }
    }
    for (facet, values) in &mut facets {
        match facet {
            Facet::Year => values.sort_by(|a, b| b.slug.cmp(&a.slug)),
            Facet::Severity => values.sort_by_key(|v| {
                index
                    .config
                    .severities
                    .iter()
                    .position(|s| url::slugify(&s.id) == v.slug)
                    .unwrap_or(usize::MAX)
            }),
            _ => values.sort_by(|a, b| {
                a.label
                    .to_lowercase()
                    .cmp(&b.label.to_lowercase())
                    .then_with(|| a.slug.cmp(&b.slug))
            }),
        }
    }

    let causes = |pick: &dyn Fn(&Postmortem) -> Vec<String>| {
        let named = all.iter().flat_map(|&i| {
            postmortem(index, i)
                .map(pick)
                .unwrap_or_default()
                .into_iter()
                .map(move |c| (i, c))
        });
        cause_index(named)
    };
    let root_causes = causes(&|p| p.root_causes.clone());
    let triggers = causes(&|p| p.trigger.clone().into_iter().collect());

    let ranks = index.config.severities.len();
    let mut per_quarter: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut detect: Vec<Vec<i64>> = vec![Vec::new(); ranks];
    let mut resolve: Vec<Vec<i64>> = vec![Vec::new(); ranks];
    let mut counts = vec![0usize; ranks];
    for &i in &all {
        let Some(p) = postmortem(index, i) else {
            continue;
        };
        let Some(rank) = index.config.severity_rank(&p.severity) else {
            continue;
        };
        counts[rank] += 1;
        if let Some(d) = p.date {
            per_quarter
                .entry(incident::quarter_number(d))
                .or_insert_with(|| vec![0; ranks])[rank] += 1;
        }
        if let Some(d) = durations.get(&i) {
            detect[rank].extend(d.to_detect);
            resolve[rank].extend(d.to_resolve);
        }
    }
    let quarters = match (
        per_quarter.keys().next().copied(),
        per_quarter.keys().last().copied(),
    ) {
        (Some(first), Some(last)) => (first..=last)
            .map(|q| {
                (
                    incident::quarter_name(q),
                    per_quarter
                        .get(&q)
                        .cloned()
                        .unwrap_or_else(|| vec![0; ranks]),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let by_severity = (0..ranks)
        .map(|rank| SeverityStats {
            rank,
            count: counts[rank],
            median_detect: incident::median(&detect[rank]),
            median_resolve: incident::median(&resolve[rank]),
        })
        .collect();

    Library {
        all,
        facets,
        root_causes,
        triggers,
        quarters,
        by_severity,
    }
}

/// Groups causes by [`incident::cause_key`], recurring ones first (then by how many postmortems
/// name them, then alphabetically). `named` comes newest postmortem first.
fn cause_index(named: impl Iterator<Item = (DocIdx, String)>) -> Vec<CauseEntry> {
    /// Spellings with their counts in first-seen order, and the postmortems.
    type Group = (Vec<(String, usize)>, Vec<DocIdx>);
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (i, text) in named {
        let key = incident::cause_key(&text);
        if key.is_empty() {
            continue;
        }
        let shown = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (spellings, docs) = groups.entry(key).or_default();
        match spellings.iter_mut().find(|(s, _)| *s == shown) {
            Some((_, n)) => *n += 1,
            None => spellings.push((shown, 1)),
        }
        if !docs.contains(&i) {
            docs.push(i);
        }
    }
    let mut out: Vec<CauseEntry> = groups
        .into_values()
        .map(|(spellings, docs)| {
            let best = spellings.iter().map(|(_, n)| *n).max().unwrap_or(0);
            // On a tie the oldest postmortem's spelling: the name the cause was first given.
            let text = spellings
                .into_iter()
                .rfind(|(_, n)| *n == best)
                .map(|(s, _)| s)
                .unwrap_or_default();
            CauseEntry { text, docs }
        })
        .collect();
    out.sort_by(|a, b| {
        b.docs
            .len()
            .cmp(&a.docs.len())
            .then_with(|| a.text.to_lowercase().cmp(&b.text.to_lowercase()))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_group_case_and_space_insensitively_recurring_first() {
        let named = vec![
            (3, "Connection Pool Exhaustion".to_string()),
            (3, "Retry storm".to_string()),
            (2, "connection  pool exhaustion".to_string()),
            (1, "Certificate expiry".to_string()),
            (0, "Connection pool exhaustion.".to_string()),
            (0, "connection pool exhaustion".to_string()),
        ];
        let idx = cause_index(named.into_iter());
        assert_eq!(idx.len(), 3);
        // Docs 3, 2 and 0 name it (0 twice, counted once); the spelling used twice wins.
        assert_eq!(idx[0].text, "connection pool exhaustion");
        assert_eq!(idx[0].docs, vec![3, 2, 0]);
        // Single mentions follow, alphabetically.
        assert_eq!(idx[1].text, "Certificate expiry");
        assert_eq!(idx[2].text, "Retry storm");
    }
}

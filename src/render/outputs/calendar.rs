//! iCalendar (RFC 5545) files of the sessions: one for all of them and one per session.
//!
//! Builds are reproducible: the UID is the session's id and the portal's host, so a calendar app
//! that imported the file once updates the same event on the next import, and DTSTAMP is the build
//! date (`SOURCE_DATE_EPOCH`), not the clock. Sessions have a date and no time, so events are
//! all-day (`DTSTART;VALUE=DATE`, `DTEND` the next day, exclusive). Lines are folded at 75 octets
//! and text is escaped by the `icalendar` crate.

use icalendar::{Calendar, Component, Event, EventLike, Property};
use jiff::civil::Date;

use crate::index::{DocIdx, SiteIndex};
use crate::model::{KindData, Session};
use crate::url;

/// The calendar of every published session, oldest first (the order calendar apps list them in).
pub fn all_sessions(index: &SiteIndex, sessions: &[DocIdx]) -> String {
    let mut cal = calendar(&format!("{}: sessions", index.config.title));
    let mut events: Vec<(Date, Event)> = sessions.iter().filter_map(|&i| event(index, i)).collect();
    events.sort_by_key(|e| e.0);
    for (_, e) in events {
        cal.push(e);
    }
    cal.done().to_string()
}

/// The calendar of one session, for the "add to calendar" link on its page.
pub fn one_session(index: &SiteIndex, i: DocIdx) -> String {
    let mut cal = calendar(&index.docs[i].title);
    if let Some((_, e)) = event(index, i) {
        cal.push(e);
    }
    cal.done().to_string()
}

fn calendar(name: &str) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//sitrep//sessions//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(&plain_text(name));
    cal
}

/// `20261203`, the DATE value type.
fn ical_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

fn event(index: &SiteIndex, i: DocIdx) -> Option<(Date, Event)> {
    let doc = &index.docs[i];
    let KindData::Session(s) = &doc.data else {
        return None;
    };
    let date = s.date?;
    let page = url::absolute(&index.config.base_url, &index.url(i));
    let mut e = Event::new();
    e.uid(&uid(index, &doc.key.id))
        .add_property(
            "DTSTAMP",
            format!("{}T000000Z", ical_date(index.build_date)),
        )
        .append_property(
            Property::new("DTSTART", ical_date(date))
                .add_parameter("VALUE", "DATE")
                .done(),
        )
        .append_property(
            Property::new("DTEND", ical_date(date.tomorrow().unwrap_or(date)))
                .add_parameter("VALUE", "DATE")
                .done(),
        )
        .summary(&plain_text(&doc.title))
        .description(&plain_text(&description(doc.summary.as_deref(), s, &page)));
    if url::origin(&index.config.base_url).is_some() {
        e.url(&page);
    }
    if let Some(loc) = &s.location {
        e.location(&plain_text(loc));
    }
    Some((date, e.done()))
}

/// Calendar TEXT is plain text, but some clients (Google Calendar among them) render HTML found
/// in a description. Angle brackets from front matter become look-alike guillemets so that no
/// markup an author typed can reach a client as markup.
fn plain_text(s: &str) -> String {
    s.replace('<', "\u{2039}").replace('>', "\u{203a}")
}

/// Stable across builds and unique across portals: the session id at the portal's host.
pub fn uid(index: &SiteIndex, id: &str) -> String {
    let host = url::origin(&index.config.base_url)
        .and_then(|o| o.split("://").nth(1))
        .unwrap_or("sitrep.invalid");
    format!("session-{}@{host}", url::encode_path(id).replace('/', "-"))
}

fn description(summary: Option<&str>, s: &Session, page: &str) -> String {
    let mut lines = Vec::new();
    if let Some(sum) = summary {
        lines.push(sum.to_string());
    }
    if !s.speakers.is_empty() {
        lines.push(format!("Speakers: {}", s.speakers.join(", ")));
    }
    lines.push(page.to_string());
    lines.join("\n")
}

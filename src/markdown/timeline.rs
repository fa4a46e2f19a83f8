//! Timelines in markdown bodies: a list whose every item starts with a time (`14:02`, `**16:10**`,
//! `19 Nov 07:05`, `08:00–09:00`) becomes `<ol class="timeline">` with each time in a `<time>`
//! element, and a table whose every row starts with a time is wrapped in `<div class="timeline">`
//! with the same `<time>` elements. Authors write plain markdown; the page gets structure that
//! the theme styles and assistive technology can read.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// A time at the start of `text`: the length in bytes of the time (with its date and range, if
/// any) and the value for a `datetime` attribute (`07:05`, or `2026-03-14T07:05` with a date).
pub fn time_prefix(text: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut date: Option<String> = None;
    if let Some((len, iso)) = date_prefix(text) {
        i = len;
        date = iso;
    }
    let (len, hh, mm, ss) = clock(&b[i..])?;
    i += len;
    // An optional range end: `08:00–09:00`, `08:00 - 09:00`.
    let rest = &text[i..];
    let trimmed = rest.trim_start_matches(' ');
    for dash in ["–", "—", "-"] {
        if let Some(after) = trimmed.strip_prefix(dash) {
            let after = after.trim_start_matches(' ');
            if let Some((len, ..)) = clock(after.as_bytes()) {
                i = text.len() - after.len() + len;
            }
            break;
        }
    }
    // The time must end there: `14:02abc` is not a time.
    if text[i..].chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let time = match ss {
        Some(s) => format!("{hh:02}:{mm:02}:{s:02}"),
        None => format!("{hh:02}:{mm:02}"),
    };
    let datetime = match date {
        Some(d) => format!("{d}T{time}"),
        None => time,
    };
    Some((i, datetime))
}

/// `H:MM`, `HH:MM` or `HH:MM:SS` with valid values: (length, hours, minutes, seconds).
fn clock(b: &[u8]) -> Option<(usize, u8, u8, Option<u8>)> {
    let digits = |from: usize, n: usize| -> Option<u8> {
        let s = b.get(from..from + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    let h_len = if b.get(1) == Some(&b':') { 1 } else { 2 };
    let hh = digits(0, h_len)?;
    if b.get(h_len) != Some(&b':') {
        return None;
    }
    let mm = digits(h_len + 1, 2)?;
    if hh > 23 || mm > 59 {
        return None;
    }
    let mut len = h_len + 3;
    let mut ss = None;
    if b.get(len) == Some(&b':')
        && let Some(s) = digits(len + 1, 2).filter(|s| *s <= 59)
    {
        ss = Some(s);
        len += 3;
    }
    if b.get(len).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((len, hh, mm, ss))
}

/// `2026-03-14 ` / `2026-03-14T` (an ISO date, returned) or `19 Nov ` / `3 March ` (a day and a
/// month name, kept as text only): the length including the separator.
fn date_prefix(text: &str) -> Option<(usize, Option<String>)> {
    let b = text.as_bytes();
    let iso = b.len() > 10
        && b[..10].iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && (b[10] == b' ' || b[10] == b'T');
    if iso {
        let d: jiff::civil::Date = text[..10].parse().ok()?;
        return Some((11, Some(d.to_string())));
    }
    let day_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&day_len) || b.get(day_len) != Some(&b' ') {
        return None;
    }
    let month: String = text[day_len + 1..]
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = month.to_ascii_lowercase();
    if month.len() < 3 || !MONTHS.iter().any(|m| lower.starts_with(m)) {
        return None;
    }
    let end = day_len + 1 + month.len();
    (b.get(end) == Some(&b' ')).then_some((end + 1, None))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape_text(text, &mut out);
    out
}

fn pulldown_cmark_escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The index of the first text event of the block starting at `start` (an item or a cell),
/// looking through paragraph and emphasis starts; `None` when something else comes first.
fn first_text(events: &[Event], start: usize) -> Option<usize> {
    for (k, e) in events.iter().enumerate().skip(start + 1) {
        match e {
            Event::Start(Tag::Paragraph | Tag::Strong | Tag::Emphasis) => {}
            Event::Text(_) => return Some(k),
            _ => return None,
        }
    }
    None
}

fn time_at(events: &[Event], k: Option<usize>) -> Option<TimeAt> {
    let k = k?;
    let Event::Text(t) = &events[k] else {
        return None;
    };
    let (len, datetime) = time_prefix(t)?;
    Some((k, len, datetime))
}

/// A time found at the start of a text event: (event index, length of the time, datetime).
type TimeAt = (usize, usize, String);

/// Rewrites timeline lists and tables in place (see the module documentation).
pub fn mark(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut times: Vec<TimeAt> = Vec::new();
    let mut lists: Vec<(usize, usize)> = Vec::new();
    let mut items: Vec<usize> = Vec::new();
    let mut tables: Vec<(usize, usize)> = Vec::new();

    let mut k = 0;
    while k < events.len() {
        match &events[k] {
            Event::Start(Tag::List(_)) => {
                let end = matching_end(&events, k);
                let mut depth = 0usize;
                let mut found: Vec<(usize, Option<TimeAt>)> = Vec::new();
                for (j, e) in events.iter().enumerate().take(end).skip(k + 1) {
                    match e {
                        Event::Start(Tag::Item) => {
                            if depth == 0 {
                                found.push((j, time_at(&events, first_text(&events, j))));
                            }
                            depth += 1;
                        }
                        Event::End(TagEnd::Item) => depth -= 1,
                        _ => {}
                    }
                }
                if found.len() >= 2 && found.iter().all(|(_, t)| t.is_some()) {
                    lists.push((k, end));
                    for (item, t) in found {
                        items.push(item);
                        times.extend(t);
                    }
                }
                // Nested lists are looked at too.
                k += 1;
            }
            Event::Start(Tag::Table(_)) => {
                let end = matching_end(&events, k);
                let mut rows: Vec<Option<TimeAt>> = Vec::new();
                let mut in_body_row = false;
                for j in k + 1..end {
                    match &events[j] {
                        Event::Start(Tag::TableRow) => in_body_row = true,
                        Event::Start(Tag::TableCell) if in_body_row => {
                            rows.push(time_at(&events, first_text(&events, j)));
                            in_body_row = false;
                        }
                        _ => {}
                    }
                }
                if !rows.is_empty() && rows.iter().all(Option::is_some) {
                    tables.push((k, end));
                    times.extend(rows.into_iter().flatten());
                }
                k = end + 1;
            }
            _ => k += 1,
        }
    }
    if lists.is_empty() && tables.is_empty() {
        return events;
    }

    let mut out = Vec::with_capacity(events.len() + times.len() * 3);
    for (k, e) in events.into_iter().enumerate() {
        if lists.iter().any(|(s, _)| *s == k) {
            out.push(Event::Html(CowStr::from("<ol class=\"timeline\">\n")));
        } else if lists.iter().any(|(_, end)| *end == k) {
            out.push(Event::Html(CowStr::from("</ol>\n")));
        } else if items.contains(&k) {
            out.push(Event::Html(CowStr::from("<li class=\"timeline-entry\">")));
        } else if let Some((_, len, datetime)) = times.iter().find(|(t, ..)| *t == k) {
            let Event::Text(text) = e else { continue };
            let (time, rest) = text.split_at(*len);
            out.push(Event::Html(CowStr::from(format!(
                "<time datetime=\"{datetime}\">{}</time>",
                escape(time)
            ))));
            if !rest.is_empty() {
                out.push(Event::Text(CowStr::from(rest.to_string())));
            }
        } else if tables.iter().any(|(s, _)| *s == k) {
            out.push(Event::Html(CowStr::from("<div class=\"timeline\">")));
            out.push(e);
        } else if tables.iter().any(|(_, end)| *end == k) {
            out.push(e);
            out.push(Event::Html(CowStr::from("</div>\n")));
        } else {
            out.push(e);
        }
    }
    out
}

/// The index of the `End` event matching the `Start` at `start`.
fn matching_end(events: &[Event], start: usize) -> usize {
    let mut depth = 0usize;
    for (k, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_prefixes() {
        assert_eq!(time_prefix("14:02 switchover"), Some((5, "14:02".into())));
        assert_eq!(time_prefix("9:05"), Some((4, "09:05".into())));
        assert_eq!(time_prefix("23:59:30 x"), Some((8, "23:59:30".into())));
        assert_eq!(
            time_prefix("14:02–14:21: errors"),
            Some(("14:02–14:21".len(), "14:02".into()))
        );
        assert_eq!(time_prefix("08:00 - 09:00"), Some((13, "08:00".into())));
        assert_eq!(time_prefix("19 Nov 07:05"), Some((12, "07:05".into())));
        assert_eq!(
            time_prefix("2026-11-19 07:05 deploy"),
            Some((16, "2026-11-19T07:05".into()))
        );
        for no in [
            "24:00",
            "12:60",
            "1205",
            "12:5",
            "12:05pm",
            "x 12:05",
            "123:45",
            "Nov 07:05",
            "2026-02-30 10:00",
        ] {
            assert_eq!(time_prefix(no), None, "{no}");
        }
        assert_eq!(time_prefix(""), None);
    }
}

//! Blameless language: finding phrases that blame people ("human error", "careless") in
//! postmortem text, so the checker can suggest describing the system instead.
//!
//! Matching is case-insensitive, on whole words (`fault of` does not match inside `default of`),
//! and lets any run of whitespace, line breaks included, stand for a space in the phrase, because
//! markdown paragraphs wrap anywhere. Positions are 1-based lines and columns counted in
//! characters, as editors show them; a `\r` before a line break takes no column.

use crate::diagnostics::Pos;

/// The phrases every portal is checked for, each with a systems-focused rewording.
pub const DEFAULT_PHRASES: [(&str, &str); 4] = [
    (
        "human error",
        "describe what in the system made the action possible or likely, e.g. \"the deploy tool accepted a config without validation\"",
    ),
    (
        "careless",
        "describe the conditions people worked in (time pressure, unclear tooling, missing guardrails) rather than their care",
    ),
    (
        "should have known",
        "describe what information was missing or hard to find at the time, e.g. \"the runbook did not mention the dependency\"",
    ),
    (
        "fault of",
        "name the contributing factors in the system rather than who was at fault",
    ),
];

/// The rewording offered for phrases a portal adds in `postmortems.blaming_phrases`.
pub const GENERIC_SUGGESTION: &str = "describe what the system allowed or lacked (tooling, process, signals) rather than what a person did wrong";

/// One phrase to look for and what to suggest instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub text: String,
    pub suggestion: String,
}

/// The built-in phrases followed by `extra` (a portal's own list extends the defaults; an extra
/// phrase equal to a built-in one, ignoring case, is not checked twice). Blank phrases are dropped.
pub fn phrases(extra: &[String]) -> Vec<Phrase> {
    let mut out: Vec<Phrase> = DEFAULT_PHRASES
        .iter()
        .map(|(t, s)| Phrase {
            text: (*t).to_string(),
            suggestion: (*s).to_string(),
        })
        .collect();
    for e in extra {
        let text = e.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty()
            || out
                .iter()
                .any(|p| p.text.to_lowercase() == text.to_lowercase())
        {
            continue;
        }
        out.push(Phrase {
            text,
            suggestion: GENERIC_SUGGESTION.to_string(),
        });
    }
    out
}

/// One occurrence of a phrase in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into the phrase list.
    pub phrase: usize,
    /// Where the occurrence starts in the text.
    pub pos: Pos,
    /// Byte offset of the start in the text.
    pub offset: usize,
    /// The words as written (`Human Error`).
    pub matched: String,
}

/// Whether two characters are the same letter, case aside. Every word of every postmortem is
/// compared with the first letter of each phrase, and nearly all of them are ASCII, so ASCII
/// takes a shortcut past Unicode's case mapping (a third of the check's instructions).
fn same_letter(a: char, b: char) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(&b);
    }
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Length in bytes of a match of `phrase` at `text[at..]`, if there is one. Each space of the
/// phrase matches one or more whitespace characters.
fn match_at(text: &str, at: usize, phrase: &str) -> Option<usize> {
    let mut t = text[at..].char_indices().peekable();
    let mut p = phrase.chars().peekable();
    while let Some(pc) = p.next() {
        if pc.is_whitespace() {
            while p.next_if(|c| c.is_whitespace()).is_some() {}
            let mut any = false;
            while t.next_if(|(_, c)| c.is_whitespace()).is_some() {
                any = true;
            }
            if !any {
                return None;
            }
            continue;
        }
        let (_, tc) = t.next()?;
        if !same_letter(tc, pc) {
            return None;
        }
    }
    Some(t.peek().map_or(text.len() - at, |(i, _)| *i))
}

/// Every occurrence of every phrase in `text`, in text order. Occurrences of different phrases may
/// overlap; each is reported.
pub fn find(text: &str, phrases: &[Phrase]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    // The position of each character, counted on the way: computing it from the start of the
    // text for each finding took a minute for a 640 KB postmortem full of "human error".
    let mut here = Pos::new(1, 1);
    // Each phrase trimmed, with its first and last characters: most words start with a letter
    // no phrase starts with, and are passed over without setting up a comparison.
    let trimmed: Vec<(usize, &str, char, Option<char>)> = phrases
        .iter()
        .enumerate()
        .filter_map(|(n, p)| {
            let text = p.text.trim();
            Some((n, text, text.chars().next()?, text.chars().last()))
        })
        .collect();
    for (at, c) in text.char_indices() {
        let pos = here;
        match c {
            '\n' => here = Pos::new(here.line + 1, 1),
            '\r' => {}
            _ => here.column += 1,
        }
        let boundary_before = !prev.is_some_and(is_word);
        prev = Some(c);
        if !boundary_before || !is_word(c) {
            continue;
        }
        for &(n, phrase, first, last) in &trimmed {
            if !same_letter(c, first) {
                continue;
            }
            let Some(len) = match_at(text, at, phrase) else {
                continue;
            };
            let after = text[at + len..].chars().next();
            // A phrase ending in a letter must end a word; one ending in punctuation need not.
            if last.is_some_and(is_word) && after.is_some_and(is_word) {
                continue;
            }
            out.push(Finding {
                phrase: n,
                pos,
                offset: at,
                matched: text[at..at + len]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Vec<Phrase> {
        phrases(&[])
    }

    fn found(text: &str) -> Vec<(String, usize, usize)> {
        let ps = defaults();
        find(text, &ps)
            .into_iter()
            .map(|f| (ps[f.phrase].text.clone(), f.pos.line, f.pos.column))
            .collect()
    }

    #[test]
    fn finds_each_default_phrase_case_insensitively() {
        assert_eq!(
            found("It was HUMAN Error.\nA careless push.\nWe should have known;\nthe fault of ops"),
            vec![
                ("human error".to_string(), 1, 8),
                ("careless".to_string(), 2, 3),
                ("should have known".to_string(), 3, 4),
                ("fault of".to_string(), 4, 5),
            ]
        );
    }

    #[test]
    fn whole_words_only() {
        assert!(found("the default of the pool").is_empty());
        assert!(found("carelessly").is_empty());
        assert!(found("uncareless").is_empty());
        assert!(found("human errors").is_empty());
        assert_eq!(found("(careless)").len(), 1);
        assert_eq!(found("careless_").len(), 0);
        assert_eq!(found("careless").len(), 1);
    }

    #[test]
    fn whitespace_and_line_breaks_inside_a_phrase() {
        // A phrase wrapped across lines is found at its first word.
        assert_eq!(
            found("was a human\n  error that"),
            vec![("human error".to_string(), 1, 7)]
        );
        assert_eq!(found("human\terror").len(), 1);
        assert!(found("humanerror").is_empty());
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // "Één" is 3 characters but 5 bytes; "→ " 2 characters, 4 bytes.
        assert_eq!(
            found("Één → careless"),
            vec![("careless".to_string(), 1, 7)]
        );
        let f = find("ü careless", &defaults());
        assert_eq!(f[0].offset, 3);
        assert_eq!(f[0].matched, "careless");
    }

    #[test]
    fn crlf_takes_no_column() {
        assert_eq!(
            found("line one\r\n\r\nX human error\r\n"),
            vec![("human error".to_string(), 3, 3)]
        );
        // A CRLF line break inside the phrase is whitespace too.
        assert_eq!(found("human\r\nerror").len(), 1);
    }

    #[test]
    fn non_ascii_case_folding() {
        let ps = phrases(&["Schuld von".into(), "ÉCHEC HUMAIN".into()]);
        let f = find("die schuld von X, un échec humain", &ps);
        let names: Vec<&str> = f.iter().map(|f| ps[f.phrase].text.as_str()).collect();
        assert_eq!(names, vec!["Schuld von", "ÉCHEC HUMAIN"]);
        assert_eq!(f[1].pos, Pos::new(1, 22));
    }

    #[test]
    fn extra_phrases_extend_the_defaults() {
        let ps = phrases(&[
            "  root   cause was Bob ".into(),
            "Human Error".into(),
            "   ".into(),
        ]);
        assert_eq!(ps.len(), 5);
        assert_eq!(ps[4].text, "root cause was Bob");
        assert_eq!(ps[4].suggestion, GENERIC_SUGGESTION);
        assert_eq!(find("the root cause was bob.", &ps).len(), 1);
    }

    #[test]
    fn overlapping_and_repeated() {
        let ps = phrases(&["careless error".into()]);
        let f = find("careless error, careless", &ps);
        let got: Vec<(usize, usize)> = f.iter().map(|f| (f.phrase, f.pos.column)).collect();
        assert_eq!(got, vec![(1, 1), (4, 1), (1, 17)]);
    }

    #[test]
    fn empty_inputs() {
        assert!(find("", &defaults()).is_empty());
        assert!(find("careless", &[]).is_empty());
    }

    /// The ASCII shortcut of `same_letter` agrees with Unicode's case mapping (the only pairs it
    /// decides are two ASCII characters; any other pair goes through the case mapping, which
    /// makes the Kelvin sign a `k`).
    #[test]
    fn same_letter_agrees_with_unicode_case_mapping() {
        let slow = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
        for a in (0u8..128).map(char::from) {
            for b in (0u8..128).map(char::from) {
                assert_eq!(same_letter(a, b), slow(a, b), "{a:?} {b:?}");
            }
        }
        assert!(same_letter('\u{212A}', 'k') && same_letter('K', '\u{212A}'));
        assert!(
            !same_letter('\u{131}', 'I'),
            "a dotless i is not an I in lower case"
        );
    }
}

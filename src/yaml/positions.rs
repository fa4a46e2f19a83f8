//! YAML libraries count lines their own way: a lone `\r` ends a line for both libyaml (serde_yaml)
//! and yaml-rust2, and libyaml also breaks at NEL, LS and PS (YAML 1.1). sitrep, its editors'
//! `file:line:column` and the terminal rendering count lines at `\n` only, so a position from the
//! libraries is converted before it is shown; otherwise a stray `\r` puts a diagnostic on the
//! wrong line, or past the end of one (found by the `document` fuzz target).

use crate::diagnostics::Pos;

/// Line breaks as libyaml sees them (`\r\n` counts once).
pub fn libyaml_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Line breaks as yaml-rust2 sees them (`\r\n` counts once).
pub fn yaml_rust2_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// Converts `positions`, counted by a library whose line breaks are `is_break` (1-based lines and
/// columns in characters), into positions in `text` with lines ending at `\n`. A column past the
/// end of its line becomes the end of that line, a line past the end of the text the end of the
/// text. One pass over the text whatever the number of positions.
pub fn to_text_lines(text: &str, positions: &mut [&mut Pos], is_break: fn(char) -> bool) {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&i| *positions[i]);
    let mut chars = text.chars().peekable();
    // Where the walk is, as the library counts and as sitrep counts.
    let (mut line, mut column) = (1, 1);
    let mut here = Pos::new(1, 1);
    for i in order {
        let target = *positions[i];
        while (line, column) < (target.line, target.column) {
            let Some(c) = chars.next_if(|&c| !(is_break(c) && line == target.line)) else {
                break;
            };
            if c == '\n' {
                here = Pos::new(here.line + 1, 1);
            } else {
                here.column += 1;
            }
            if c == '\r' && chars.peek() == Some(&'\n') {
                // `\r\n` is one break: the `\n` ends the line.
            } else if is_break(c) {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        *positions[i] = here;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str, found: &[(usize, usize)], is_break: fn(char) -> bool) -> Vec<Pos> {
        let mut pos: Vec<Pos> = found.iter().map(|&(l, c)| Pos::new(l, c)).collect();
        let mut refs: Vec<&mut Pos> = pos.iter_mut().collect();
        to_text_lines(text, &mut refs, is_break);
        pos
    }

    #[test]
    fn a_lone_carriage_return_is_not_a_line_for_sitrep() {
        // yaml-rust2 sees `b` on line 2, column 1: it is on line 1 after `a: 1\r`.
        let text = "a: 1\rb: 2\nc: 3\n";
        assert_eq!(
            convert(text, &[(2, 1), (3, 4), (1, 4)], yaml_rust2_break),
            [Pos::new(1, 6), Pos::new(2, 4), Pos::new(1, 4)]
        );
    }

    #[test]
    fn libyaml_also_breaks_at_unicode_line_separators() {
        let text = "a: x\u{2028}b: y\u{85}c\n";
        assert_eq!(
            convert(text, &[(2, 1), (3, 1)], libyaml_break),
            [Pos::new(1, 6), Pos::new(1, 11)]
        );
        // yaml-rust2 does not: nothing to convert.
        assert_eq!(convert(text, &[(1, 7)], yaml_rust2_break), [Pos::new(1, 7)]);
    }

    #[test]
    fn crlf_is_one_break_and_positions_past_the_end_are_clamped() {
        let text = "ab\r\ncd\ref";
        assert_eq!(
            convert(text, &[(2, 2), (1, 9), (3, 2), (7, 1)], yaml_rust2_break),
            [
                Pos::new(2, 2),
                Pos::new(1, 3),
                Pos::new(2, 5),
                Pos::new(2, 6)
            ]
        );
    }
}

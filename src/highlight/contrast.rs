//! Makes syntect's colours legible. Its default themes were made for editors, not for WCAG: light
//! InspiredGitHub has comments and function names near 3:1 and dark base16-ocean reds near 4.2:1
//! on the default theme's code background. Every text colour of the generated stylesheet is
//! darkened (on a light background) or lightened (on a dark one), just enough to reach AA.

/// WCAG AA for normal-size text, with a little margin so rounding in checkers never flips it.
pub const MIN_RATIO: f64 = 4.6;

type Rgb = [u8; 3];

fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.039_28 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Relative luminance (WCAG 2).
fn luminance([r, g, b]: Rgb) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Contrast ratio between two colours, 1 to 21.
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` moved towards black (light `bg`) or white (dark `bg`) in small steps until it reaches
/// [`MIN_RATIO`] against `bg`; unchanged when it already does. The hue is kept, only the
/// lightness moves, so the theme still looks like itself.
pub fn legible(fg: Rgb, bg: Rgb) -> Rgb {
    let target: f64 = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mut c = fg;
    for step in 1..=20 {
        if ratio(c, bg) >= MIN_RATIO {
            break;
        }
        let t = f64::from(step) / 20.0;
        c = fg.map(|x| {
            let x = f64::from(x);
            // Each step is 5% of the way; the value stays within 0..=255 by construction.
            (x + (target - x) * t).round().clamp(0.0, 255.0) as u8
        });
    }
    c
}

fn parse_hex(s: &str) -> Option<Rgb> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Rewrites every ` color: #rrggbb;` declaration of syntect's stylesheet (one per line, as
/// `css_for_theme_with_class_style` writes them) to a colour legible on `bg`. Background colours
/// and anything else are left as they are.
pub fn legible_css(css: &str, bg: Rgb) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fixed = trimmed
            .strip_prefix("color:")
            .map(str::trim)
            .and_then(|v| v.strip_suffix(';'))
            .map(str::trim)
            .and_then(parse_hex)
            .map(|fg| {
                let [r, g, b] = legible(fg, bg);
                let indent = &line[..line.len() - trimmed.len()];
                let end = if line.ends_with('\n') { "\n" } else { "" };
                format!("{indent}color: #{r:02x}{g:02x}{b:02x};{end}")
            });
        out.push_str(fixed.as_deref().unwrap_or(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_wcag_examples() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((ratio([0x77, 0x77, 0x77], [255, 255, 255]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn low_contrast_colours_are_moved_just_enough() {
        let light_bg = [0xf6, 0xf8, 0xfa];
        let green = [0x62, 0xa3, 0x5c]; // InspiredGitHub's support.function: 2.85:1
        let fixed = legible(green, light_bg);
        assert!(ratio(fixed, light_bg) >= MIN_RATIO);
        assert!(
            fixed[1] > fixed[0] && fixed[1] > fixed[2],
            "still green: {fixed:?}"
        );
        let dark_bg = [0x15, 0x1b, 0x23];
        let red = [0xbf, 0x61, 0x6a]; // base16-ocean's red: 4.23:1
        let fixed = legible(red, dark_bg);
        assert!(ratio(fixed, dark_bg) >= MIN_RATIO);
        assert!(fixed[0] >= red[0], "lightened: {fixed:?}");
        let fine = [0x1f, 0x23, 0x28];
        assert_eq!(legible(fine, light_bg), fine);
    }

    #[test]
    fn only_text_colours_are_rewritten() {
        let css =
            ".a {\n color: #62a35c;\n background-color: #62a35c;\n}\n.b {\n color: #000000;\n}";
        let out = legible_css(css, [0xf6, 0xf8, 0xfa]);
        assert!(!out.contains(" color: #62a35c;"), "{out}");
        assert!(out.contains(" background-color: #62a35c;\n"), "{out}");
        assert!(out.contains(" color: #000000;\n}"), "{out}");
        assert_eq!(out.lines().count(), css.lines().count());
    }
}

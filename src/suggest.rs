//! "Did you mean": the nearest known name to a misspelt one.

/// The candidate closest to `word` by Jaro-Winkler similarity, if it is close enough to be a
/// plausible typo (0.8 keeps `severty` -> `severity` and drops unrelated names).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let known = ["severity", "services", "status"];
        assert_eq!(nearest("severty", known), Some("severity"));
        assert_eq!(nearest("zzz", known), None);
        assert_eq!(
            nearest("login-availabilty", ["login-availability", "checkout"]),
            Some("login-availability")
        );
    }
}

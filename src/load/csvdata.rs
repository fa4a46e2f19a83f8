//! The two CSV inputs: SLI measurements (`date,good,total`) and raw culture-survey responses.
//! Every bad row is an error with its line: a row is never silently skipped.

use std::path::Path;

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;
use crate::model::Measurement;

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

fn header_error(file: &Path, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        "csv-header",
        format!("the header is `{found}`, expected `{expected}`"),
    )
    .at(1, 1)
    .with_help(format!("make the first line exactly `{expected}`"))
}

/// Measurement rows and the line each was read from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    pub rows: Vec<Measurement>,
    pub lines: Vec<usize>,
}

/// Reads `date,good,total` rows. Returns the rows when there was no error.
pub fn measurements(file: &Path, text: &str) -> Result<Measured, Vec<Diagnostic>> {
    const HEADER: &str = "date,good,total";
    let mut rdr = reader(text);
    let mut diags = Vec::new();
    match rdr.headers() {
        Ok(h) if h.iter().collect::<Vec<_>>().join(",") == HEADER => {}
        Ok(h) => {
            return Err(vec![header_error(
                file,
                HEADER,
                &h.iter().collect::<Vec<_>>().join(","),
            )]);
        }
        Err(e) => {
            return Err(vec![
                Diagnostic::error(file, "csv-syntax", e.to_string()).at(1, 1),
            ]);
        }
    }
    let mut rows: Vec<Measurement> = Vec::new();
    let mut lines = Vec::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(Diagnostic::error(file, "csv-syntax", e.to_string()).at(line, 1));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let err = |msg: String| {
            Diagnostic::error(file, "bad-measurement", msg)
                .at(line, 1)
                .with_help(
                    "each row is `YYYY-MM-DD,good,total` with whole numbers and good <= total",
                )
        };
        if record.len() != 3 {
            diags.push(err(format!(
                "row has {} fields, expected 3 (date,good,total)",
                record.len()
            )));
            continue;
        }
        let date = record[0].parse::<Date>();
        let good = record[1].parse::<u64>();
        let total = record[2].parse::<u64>();
        let (date, good, total) = match (date, good, total) {
            (Ok(d), Ok(g), Ok(t)) => (d, g, t),
            (Err(_), _, _) => {
                diags.push(err(format!("`{}` is not a date (YYYY-MM-DD)", &record[0])));
                continue;
            }
            (_, Err(_), _) | (_, _, Err(_)) => {
                diags.push(err(format!(
                    "good `{}` and total `{}` must be whole numbers of events, zero or more",
                    &record[1], &record[2]
                )));
                continue;
            }
        };
        if good > total {
            diags.push(err(format!(
                "good ({good}) is greater than total ({total})"
            )));
            continue;
        }
        if let Some(prev) = rows.last() {
            if prev.date == date {
                diags.push(err(format!("{date} appears twice")));
                continue;
            }
            if prev.date > date {
                diags.push(err(format!(
                    "{date} comes after {}: rows must be in date order",
                    prev.date
                )));
                continue;
            }
        }
        rows.push(Measurement { date, good, total });
        lines.push(line);
    }
    if diags.is_empty() {
        Ok(Measured { rows, lines })
    } else {
        Err(diags)
    }
}

/// One respondent's row of a raw survey file.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRow {
    pub line: usize,
    pub team: String,
    pub date: Date,
    pub scores: [Option<u8>; 6],
}

pub const SURVEY_HEADER: &str = "team,date,cooperation,messengers,risks,bridging,failure,novelty";

/// Reads raw survey responses; an empty score cell is "prefer not to answer".
pub fn survey(file: &Path, text: &str) -> Result<Vec<SurveyRow>, Vec<Diagnostic>> {
    let mut rdr = reader(text);
    let header = match rdr.headers() {
        Ok(h) => h.iter().collect::<Vec<_>>().join(","),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(file, "csv-syntax", e.to_string()).at(1, 1),
            ]);
        }
    };
    if header != SURVEY_HEADER {
        let unknown: Vec<&str> = header
            .split(',')
            .filter(|c| !SURVEY_HEADER.split(',').any(|k| k == *c))
            .collect();
        let mut d = header_error(file, SURVEY_HEADER, &header);
        if !unknown.is_empty() {
            d.message = format!(
                "unknown column(s) {} in the header; expected `{SURVEY_HEADER}`",
                unknown.join(", ")
            );
        }
        return Err(vec![d]);
    }
    let mut diags = Vec::new();
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(Diagnostic::error(file, "csv-syntax", e.to_string()).at(line, 1));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() != 8 {
            diags.push(
                Diagnostic::error(
                    file,
                    "ragged-row",
                    format!("row has {} fields, expected 8", record.len()),
                )
                .at(line, 1)
                .with_help(format!(
                    "columns: {SURVEY_HEADER}; leave a cell empty for \"prefer not to answer\""
                )),
            );
            continue;
        }
        let date = match record[1].parse::<Date>() {
            Ok(d) => d,
            Err(_) => {
                diags.push(
                    Diagnostic::error(
                        file,
                        "bad-date",
                        format!("`{}` is not a date (YYYY-MM-DD)", &record[1]),
                    )
                    .at(line, 1),
                );
                continue;
            }
        };
        let mut scores = [None; 6];
        let mut ok = true;
        for (i, cell) in record.iter().skip(2).enumerate() {
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<u8>() {
                Ok(v) if (1..=7).contains(&v) => scores[i] = Some(v),
                _ => {
                    ok = false;
                    diags.push(
                        Diagnostic::error(
                            file,
                            "score-out-of-range",
                            format!("`{cell}` is not a score from 1 to 7 ({})", SURVEY_HEADER.split(',').nth(i + 2).unwrap_or("?")),
                        )
                        .at(line, 1)
                        .with_help("scores are whole numbers 1 (strongly disagree) to 7 (strongly agree), or empty"),
                    );
                }
            }
        }
        if record[0].is_empty() {
            ok = false;
            diags.push(Diagnostic::error(file, "missing-field", "row without a team").at(line, 1));
        }
        if ok {
            rows.push(SurveyRow {
                line,
                team: record[0].to_string(),
                date,
                scores,
            });
        }
    }
    if diags.is_empty() {
        Ok(rows)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measurements_report_every_bad_row_with_its_line() {
        let text = "date,good,total\n2026-01-01,9,10\n2026-01-02,11,10\n2026-01-02,1,1\nxx,1,1\n2026-01-03,-1,4\n2026-01-04,1\n";
        let errs = measurements(Path::new("m.csv"), text).unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 5, 6, 7]);
        // line 4 is fine on its own (line 3 was rejected, so 01-02 is not yet seen)
    }

    #[test]
    fn measurements_reject_duplicates_and_disorder() {
        let text = "date,good,total\n2026-01-02,9,10\n2026-01-02,9,10\n2026-01-01,9,10\n";
        let errs = measurements(Path::new("m.csv"), text).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs[0].message.contains("twice"));
        assert!(errs[1].message.contains("date order"));
    }

    #[test]
    fn survey_cells() {
        let text = format!(
            "{SURVEY_HEADER}\nops,2026-03-01,7,,1,2,3,4\nops,2026-03-01,8,1,1,1,1,1\nops,2026-03-01,1,1\n"
        );
        let errs = survey(Path::new("s.csv"), &text).unwrap_err();
        assert_eq!(errs.iter().map(|d| d.line).collect::<Vec<_>>(), vec![3, 4]);
        let ok = survey(
            Path::new("s.csv"),
            &format!("{SURVEY_HEADER}\nops,2026-03-01,7,,1,2,3,4\n"),
        )
        .unwrap();
        assert_eq!(
            ok[0].scores,
            [Some(7), None, Some(1), Some(2), Some(3), Some(4)]
        );
    }
}

//! Culture assessments: aggregated YAML files and raw survey responses grouped per (team, date).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

use super::csvdata::SurveyRow;
use super::fields::{Fields, Schema};
use crate::diagnostics::{Diagnostic, Pos};
use crate::domain::culture;
use crate::model::*;
use crate::yaml::Mapping;

pub const ASSESSMENT: Schema = Schema {
    fields: &[
        "title",
        "summary",
        "tags",
        "draft",
        "team",
        "date",
        "respondents",
        "scores",
        "notes",
    ],
    // `scores` keys are checked above (an unknown aspect is an error, not an unknown field).
    nested: &[],
};

/// An aggregated assessment written as YAML (no front matter: the whole file is YAML).
pub fn from_yaml(id: &str, file: &Path, text: &str) -> (Option<Document>, Vec<Diagnostic>) {
    let map = match Mapping::parse(text) {
        Ok(m) => m,
        Err(e) => {
            return (
                None,
                vec![
                    Diagnostic::error(file, "yaml-syntax", e.message)
                        .at_pos(e.pos.or(Some(Pos::new(1, 1)))),
                ],
            );
        }
    };
    let mut f = Fields::new(map, text, 0, file, Pos::new(1, 1));
    let team = f.reference("team", Kind::Team, true);
    let date: Option<Date> = f.req("date");
    let respondents: Option<usize> = f.req("respondents");
    let raw: Option<BTreeMap<String, f64>> = f.req("scores");
    let mut scores = [None; 6];
    if let Some(raw) = &raw {
        for (aspect, value) in raw {
            let path = format!("scores.{aspect}");
            match culture::ASPECTS.iter().position(|a| a == aspect) {
                Some(i) if (1.0..=7.0).contains(value) => scores[i] = Some(*value),
                Some(_) => {
                    f.error(
                        &path,
                        "score-out-of-range",
                        format!("`{aspect}` is {value}, outside the 1-7 scale"),
                    );
                }
                None => {
                    let help = crate::suggest::nearest(aspect, culture::ASPECTS)
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| format!("aspects: {}", culture::ASPECTS.join(", ")));
                    let pos = f.key_pos(&path).or(f.pos(&path));
                    f.diags.push(
                        Diagnostic::error(
                            file,
                            "unknown-aspect",
                            format!("unknown aspect `{aspect}`"),
                        )
                        .at_pos(pos)
                        .with_help(help),
                    );
                }
            }
        }
    }
    let title: Option<String> = f.opt("title");
    let summary = f.opt("summary");
    let tags = f.list("tags");
    let draft = f.opt("draft").unwrap_or(false);
    let notes: Option<String> = f.opt("notes");
    let (diags, refs) = f.finish(&ASSESSMENT);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let (Some(team), Some(date), Some(respondents)) = (team, date, respondents) else {
        return (None, diags);
    };
    let doc = Document {
        key: DocKey::new(Kind::Assessment, id),
        source: file.to_path_buf(),
        title: title.unwrap_or_else(|| format!("Culture assessment {date}")),
        summary,
        tags,
        draft,
        body_html: Arc::from(""),
        body_text: Arc::from(""),
        refs,
        data: KindData::Assessment(Assessment {
            team,
            date,
            respondents,
            scores: AspectScores::from_array(scores),
            answers: None,
            notes,
            origin: AssessmentSource::Aggregated,
        }),
    };
    (Some(doc), diags)
}

/// Groups raw survey rows of one file per (team, date) into assessment documents. The rows
/// themselves go no further than this function.
pub fn from_survey(file: &Path, rows: Vec<SurveyRow>) -> Vec<Document> {
    let mut groups: BTreeMap<(String, Date), Vec<SurveyRow>> = BTreeMap::new();
    for row in rows {
        groups
            .entry((row.team.clone(), row.date))
            .or_default()
            .push(row);
    }
    groups
        .into_iter()
        .map(|((team, date), rows)| {
            let responses: Vec<culture::Response> = rows
                .iter()
                .map(|r| culture::Response { scores: r.scores })
                .collect();
            let agg = culture::aggregate(&responses);
            let first_line = rows.first().map_or(1, |r| r.line);
            Document {
                key: DocKey::new(Kind::Assessment, format!("{team}-{date}")),
                source: file.to_path_buf(),
                title: format!("Culture assessment {date}"),
                summary: None,
                tags: Vec::new(),
                draft: false,
                body_html: Arc::from(""),
                body_text: Arc::from(""),
                refs: vec![Reference {
                    target: DocKey::new(Kind::Team, team.clone()),
                    via: Via::Field("team"),
                    pos: Pos::new(first_line, 1),
                }],
                data: KindData::Assessment(Assessment {
                    team,
                    date,
                    respondents: agg.respondents,
                    scores: AspectScores::from_array(agg.scores.means),
                    answers: Some(agg.answers),
                    notes: None,
                    origin: AssessmentSource::Survey,
                }),
            }
        })
        .collect()
}

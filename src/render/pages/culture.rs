//! The culture pages (overview, printable survey and its csv template) and the adoption ladder.

use serde_json::{Value, json};

use crate::domain::{culture, ladder};
use crate::index::SiteIndex;
use crate::load::csvdata::SURVEY_HEADER;
use crate::model::*;
use crate::render::views::*;

/// Where the survey's csv template is written, below the output root.
pub const SURVEY_TEMPLATE_PATH: &str = "culture/survey/survey-template.csv";

pub(super) fn ladder_distribution(index: &SiteIndex) -> Vec<Value> {
    let steps: Vec<u8> = index
        .of_kind(Kind::Team)
        .iter()
        .filter_map(|&t| match &index.docs[t].data {
            KindData::Team(team) => team.adoption.as_ref().map(|a| a.step),
            _ => None,
        })
        .collect();
    let dist = ladder::distribution(&steps);
    let most = dist.iter().copied().max().unwrap_or(0).max(1);
    ladder::STEPS
        .iter()
        .zip(dist)
        .map(|((n, name, _), count)| {
            json!({"step": n, "name": name, "count": count, "share": count * 100 / most})
        })
        .collect()
}

fn aspects() -> Vec<Value> {
    (0..6)
        .map(|k| {
            json!({
                "key": culture::ASPECTS[k],
                "label": culture::aspect_label(k),
                "meaning": culture::aspect_sre_meaning(k),
            })
        })
        .collect()
}

pub(super) fn culture_page(index: &SiteIndex) -> Value {
    let teams = teams_with_assessments(index);
    let t = &index.config.culture;
    json!({
        "page_title": "Culture",
        "teams": teams,
        "org": org_culture_view(index),
        "aspects": aspects(),
        "thresholds": {
            "bureaucratic_from": culture::format_mean(t.bureaucratic_from),
            "generative_from": culture::format_mean(t.generative_from),
            "min_respondents": t.min_respondents,
        },
    })
}

/// The survey statements, in the order of the csv columns: the wording of the instrument
/// published with DORA's research (Forsgren, Humble, Kim, "Accelerate", 2018, chapter 3), which
/// operationalises Westrum's typology (Westrum 2004).
pub const STATEMENTS: [&str; 6] = [
    "On my team, information is actively sought.",
    "On my team, failures are learning opportunities, and messengers of them are not punished.",
    "On my team, responsibilities are shared.",
    "On my team, cross-functional collaboration is encouraged and rewarded.",
    "On my team, failure causes inquiry.",
    "On my team, new ideas are welcomed.",
];

/// The 1-7 agreement scale of the instrument.
pub const SCALE: [(u8, &str); 7] = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Somewhat disagree"),
    (4, "Neither agree nor disagree"),
    (5, "Somewhat agree"),
    (6, "Agree"),
    (7, "Strongly agree"),
];

pub(super) fn survey_page(index: &SiteIndex) -> Value {
    let statements: Vec<Value> = (0..6)
        .map(|k| {
            json!({
                "key": culture::ASPECTS[k],
                "label": culture::aspect_label(k),
                "statement": STATEMENTS[k],
            })
        })
        .collect();
    json!({
        "page_title": "Culture survey",
        "statements": statements,
        "scale": SCALE.iter().map(|(n, l)| json!({"value": n, "label": l})).collect::<Vec<_>>(),
        "header": SURVEY_HEADER,
        "csv_url": format!("{}{SURVEY_TEMPLATE_PATH}", index.base_path),
        "min_respondents": index.config.culture.min_respondents,
    })
}

/// The csv template: the header of the raw survey input, exactly, and nothing else (an example
/// row would be read as a response if left in).
pub(super) fn survey_template() -> Value {
    json!({"header": SURVEY_HEADER})
}

pub(super) fn ladder_page(index: &SiteIndex) -> Value {
    let teams: Vec<Value> = index
        .of_kind(Kind::Team)
        .iter()
        .map(|&t| json!({"team": link(index, t), "ladder": ladder_view(index, t)}))
        .collect();
    let on_ladder = teams.iter().filter(|t| !t["ladder"].is_null()).count();
    json!({
        "page_title": "SRE adoption ladder",
        "teams": teams,
        "on_ladder": on_ladder,
        "steps": ladder::STEPS.iter().map(|(n, name, asks)| json!({"step": n, "name": name, "asks": asks})).collect::<Vec<_>>(),
        "distribution": ladder_distribution(index),
    })
}

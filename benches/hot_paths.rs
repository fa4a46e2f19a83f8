//! Criterion benchmarks for the hot pure functions of a build: markdown rendering (every body),
//! SLO analysis (every SLO with its measurements) and culture aggregation (every survey group).
//! Whole builds are measured by bench/run; these isolate the functions a profile points at.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use sitrep::domain::{culture, slo};
use sitrep::markdown::{self, MarkdownOptions};

fn body() -> String {
    let para = "Error budget latency availability rollback canary alert pager runbook toil \
                capacity dependency failover replica queue cache timeout retry quorum deploy.\n\n";
    let mut s = String::new();
    for i in 0..4 {
        s.push_str(&format!(
            "## Section {i}\n\n{para}{para}- one\n- two [link](@pages/p{i})\n\n"
        ));
        s.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n```yaml\nalert: X\nexpr: up == 0\n```\n\n");
    }
    s
}

fn bench_markdown(c: &mut Criterion) {
    let text = body();
    let opts = MarkdownOptions {
        allow_raw_html: false,
        base_path: "/",
    };
    c.bench_function("markdown::render 4 KB page", |b| {
        b.iter(|| markdown::render(black_box(&text), "pages", &opts))
    });
}

fn bench_slo(c: &mut Criterion) {
    let start = date(2026, 1, 1);
    let measurements: Vec<slo::Measurement> = (0..365)
        .map(|d| slo::Measurement {
            date: start
                .checked_add(jiff::Span::new().days(d))
                .expect("in range"),
            good: 999_000 + (d as u64 * 37) % 1000,
            total: 1_000_000,
        })
        .collect();
    for (name, window) in [
        ("28d", slo::Window::Rolling { days: 28 }),
        ("calendar-month", slo::Window::CalendarMonth),
    ] {
        let opts = slo::SloOptions {
            objective: 99.9,
            sla: Some(99.5),
            window,
            spike_threshold: 0.2,
        };
        c.bench_function(&format!("slo::analyze 365 days {name}"), |b| {
            b.iter(|| slo::analyze(black_box(&measurements), &opts))
        });
    }
}

fn bench_culture(c: &mut Criterion) {
    let responses: Vec<culture::Response> = (0..200u32)
        .map(|r| culture::Response {
            scores: std::array::from_fn(|k| {
                let v = (r * 7 + k as u32 * 3) % 8;
                (v > 0).then_some(v as u8)
            }),
        })
        .collect();
    c.bench_function("culture::aggregate 200 respondents", |b| {
        b.iter(|| culture::aggregate(black_box(&responses)))
    });
}

/// Highlighting one fenced block per language a portal commonly shows; the YAML one is the
/// plain benchmark's block (bench/run), a Prometheus alert rule.
fn bench_highlight(c: &mut Criterion) {
    let blocks = [
        (
            "yaml",
            "alert: HighErrorRate\nexpr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.01\nfor: 10m\n",
        ),
        (
            "bash",
            "kubectl -n payments rollout undo deploy/api --to-revision=41\nkubectl get pods | grep -v Running\n",
        ),
        (
            "json",
            "{\"service\": \"api\", \"objective\": 99.9, \"window\": \"28d\", \"tags\": [\"tier-1\"]}\n",
        ),
        (
            "promql",
            "sum(rate(http_requests_total{job=\"api\", code=~\"5..\"}[5m])) by (route)\n",
        ),
    ];
    // The syntax sets load once per process, on the first block: not part of the figure.
    for (lang, code) in blocks {
        sitrep::highlight::code_block(code, lang);
    }
    for (lang, code) in blocks {
        c.bench_function(&format!("highlight::code_block {lang}"), |b| {
            b.iter(|| sitrep::highlight::code_block(black_box(code), lang))
        });
    }
}

criterion_group!(
    benches,
    bench_markdown,
    bench_slo,
    bench_culture,
    bench_highlight
);
criterion_main!(benches);

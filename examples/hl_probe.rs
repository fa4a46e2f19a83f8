//! Highlights the plain benchmark's fenced YAML block (bench/run's alert rule) N times, for
//! counting its instructions with callgrind, which a noisy machine does not disturb:
//! `valgrind --tool=callgrind target/release/examples/hl_probe [N (default 2000)]`.
fn main() {
    let code = "alert: HighErrorRate\nexpr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.01\nfor: 10m\n";
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let bytes: usize = (0..n)
        .map(|_| sitrep::highlight::code_block(code, "yaml").len())
        .sum();
    println!("{n} blocks, {bytes} bytes of HTML");
}

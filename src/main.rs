/// mimalloc: rendering allocates many short-lived strings on every thread, where glibc's
/// allocator spent ~15% of a build (perf) in malloc, free and consolidation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sitrep::cli::run()
}

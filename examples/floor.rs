//! The machine's floor for the benchmark (bench/run): one process copies every markdown file of
//! a content folder into `<out>/<relative path without .md>/index.html`, with no other work. A
//! generator cannot write its pages faster than this, so sitrep's time is reported against it.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(src), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor <content-dir> <output-dir>");
        std::process::exit(2);
    };
    let src = Path::new(&src);
    let out = Path::new(&out);
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let rel = path
                .strip_prefix(src)
                .expect("walked under src")
                .with_extension("");
            let dir = out.join(rel);
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join("index.html"), std::fs::read(path)?)?;
        }
    }
    Ok(())
}

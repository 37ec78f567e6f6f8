//! Decode rate and timings of the QR pipeline on the full synthetic corpus, beside `zbarimg` on
//! the same files in the same run.
//!
//! `cargo bench -p tessera-qr --bench decode_corpus -- [--count N] [--seed HEX] [--dir DIR]
//! [--rows DIR]` (scripts/bench_qr.sh runs it). Writes the corpus files to DIR (kept for the
//! whole-command comparison that follows in the script), prints one table, and, with `--rows`,
//! one `*.row.json` per figure for scripts/bench_report.py.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/qr/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::SizeClass;
use tessera_qr::{Frame, PixelLayout, decode_frame, decode_image_bytes};

struct Args {
    count: usize,
    seed: u64,
    dir: PathBuf,
    rows: Option<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        count: 300,
        seed: 0x07E5_5E8A,
        dir: std::env::temp_dir().join("tessera-qr-corpus"),
        rows: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--count" => args.count = it.next().unwrap().parse().unwrap(),
            "--seed" => args.seed = u64::from_str_radix(&it.next().unwrap(), 16).unwrap(),
            "--dir" => args.dir = it.next().unwrap().into(),
            "--rows" => args.rows = Some(it.next().unwrap().into()),
            // `cargo bench` passes --bench; ignore it and anything else unknown.
            _ => {}
        }
    }
    args
}

#[derive(Default)]
struct Tally {
    codes: usize,
    found: usize,
    wrong: usize,
    false_positive: usize,
    decode: Vec<Duration>,
    load_decode: Vec<Duration>,
    zbar_found: usize,
    zbar_wrong: usize,
    zbar: Vec<Duration>,
}

fn main() {
    let args = parse_args();
    std::fs::create_dir_all(&args.dir).unwrap();
    let zbar = Command::new("zbarimg").arg("--version").output().is_ok();
    if !zbar {
        eprintln!("zbarimg not found (apt-get install zbar-tools): its columns stay empty");
    }
    let mut tallies: BTreeMap<SizeClass, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    for index in 0..args.count {
        let sample = corpus::sample(args.seed, index);
        let ext = if sample.params.jpeg_quality.is_some() {
            "jpg"
        } else {
            "png"
        };
        let path = args.dir.join(format!("{}.{ext}", sample.name));
        std::fs::write(&path, &sample.file).unwrap();
        let tally = tallies.entry(sample.params.class).or_default();

        // Decode alone: the pixels are already in memory, as for a screen capture.
        let rgb = image::load_from_memory(&sample.file).unwrap().to_rgba8();
        let (w, h) = rgb.dimensions();
        let frame = Frame::new(w, h, PixelLayout::Rgba8, rgb.into_raw()).unwrap();
        let start = Instant::now();
        let texts = decode_frame(frame);
        tally.decode.push(start.elapsed());

        // Load + decode: the file's bytes in memory, as `tessera scan FILE` after reading it.
        let start = Instant::now();
        let from_file = decode_image_bytes(&sample.file).unwrap();
        tally.load_decode.push(start.elapsed());
        assert_eq!(
            texts.len(),
            from_file.len(),
            "{}: frame and file disagree",
            sample.name
        );

        // EXPOSE: compared against the texts the generator drew, to count wrong strings.
        let got: Vec<String> = texts.iter().map(|t| t.expose_secret().to_owned()).collect();
        score(
            &sample.expected,
            &got,
            tally,
            &sample.name,
            &mut failures,
            false,
        );

        if zbar {
            let start = Instant::now();
            let out = zbar_decode(&path);
            tally.zbar.push(start.elapsed());
            score(
                &sample.expected,
                &out,
                tally,
                &sample.name,
                &mut Vec::new(),
                true,
            );
        }
    }
    report(&args, &tallies, zbar);
    for failure in &failures {
        println!("  MISSED/WRONG {failure}");
    }
}

/// Counts found, wrong and false-positive texts of one decoder on one sample.
fn score(
    expected: &[String],
    got: &[String],
    tally: &mut Tally,
    name: &str,
    failures: &mut Vec<String>,
    is_zbar: bool,
) {
    let found = expected.iter().filter(|e| got.contains(e)).count();
    let wrong = got.iter().filter(|g| !expected.contains(g)).count();
    if is_zbar {
        tally.zbar_found += found;
        tally.zbar_wrong += wrong;
        return;
    }
    tally.codes += expected.len();
    tally.found += found;
    if expected.is_empty() {
        tally.false_positive += got.len();
    } else {
        tally.wrong += wrong;
    }
    if found < expected.len() || wrong > 0 {
        failures.push(format!(
            "{name}: found {found}/{}, wrong {wrong}",
            expected.len()
        ));
    }
}

fn zbar_decode(path: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    if times.is_empty() {
        return Duration::ZERO;
    }
    times.sort();
    let rank = ((times.len() - 1) as f64 * p).round() as usize;
    times[rank]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(args: &Args, tallies: &BTreeMap<SizeClass, Tally>, zbar: bool) {
    println!(
        "\nQR corpus: {} images, seed {:x} (files in {})",
        args.count,
        args.seed,
        args.dir.display()
    );
    println!(
        "{:<6} {:>6} {:>9} {:>5} {:>3} {:>9} {:>15} {:>19} {:>19} {:>14}",
        "class",
        "codes",
        "found",
        "wrong",
        "FP",
        "zbar",
        "decode med/p95",
        "load+decode med/p95",
        "zbarimg med/p95",
        "ratio med/p95"
    );
    let (mut all_codes, mut all_found, mut all_wrong, mut all_fp, mut all_zbar) = (0, 0, 0, 0, 0);
    for (class, t) in tallies {
        let mut t_decode = t.decode.clone();
        let mut t_load = t.load_decode.clone();
        let mut t_zbar = t.zbar.clone();
        let (d50, d95) = (
            percentile(&mut t_decode, 0.5),
            percentile(&mut t_decode, 0.95),
        );
        let (l50, l95) = (percentile(&mut t_load, 0.5), percentile(&mut t_load, 0.95));
        let (z50, z95) = (percentile(&mut t_zbar, 0.5), percentile(&mut t_zbar, 0.95));
        let ratio = |a: Duration, b: Duration| {
            if zbar {
                format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64())
            } else {
                "-".into()
            }
        };
        println!(
            "{:<6} {:>6} {:>8.1}% {:>5} {:>3} {:>8.1}% {:>6.1}/{:>6.1}ms {:>8.1}/{:>8.1}ms {:>8.1}/{:>8.1}ms {:>6}/{:>6}",
            class.name(),
            t.codes,
            100.0 * t.found as f64 / t.codes.max(1) as f64,
            t.wrong,
            t.false_positive,
            100.0 * t.zbar_found as f64 / t.codes.max(1) as f64,
            ms(d50),
            ms(d95),
            ms(l50),
            ms(l95),
            ms(z50),
            ms(z95),
            ratio(l50, z50),
            ratio(l95, z95),
        );
        if let Some(rows) = &args.rows {
            write_row(
                rows,
                &format!("qr-decode-{}", class.name()),
                &[
                    format!("QR decode alone, {} median (p95)", class.name()),
                    format!("{:.1} ms ({:.1})", ms(d50), ms(d95)),
                    "zbarimg (whole process)".into(),
                    format!("{:.1} ms ({:.1})", ms(z50), ms(z95)),
                    ratio(d50, z50),
                    if *class == SizeClass::P2160 {
                        "< 50 ms".into()
                    } else {
                        "report".into()
                    },
                ],
            );
        }
        all_codes += t.codes;
        all_found += t.found;
        all_wrong += t.wrong;
        all_fp += t.false_positive;
        all_zbar += t.zbar_found;
    }
    let rate = 100.0 * all_found as f64 / all_codes.max(1) as f64;
    let zbar_rate = 100.0 * all_zbar as f64 / all_codes.max(1) as f64;
    println!("all    {all_codes:>6} {rate:>8.1}% {all_wrong:>5} {all_fp:>3} {zbar_rate:>8.1}%");
    if let Some(rows) = &args.rows {
        write_row(
            rows,
            "qr-rate",
            &[
                "QR decode rate (wrong, false positives)".into(),
                format!("{rate:.1} % ({all_wrong}, {all_fp})"),
                "zbarimg".into(),
                format!("{zbar_rate:.1} %"),
                format!("{:+.1} pt", rate - zbar_rate),
                ">= 99 %, 0, 0".into(),
            ],
        );
    }
}

fn write_row(dir: &Path, name: &str, cells: &[String]) {
    std::fs::create_dir_all(dir).unwrap();
    let json = serde_json::to_string(cells).unwrap();
    std::fs::write(dir.join(format!("{name}.row.json")), json).unwrap();
}

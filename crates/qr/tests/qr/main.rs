//! Integration tests of tessera-qr: the synthetic screenshot corpus, the Google Authenticator
//! samples of the shared test data, hostile images, and render → decode round trips.
// Helpers outside `#[test]` functions panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;
mod hostile;
mod render;
mod samples;

use tessera_qr::{QrText, decode_image_bytes};

/// EXPOSE: tests compare decoded texts with the texts that were drawn.
fn texts(found: &[QrText]) -> Vec<String> {
    found.iter().map(|t| t.expose_secret().to_owned()).collect()
}

/// A reduced corpus (every size class, every theme, JPEG and PNG, two codes, no code) that runs
/// in a debug `cargo test`; the benchmark runs the full corpus in release.
#[test]
fn reduced_corpus_decode_rate_and_no_wrong_strings() {
    const SEED: u64 = 0x5EED_0001;
    const COUNT: usize = 30;
    let (mut codes, mut found, mut wrong, mut false_positives) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for index in 0..COUNT {
        let sample = corpus::sample(SEED, index);
        let got = texts(&decode_image_bytes(&sample.file).expect("corpus images are valid"));
        let hits = sample.expected.iter().filter(|e| got.contains(e)).count();
        let misses = got.iter().filter(|g| !sample.expected.contains(g)).count();
        codes += sample.expected.len();
        found += hits;
        if sample.expected.is_empty() {
            false_positives += got.len();
        } else {
            wrong += misses;
        }
        if hits < sample.expected.len() || misses > 0 {
            report.push(format!(
                "{}: {hits}/{} found, {misses} extra",
                sample.name,
                sample.expected.len()
            ));
        }
    }
    let rate = found as f64 / codes as f64;
    assert!(
        codes >= 25,
        "the reduced corpus must hold enough codes to mean something"
    );
    assert!(
        rate >= 0.99,
        "decode rate {:.1} % < 99 %: {report:#?}",
        rate * 100.0
    );
    assert_eq!(wrong, 0, "wrong strings: {report:#?}");
    assert_eq!(false_positives, 0, "false positives: {report:#?}");
}

/// The corpus generator is deterministic: the same seed and index give the same bytes, so a
/// failing sample can be replayed from its name.
#[test]
fn corpus_is_deterministic() {
    let a = corpus::sample(42, 7);
    let b = corpus::sample(42, 7);
    assert_eq!(a.name, b.name);
    assert_eq!(a.expected, b.expected);
    assert!(a.file == b.file);
    assert_ne!(corpus::sample(43, 7).expected, a.expected);
}

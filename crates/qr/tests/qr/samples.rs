//! The Google Authenticator export QR images of the repository's test data (`tests/data`) decode to the recorded
//! text and classify to the expected accounts.

use std::path::PathBuf;

use serde_json::Value;
use tessera_core::migration::MigrationEntry;
use tessera_core::{Algorithm, Otp};
use tessera_qr::{Added, MigrationCollector, Payload, classify, decode_image_bytes};

use crate::texts;

/// The repository's sample files of other apps (`tests/data`).
fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

fn sample(name: &str) -> (Vec<u8>, Value) {
    let dir = testdata().join("imports/google-migration");
    let image = std::fs::read(dir.join(name)).expect("sample image");
    let expected = std::fs::read(dir.join(format!("{name}.expected.json"))).expect("expected.json");
    (
        image,
        serde_json::from_slice(&expected).expect("expected.json is JSON"),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The README's matching rules: name or issuer may equal an `also_accept` value.
fn accepts(expected: &Value, field: &str, got: &str) -> bool {
    expected[field].as_str() == Some(got)
        || expected["also_accept"][field]
            .as_array()
            .is_some_and(|alts| alts.iter().any(|a| a.as_str() == Some(got)))
}

fn check_entry(expected: &Value, got: &MigrationEntry, at: &str) {
    assert!(
        accepts(expected, "issuer", &got.issuer),
        "{at}: issuer {:?}",
        got.issuer
    );
    assert!(
        accepts(expected, "name", &got.name),
        "{at}: name {:?}",
        got.name
    );
    // EXPOSE: compared with the sample's recorded key bytes.
    assert_eq!(
        hex(got.secret.expose_secret()),
        expected["secret_hex"].as_str().unwrap(),
        "{at}"
    );
    let algorithm = Algorithm::parse(expected["algorithm"].as_str().unwrap()).unwrap();
    let digits = expected["digits"].as_u64().unwrap();
    match (expected["type"].as_str().unwrap(), got.otp) {
        (
            "totp",
            Otp::Totp {
                algorithm: a,
                digits: d,
                period,
            },
        ) => {
            assert_eq!((a, u64::from(d.get())), (algorithm, digits), "{at}");
            assert_eq!(
                u64::from(period.get()),
                expected["period"].as_u64().unwrap(),
                "{at}"
            );
        }
        (
            "hotp",
            Otp::Hotp {
                algorithm: a,
                digits: d,
                counter,
            },
        ) => {
            assert_eq!((a, u64::from(d.get())), (algorithm, digits), "{at}");
            assert_eq!(counter, expected["counter"].as_u64().unwrap(), "{at}");
        }
        (kind, otp) => panic!("{at}: expected {kind}, got {otp:?}"),
    }
}

fn check_sample(name: &str) -> tessera_core::migration::MigrationBatch {
    let (image, expected) = sample(name);
    let found = decode_image_bytes(&image).expect("the sample is a valid image");
    assert_eq!(
        texts(&found),
        [expected["qr_text"].as_str().unwrap()],
        "{name}"
    );
    // EXPOSE: classified like any scanned code.
    let payload = classify(found[0].expose_secret()).expect("a valid export");
    let Payload::Migration(batch) = payload else {
        panic!("{name}: expected a migration batch, got {payload:?}");
    };
    let entries = expected["entries"].as_array().unwrap();
    assert_eq!(batch.entries.len(), entries.len(), "{name}");
    assert!(batch.rejected.is_empty(), "{name}");
    for (i, (want, got)) in entries.iter().zip(&batch.entries).enumerate() {
        check_entry(want, got, &format!("{name} entry {i}"));
    }
    let info = &expected["migration_batches"][0];
    assert_eq!(
        i64::from(batch.info.size),
        info["batch_size"].as_i64().unwrap()
    );
    assert_eq!(
        i64::from(batch.info.index),
        info["batch_index"].as_i64().unwrap()
    );
    batch
}

#[test]
fn scito_export_png_decodes_to_three_accounts() {
    let batch = check_sample("scito-example_export.png");
    let mut collector = MigrationCollector::new();
    assert_eq!(collector.add(batch), Ok(Added::New));
    assert!(collector.is_complete());
}

#[test]
fn proton_export_png_is_code_one_of_four() {
    let batch = check_sample("proton-GoogleAuthenticatorExport_3.png");
    let id = batch.info.id;
    let mut collector = MigrationCollector::new();
    collector.add(batch).unwrap();
    assert!(!collector.is_complete());
    assert_eq!(collector.missing().get(&id), Some(&vec![1, 2, 3]));
}

/// The samples as a user meets them: a phone screenshot, JPEG-compressed, inside a larger
/// dark page.
#[test]
fn export_inside_a_dark_jpeg_screenshot() {
    let (image, expected) = sample("scito-example_export.png");
    let code = image::load_from_memory(&image).unwrap().to_rgb8();
    let mut page = image::RgbImage::from_pixel(1920, 1080, image::Rgb([28, 28, 30]));
    let code = image::imageops::resize(&code, 500, 500, image::imageops::FilterType::Triangle);
    image::imageops::overlay(&mut page, &code, 700, 300);
    let mut jpeg = Vec::new();
    page.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut jpeg, 70,
    ))
    .unwrap();
    let found = decode_image_bytes(&jpeg).unwrap();
    assert_eq!(texts(&found), [expected["qr_text"].as_str().unwrap()]);
}

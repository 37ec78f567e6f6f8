//! The text samples of `google-migration` (QR images are decoded elsewhere).

use tessera_core::migration::{self, BatchInfo};

use crate::testdata::{Got, check_entry, text_samples, uri_lines};

#[test]
fn google_migration_samples() {
    let mut checked = 0;
    for (sample, text, expected) in text_samples("google-migration") {
        let batches: Vec<_> = uri_lines(&text)
            .map(|line| migration::parse(line).unwrap_or_else(|e| panic!("{sample}: {e}")))
            .collect();

        let want_batches = expected["migration_batches"].as_array().unwrap();
        assert_eq!(batches.len(), want_batches.len(), "{sample}: batch count");
        for (i, (batch, want)) in batches.iter().zip(want_batches).enumerate() {
            let context = format!("{sample} batch {i}");
            assert!(batch.rejected.is_empty(), "{context}: {:?}", batch.rejected);
            assert_eq!(
                Some(batch.entries.len() as u64),
                want["entries"].as_u64(),
                "{context}"
            );
            // Samples without batch fields (dim13) stand for proto3's all-zero defaults.
            let field = |key: &str| want[key].as_i64().unwrap_or(0);
            let want_info = BatchInfo {
                version: field("version") as i32,
                size: field("batch_size") as i32,
                index: field("batch_index") as i32,
                id: field("batch_id") as i32,
            };
            assert_eq!(batch.info, want_info, "{context}");
        }

        let entries: Vec<_> = batches.iter().flat_map(|b| &b.entries).collect();
        let want = expected["entries"].as_array().unwrap();
        assert_eq!(entries.len(), want.len(), "{sample}: entry count");
        for (i, (entry, want)) in entries.iter().zip(want).enumerate() {
            let got = Got {
                issuer: &entry.issuer,
                name: &entry.name,
                secret: &entry.secret,
                otp: &entry.otp,
            };
            check_entry(&format!("{sample} entry {i}"), &got, want);
            checked += 1;
        }
    }
    assert_eq!(checked, 12, "every sample entry was checked");
}

#[test]
fn form_decoded_plus_is_repaired() {
    // scito's "plus problem": a tool that form-decoded the query turned `+` into spaces.
    let sample = text_samples("google-migration")
        .into_iter()
        .find(|(name, ..)| name == "scito-test_plus_problem_export.txt")
        .unwrap();
    let mangled = sample.1.trim().replace('+', " ");
    let batch = migration::parse(&mangled).unwrap();
    assert_eq!(batch.entries.len(), 4);
    assert_eq!(batch.entries[0].name, "test1@serenitylabs.co.uk");
}

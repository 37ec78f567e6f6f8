//! Screenshots of QR codes imported as files: a Google Authenticator export drawn into PNG
//! files (whole, and a batch of three codes with codes missing), an account's `otpauth://`
//! code, and pictures that hold no authenticator code.

use tessera_testkit::qr::{png_of, three_code_export};
use tessera_transfer::{Format, ImportError, MissingCodes, import, import_files};

use super::testdata;

fn names(import: &tessera_transfer::Import) -> Vec<String> {
    import.entries.iter().map(|e| e.label()).collect()
}

#[test]
fn a_screenshot_of_a_whole_export_imports_its_accounts() {
    let bytes = std::fs::read(testdata().join("imports/google-migration/scito-example_export.png"))
        .unwrap();
    let import = import(&bytes, None).unwrap();
    assert_eq!(import.format, Format::GoogleMigration);
    assert_eq!(import.entries.len(), 3);
    assert!(import.problems.is_empty());
    assert!(import.missing_codes().is_empty());
}

#[test]
fn a_batch_with_codes_missing_imports_what_it_has_and_names_the_rest() {
    let codes = three_code_export(-4242);
    let first = png_of(&[&codes[0]]);
    let import_one = import(&first, None).unwrap();
    assert_eq!(import_one.format, Format::GoogleMigration);
    assert_eq!(import_one.entries.len(), 2);
    let missing = import_one.missing_codes();
    assert_eq!(
        missing,
        [MissingCodes {
            batch_id: -4242,
            size: 3,
            numbers: vec![2, 3]
        }]
    );
    assert!(
        missing[0].to_string().starts_with("codes 2 and 3 of 3 "),
        "{}",
        missing[0]
    );

    // The rest, scanned later (here: both in one picture), adds their accounts and names code 1.
    let rest = png_of(&[&codes[1], &codes[2]]);
    let later = import(&rest, None).unwrap();
    assert_eq!(later.entries.len(), 4);
    assert_eq!(later.missing_codes()[0].numbers, [1]);
    let mut all = names(&import_one);
    all.extend(names(&later));
    assert_eq!(all.len(), 6);

    // All three codes given together: nothing is missing, every account is there once.
    let files = [("1.png", first.as_slice()), ("2-3.png", rest.as_slice())];
    let together = import_files(&files, None).unwrap();
    assert_eq!(together.entries.len(), 6);
    assert!(together.missing_codes().is_empty());
    assert_eq!(names(&together), all);
}

#[test]
fn the_same_rule_holds_for_a_text_file_of_export_links() {
    let codes = three_code_export(17);
    let text = format!("{}\n{}\n", codes[2], codes[0]);
    let import = import(text.as_bytes(), None).unwrap();
    assert_eq!(import.entries.len(), 4);
    assert_eq!(
        import.missing_codes(),
        [MissingCodes {
            batch_id: 17,
            size: 3,
            numbers: vec![2]
        }]
    );
    assert!(
        import.missing_codes()[0]
            .to_string()
            .starts_with("code 2 of 3 ")
    );
}

#[test]
fn the_proton_sample_is_code_one_of_four() {
    let bytes = std::fs::read(
        testdata().join("imports/google-migration/proton-GoogleAuthenticatorExport_3.png"),
    )
    .unwrap();
    let import = import(&bytes, None).unwrap();
    assert_eq!(import.entries.len(), 10);
    assert_eq!(import.missing_codes()[0].numbers, [2, 3, 4]);
}

#[test]
fn an_account_code_imports_one_account() {
    let png = png_of(&["otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME"]);
    let import = import(&png, None).unwrap();
    assert_eq!(import.format, Format::OtpauthUri);
    assert_eq!(names(&import), ["ACME (alice)"]);
    assert!(import.missing_codes().is_empty());
}

#[test]
fn pictures_without_an_authenticator_code_are_refused_with_their_codes() {
    let blank = png_of(&[]);
    let error = import(&blank, None).unwrap_err();
    assert_eq!(error, ImportError::NoQrCode);
    assert_eq!(error.code(), "no_qr_code");

    let link = png_of(&["https://example.com/login?token=SECRET"]);
    let error = import(&link, None).unwrap_err();
    assert_eq!(error, ImportError::NotAnAccountQr);
    assert_eq!(error.code(), "qr_not_account");
    assert!(!error.to_string().contains("SECRET"));
    let push = png_of(&["otpauth://pipush/PIPU0001?url=https://pi.example/ttype/push"]);
    assert_eq!(
        import(&push, None).unwrap_err(),
        ImportError::NotAnAccountQr
    );

    // A PNG signature and nothing readable after it.
    let mut damaged = blank.clone();
    damaged.truncate(40);
    let error = import(&damaged, None).unwrap_err();
    assert_eq!(error.code(), "image_unreadable");
    assert!(error.format().is_none());

    // A damaged export code alone is a damaged export.
    let broken = png_of(&["otpauth-migration://offline?data=%%%"]);
    assert_eq!(
        import(&broken, None).unwrap_err(),
        ImportError::InvalidContainer {
            format: Format::GoogleMigration
        }
    );
}

#[test]
fn other_codes_beside_an_account_are_reported_not_dropped() {
    let png = png_of(&[
        "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME",
        "https://example.com/",
    ]);
    let import = import(&png, None).unwrap();
    assert_eq!(import.entries.len(), 1);
    let problems: Vec<_> = import
        .problems
        .iter()
        .map(|p| (p.label.as_str(), p.error.code()))
        .collect();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].0.starts_with("QR code "), "{problems:?}");
    assert_eq!(problems[0].1, "not_a_uri");
}

#[test]
fn an_image_beyond_the_reader_caps_is_refused_from_its_header() {
    // A PNG whose header declares 20000 x 20000 pixels (valid CRC), and no pixels: refused
    // from the header, before anything is decoded.
    let png = tessera_testkit::files::png_declaring(20_000, 20_000);
    match import(&png, None).unwrap_err() {
        ImportError::LimitExceeded { format, limit } => {
            assert_eq!((format, limit.code()), (None, "max_image_pixels"));
        }
        other => panic!("expected a limit, got {other:?}"),
    }
}

//! Every export format imports back to the same accounts: `import(export(v)) == v` (issuer,
//! name, secret bytes, OTP parameters, and tags where the format has them), through the
//! content-detecting `import` the CLI and the app use.

use proptest::prelude::*;
use serde_json::Value;
use tessera_core::vault::{KdfParams, Passphrase, Protection};
use tessera_core::{Account, Algorithm, Digits, Otp, OtpSecret, Period, UnixTime, Vault};
use tessera_testkit::otp::{any_otp, google_totp, name, secret, text};
use tessera_transfer::export::{
    self, AegisKdf, ExportError, MAX_ACCOUNTS_PER_CODE, MAX_URI_LEN, MigrationOutcome,
    MigrationWarning, NotPortable,
};
use tessera_transfer::{Format, Import, ImportError, detect, import};

const NOW: UnixTime = UnixTime(1_700_000_000);

/// scrypt N = 2^4: fast enough for many cases, same code path as Aegis's 2^15.
fn low_kdf() -> AegisKdf {
    AegisKdf::new(4, 8, 1).unwrap()
}

fn account(issuer: &str, name: &str, secret: &[u8], otp: Otp, tags: &[&str]) -> Account {
    let mut account = Account::new(issuer, name, OtpSecret::from_slice(secret), otp, NOW);
    account.tags = tags.iter().map(|t| t.to_string()).collect();
    account
}

fn totp(algorithm: Algorithm, digits: u32, period: u32) -> Otp {
    Otp::Totp {
        algorithm,
        digits: Digits::new(digits).unwrap(),
        period: Period::new(period).unwrap(),
    }
}

/// One account of every kind and a few awkward names.
fn mixed_accounts() -> Vec<Account> {
    vec![
        account(
            "GitHub",
            "alice@example.com",
            b"12345678901234567890",
            Otp::DEFAULT_TOTP,
            &["Work", "Dev"],
        ),
        account(
            "Ex:ample",
            "bob:colon",
            &[0xFF; 64],
            totp(Algorithm::Sha512, 8, 60),
            &["Work"],
        ),
        account(
            "",
            "no issuer",
            &[1, 2, 3],
            totp(Algorithm::Sha256, 7, 30),
            &[],
        ),
        account("Steam", "gabe", &[9; 20], Otp::Steam, &["Games"]),
        account(
            "Bank ünïcødé 🏦",
            "",
            b"hotp-key",
            Otp::Hotp {
                algorithm: Algorithm::Sha1,
                digits: Digits::SIX,
                counter: 41,
            },
            &[],
        ),
    ]
}

/// Compares what an import read with the accounts exported, in order.
fn assert_same(imported: &Import, accounts: &[Account], with_tags: bool) {
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(imported.entries.len(), accounts.len());
    for (entry, account) in imported.entries.iter().zip(accounts) {
        let label = account.display_label();
        assert_eq!(entry.issuer, account.issuer, "{label}");
        assert_eq!(entry.name, account.name, "{label}");
        assert!(entry.secret == account.secret, "{label}: secret");
        assert_eq!(entry.otp, account.otp, "{label}");
        if with_tags {
            assert_eq!(entry.tags, account.tags, "{label}");
        }
    }
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

// --- Aegis -------------------------------------------------------------------------------------

#[test]
fn aegis_plain_round_trips_with_groups() {
    let accounts = mixed_accounts();
    let bytes = export::aegis_plain(&accounts).unwrap();
    assert_eq!(detect(&bytes), Some(Format::Aegis));
    let imported = import(&bytes, None).unwrap();
    assert_eq!(imported.format, Format::Aegis);
    assert_same(&imported, &accounts, true);

    // The file is what Aegis writes: vault v1, no slots or params, database v3, one group per
    // distinct tag, entry ids from the accounts' ids.
    let file = json(&bytes);
    assert_eq!(file["version"], 1);
    assert!(file["header"]["slots"].is_null() && file["header"]["params"].is_null());
    assert_eq!(file["db"]["version"], 3);
    let groups = file["db"]["groups"].as_array().unwrap();
    let names: Vec<_> = groups.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Work", "Dev", "Games"]);
    let work = groups[0]["uuid"].as_str().unwrap();
    let entries = file["db"]["entries"].as_array().unwrap();
    assert_eq!(entries[0]["groups"][0], work);
    assert_eq!(entries[1]["groups"][0], work);
    assert_eq!(entries[0]["uuid"], accounts[0].id.to_string());
    assert_eq!(
        entries[0]["info"]["secret"],
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    );
    assert_eq!(entries[3]["type"], "steam");
    assert_eq!(entries[3]["info"]["digits"], 5);
    assert_eq!(entries[4]["info"]["counter"], 41);
    assert!(entries[4]["info"].get("period").is_none());
}

#[test]
fn aegis_plain_drops_empty_and_repeated_tags() {
    let accounts = [account("A", "a", b"k", Otp::DEFAULT_TOTP, &["", "x", "x"])];
    let imported = import(&export::aegis_plain(&accounts).unwrap(), None).unwrap();
    assert_eq!(imported.entries[0].tags, ["x"]);
    let file = json(&export::aegis_plain(&[]).unwrap());
    assert_eq!(file["db"]["entries"], Value::Array(vec![]));
}

#[test]
fn aegis_encrypted_round_trips() {
    let accounts = mixed_accounts();
    let password = "correct horse ✓";
    let bytes = export::aegis_encrypted(&accounts, password, low_kdf()).unwrap();
    assert_eq!(detect(&bytes), Some(Format::Aegis));
    assert_same(&import(&bytes, Some(password)).unwrap(), &accounts, true);
    assert_eq!(
        import(&bytes, None).unwrap_err(),
        ImportError::PasswordRequired {
            format: Format::Aegis
        }
    );
    assert_eq!(
        import(&bytes, Some("correct horse")).unwrap_err(),
        ImportError::WrongPassword {
            format: Format::Aegis
        }
    );

    // One password slot as Aegis writes it; nothing readable outside the ciphertext.
    let file = json(&bytes);
    let slots = file["header"]["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 1);
    let slot = &slots[0];
    assert_eq!(
        (slot["type"].as_u64(), slot["n"].as_u64()),
        (Some(1), Some(16))
    );
    assert_eq!((slot["r"].as_u64(), slot["p"].as_u64()), (Some(8), Some(1)));
    assert_eq!(slot["repaired"], true);
    let hex_len = |v: &Value| v.as_str().unwrap().len();
    assert_eq!(hex_len(&slot["salt"]), 64);
    assert_eq!(hex_len(&slot["key"]), 64);
    assert_eq!(hex_len(&slot["key_params"]["nonce"]), 24);
    assert_eq!(hex_len(&slot["key_params"]["tag"]), 32);
    assert_eq!(hex_len(&file["header"]["params"]["nonce"]), 24);
    assert_eq!(hex_len(&file["header"]["params"]["tag"]), 32);
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    for clear in ["GitHub", "alice", "GEZDGNBV", "Work"] {
        assert!(!text.contains(clear), "{clear} in the encrypted file");
    }
}

#[test]
fn aegis_encrypted_draws_fresh_keys_salts_and_nonces() {
    let accounts = mixed_accounts();
    let a = json(&export::aegis_encrypted(&accounts, "pw", low_kdf()).unwrap());
    let b = json(&export::aegis_encrypted(&accounts, "pw", low_kdf()).unwrap());
    let slot = |f: &Value, key: &str| f["header"]["slots"][0][key].clone();
    assert_ne!(slot(&a, "salt"), slot(&b, "salt"));
    assert_ne!(slot(&a, "key"), slot(&b, "key"));
    assert_ne!(
        slot(&a, "key_params")["nonce"],
        slot(&b, "key_params")["nonce"]
    );
    assert_ne!(
        slot(&a, "key_params")["nonce"],
        a["header"]["params"]["nonce"]
    );
    assert_ne!(
        a["header"]["params"]["nonce"],
        b["header"]["params"]["nonce"]
    );
    assert_ne!(a["db"], b["db"]);
}

#[test]
fn aegis_encrypted_with_aegis_cost_and_edge_cases() {
    // Aegis's own parameters (N = 2^15), as the CLI and the app use them.
    let accounts = [account("A", "b", b"0123456789", Otp::DEFAULT_TOTP, &["t"])];
    let bytes = export::aegis_encrypted(&accounts, "pw", AegisKdf::default()).unwrap();
    assert_eq!(json(&bytes)["header"]["slots"][0]["n"], 32768);
    assert_same(&import(&bytes, Some("pw")).unwrap(), &accounts, true);
    // No accounts is a valid, empty vault.
    let empty = export::aegis_encrypted(&[], "pw", low_kdf()).unwrap();
    assert!(import(&empty, Some("pw")).unwrap().entries.is_empty());
    assert_eq!(
        export::aegis_encrypted(&accounts, "", low_kdf()).unwrap_err(),
        ExportError::EmptyPassword
    );
}

// --- otpauth list ------------------------------------------------------------------------------

#[test]
fn otpauth_list_round_trips() {
    let accounts = mixed_accounts();
    let list = export::otpauth_list(&accounts);
    assert_eq!(list.lines().count(), accounts.len());
    assert_eq!(detect(list.as_bytes()), Some(Format::OtpauthUri));
    let imported = import(list.as_bytes(), None).unwrap();
    assert_eq!(imported.format, Format::OtpauthUri);
    // The format has no tags.
    assert_same(&imported, &accounts, false);
}

// --- Google Authenticator migration ------------------------------------------------------------

#[test]
fn migration_skips_and_reports_what_google_cannot_hold() {
    let accounts = mixed_accounts();
    let export = export::migration_uris(&accounts).unwrap();
    assert_eq!(export.uris.len(), 1);
    let outcomes: Vec<_> = export
        .accounts
        .iter()
        .map(|a| (a.index, a.outcome.clone()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (
                0,
                MigrationOutcome::Exported {
                    code: 0,
                    warnings: vec![]
                }
            ),
            (
                1,
                MigrationOutcome::Skipped {
                    reason: NotPortable::Period { seconds: 60 }
                }
            ),
            (
                2,
                MigrationOutcome::Skipped {
                    reason: NotPortable::Digits { digits: 7 }
                }
            ),
            (
                3,
                MigrationOutcome::Skipped {
                    reason: NotPortable::Steam
                }
            ),
            (
                4,
                MigrationOutcome::Exported {
                    code: 0,
                    warnings: vec![]
                }
            ),
        ]
    );
    assert_eq!(export.accounts[0].label, "GitHub (alice@example.com)");
    assert_eq!(export.exported().count(), 2);
    assert_eq!(export.skipped().count(), 3);

    let text = export.uris[0].as_str();
    assert_eq!(detect(text.as_bytes()), Some(Format::GoogleMigration));
    let imported = import(text.as_bytes(), None).unwrap();
    let kept = [&accounts[0], &accounts[4]];
    assert_eq!(imported.entries.len(), 2);
    for (entry, account) in imported.entries.iter().zip(kept) {
        assert_eq!(
            (&entry.issuer, &entry.name),
            (&account.issuer, &account.name)
        );
        assert!(entry.secret == account.secret);
        assert_eq!(entry.otp, account.otp);
    }
    // Version 1, one code of one, the export's id; base64 padded and percent-encoded.
    let batch = tessera_core::migration::parse(text).unwrap();
    assert_eq!(
        (
            batch.info.version,
            batch.info.size,
            batch.info.index,
            batch.info.id
        ),
        (1, 1, 0, export.batch_id)
    );
    assert!(!text["otpauth-migration://offline?data=".len()..].contains(['+', '/', '=']));
}

#[test]
fn migration_warns_about_parameters_google_may_ignore() {
    let accounts = [account("A", "b", b"k", totp(Algorithm::Sha256, 8, 30), &[])];
    let export = export::migration_uris(&accounts).unwrap();
    assert_eq!(
        export.accounts[0].outcome,
        MigrationOutcome::Exported {
            code: 0,
            warnings: vec![
                MigrationWarning::EightDigits,
                MigrationWarning::Algorithm {
                    algorithm: Algorithm::Sha256
                }
            ]
        }
    );
    let nothing = export::migration_uris(&[account("S", "s", b"k", Otp::Steam, &[])]).unwrap();
    assert!(nothing.uris.is_empty());
    assert_eq!(nothing.skipped().count(), 1);
    assert!(export::migration_uris(&[]).unwrap().uris.is_empty());
}

#[test]
fn migration_splits_into_batches_of_ten_sharing_one_id() {
    let accounts: Vec<Account> = (0..23)
        .map(|i| {
            account(
                "Service",
                &format!("user{i}"),
                &[i as u8; 20],
                Otp::DEFAULT_TOTP,
                &[],
            )
        })
        .collect();
    let export = export::migration_uris(&accounts).unwrap();
    assert_eq!(export.uris.len(), 3);
    let mut all = Vec::new();
    for (index, uri) in export.uris.iter().enumerate() {
        let batch = tessera_core::migration::parse(uri).unwrap();
        assert_eq!(
            (
                batch.info.version,
                batch.info.size,
                batch.info.index,
                batch.info.id
            ),
            (1, 3, index as i32, export.batch_id)
        );
        assert!(batch.entries.len() <= MAX_ACCOUNTS_PER_CODE);
        all.extend(batch.entries);
    }
    assert_eq!(all.len(), 23);
    for (entry, account) in all.iter().zip(&accounts) {
        assert_eq!(entry.name, account.name);
        assert!(entry.secret == account.secret);
    }
    let codes: Vec<usize> = export
        .accounts
        .iter()
        .map(|a| match a.outcome {
            MigrationOutcome::Exported { code, .. } => code,
            MigrationOutcome::Skipped { .. } => usize::MAX,
        })
        .collect();
    assert_eq!(codes, [vec![0; 10], vec![1; 10], vec![2; 3]].concat());
    // All the codes together, as a scanned list, import everything.
    let text = export
        .uris
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(import(text.as_bytes(), None).unwrap().entries.len(), 23);
}

#[test]
fn migration_keeps_codes_scannable_with_long_names() {
    let long = "x".repeat(300);
    let accounts: Vec<Account> = (0..6)
        .map(|i| {
            account(
                &long,
                &format!("{long}{i}"),
                &[7; 64],
                totp(Algorithm::Sha512, 6, 30),
                &[],
            )
        })
        .collect();
    let export = export::migration_uris(&accounts).unwrap();
    assert!(export.uris.len() > 1);
    assert!(export.uris.iter().all(|u| u.len() <= MAX_URI_LEN));
    let total: usize = export
        .uris
        .iter()
        .map(|u| tessera_core::migration::parse(u).unwrap().entries.len())
        .sum();
    assert_eq!(total, 6);
    // An account longer than a code on its own still gets a code.
    let huge = [account(
        &"y".repeat(2000),
        "n",
        b"k",
        Otp::DEFAULT_TOTP,
        &[],
    )];
    assert_eq!(export::migration_uris(&huge).unwrap().uris.len(), 1);
}

// --- Tessera backup ----------------------------------------------------------------------------

#[test]
fn tessera_backup_is_detected_and_imported_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let low = KdfParams::new(8, 1, 1).unwrap();
    let (mut vault, _recovery) = Vault::create(&path, Protection::default(), NOW).unwrap();
    vault
        .update(|data| {
            data.accounts = mixed_accounts();
            Ok::<_, tessera_core::VaultError>(())
        })
        .unwrap();
    let backup = dir.path().join("backup.tessera");
    let passphrase = Passphrase::from("backup pw");
    vault.export_to(&backup, &passphrase, low).unwrap();
    let bytes = std::fs::read(&backup).unwrap();

    assert_eq!(detect(&bytes), Some(Format::TesseraBackup));
    let imported = import(&bytes, Some("backup pw")).unwrap();
    assert_eq!(imported.format, Format::TesseraBackup);
    assert_same(&imported, vault.accounts(), true);
    assert_eq!(
        import(&bytes, None).unwrap_err(),
        ImportError::PasswordRequired {
            format: Format::TesseraBackup
        }
    );
    assert_eq!(
        import(&bytes, Some("backup")).unwrap_err(),
        ImportError::WrongPassword {
            format: Format::TesseraBackup
        }
    );
    assert_eq!(
        import(&bytes[..bytes.len() / 2], Some("backup pw")).unwrap_err(),
        ImportError::InvalidContainer {
            format: Format::TesseraBackup
        }
    );
    // The vault itself has no passphrase slot: it is not a backup.
    let own = std::fs::read(&path).unwrap();
    assert_eq!(
        import(&own, Some("backup pw")).unwrap_err(),
        ImportError::VaultWithoutPassphrase
    );
}

// --- Properties --------------------------------------------------------------------------------

/// Mostly what Google's format holds (6 or 8 digits, 30 s), so most cases export something.
fn google_biased_otp() -> impl Strategy<Value = Otp> {
    prop_oneof![1 => any_otp(), 3 => google_totp()]
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::btree_set(prop_oneof!["[a-c]{1,2}", "\\PC{1,6}"], 0..4)
        .prop_map(|set| set.into_iter().collect())
}

fn accounts(
    name: impl Strategy<Value = String>,
    otp: impl Strategy<Value = Otp>,
) -> impl Strategy<Value = Vec<Account>> {
    proptest::collection::vec((text(), name, secret(), otp, tags()), 0..6).prop_map(|v| {
        v.into_iter()
            .map(|(issuer, name, key, otp, tags)| {
                let mut account = Account::new(issuer, name, OtpSecret::from_bytes(key), otp, NOW);
                account.tags = tags;
                account
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn aegis_plain_round_trips_arbitrary_accounts(accounts in accounts(text(), any_otp())) {
        let bytes = export::aegis_plain(&accounts).unwrap();
        assert_same(&import(&bytes, None).unwrap(), &accounts, true);
    }

    #[test]
    fn otpauth_list_round_trips_arbitrary_accounts(accounts in accounts(name(), any_otp())) {
        prop_assume!(!accounts.is_empty());
        let list = export::otpauth_list(&accounts);
        assert_same(&import(list.as_bytes(), None).unwrap(), &accounts, false);
    }

    #[test]
    fn migration_round_trips_what_it_exports(accounts in accounts(name(), google_biased_otp())) {
        let export = export::migration_uris(&accounts).unwrap();
        prop_assert_eq!(export.accounts.len(), accounts.len());
        let exported: Vec<&Account> = export
            .exported()
            .map(|a| &accounts[a.index])
            .collect();
        for skipped in export.skipped() {
            let otp = accounts[skipped.index].otp;
            let portable = match otp {
                Otp::Steam => false,
                Otp::Hotp { digits, counter, .. } => {
                    matches!(digits.get(), 6 | 8) && counter <= i64::MAX as u64
                }
                Otp::Totp { digits, period, .. } => {
                    matches!(digits.get(), 6 | 8) && period == Period::THIRTY
                }
            };
            prop_assert!(!portable, "{:?} skipped", otp);
        }
        let text = export.uris.iter().map(|u| u.as_str()).collect::<Vec<_>>().join("\n");
        if exported.is_empty() {
            prop_assert!(export.uris.is_empty());
        } else {
            let imported = import(text.as_bytes(), None).unwrap();
            prop_assert!(imported.problems.is_empty());
            prop_assert_eq!(imported.entries.len(), exported.len());
            for (entry, account) in imported.entries.iter().zip(exported) {
                prop_assert_eq!(&entry.issuer, &account.issuer);
                prop_assert_eq!(&entry.name, &account.name);
                prop_assert!(entry.secret == account.secret);
                prop_assert_eq!(entry.otp, account.otp);
            }
        }
    }
}

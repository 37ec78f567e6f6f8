//! Opening and saving a 10,000-account vault, against a "floor": the least work any encrypted
//! store of the same bytes must do (read the file, AES-256-GCM decrypt, parse the MessagePack
//! payload, as the vault writes it since format version 2, into plain structs).
//!
//! Run: `cargo bench -p tessera-core --bench vault`. The open path uses the keychain slot with a
//! `MemoryKeyStore`, so Argon2 stays out of the measurement (it is a fixed, deliberate cost).

// A benchmark has no caller to report to: failing setup aborts the run with its message.
#![allow(clippy::expect_used)]

use std::fs;
use std::hint::black_box;
use std::path::Path;

use aes_gcm::aead::AeadInOut;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use tessera_core::keystore::MemoryKeyStore;
use tessera_core::vault::Protection;
use tessera_core::{
    Account, Algorithm, Digits, Otp, OtpSecret, Period, UnixTime, Unlock, Vault, VaultError,
};

const ACCOUNTS: usize = 10_000;
const NOW: UnixTime = UnixTime(1_700_000_000);

fn account(index: usize) -> Account {
    let secret: Vec<u8> = (0..20).map(|b| (index * 31 + b) as u8).collect();
    let mut account = Account::new(
        format!("Issuer {index}"),
        format!("user{index}@example.com"),
        OtpSecret::from_bytes(secret),
        Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            period: Period::THIRTY,
        },
        NOW,
    );
    account.tags = vec!["work".into()];
    account
}

/// The floor's payload: the same shape and bytes as the vault writes (ids and secrets as raw
/// bytes, otp parameters at their defaults left out, no icon), parsed into plain owned structs,
/// no validation.
#[derive(Serialize, Deserialize)]
struct FloorPayload {
    created: u64,
    settings: serde_json::Value,
    accounts: Vec<FloorAccount>,
}

#[derive(Serialize, Deserialize)]
struct FloorAccount {
    id: serde_bytes::ByteBuf,
    issuer: String,
    name: String,
    secret: serde_bytes::ByteBuf,
    otp: FloorOtp,
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    icon: Option<String>,
    created: u64,
    updated: u64,
}

#[derive(Serialize, Deserialize)]
struct FloorOtp {
    kind: String,
}

fn floor_file(dir: &Path, vault: &Vault) -> (std::path::PathBuf, Aes256Gcm) {
    let payload = FloorPayload {
        created: NOW.0,
        settings: serde_json::json!({"language": null, "theme": "system"}),
        accounts: vault
            .accounts()
            .iter()
            .map(|a| FloorAccount {
                id: serde_bytes::ByteBuf::from(a.id.as_bytes().to_vec()),
                issuer: a.issuer.clone(),
                name: a.name.clone(),
                secret: serde_bytes::ByteBuf::from(a.secret.expose_secret().to_vec()),
                otp: FloorOtp {
                    kind: "totp".into(),
                },
                tags: a.tags.clone(),
                icon: None,
                created: a.created.0,
                updated: a.updated.0,
            })
            .collect(),
    };
    let mut plaintext = rmp_serde::to_vec_named(&payload).expect("serializable");
    let cipher = Aes256Gcm::new(&[7u8; 32].into());
    let nonce = Nonce::from([1u8; 12]);
    let tag = cipher
        .encrypt_inout_detached(&nonce, b"header", plaintext.as_mut_slice().into())
        .expect("encrypts");
    plaintext.extend_from_slice(&tag);
    let path = dir.join("floor.bin");
    fs::write(&path, &plaintext).expect("writes");
    (path, cipher)
}

fn floor_open(path: &Path, cipher: &Aes256Gcm) -> FloorPayload {
    let mut bytes = fs::read(path).expect("reads");
    let split = bytes.len() - 16;
    let tag = Tag::try_from(&bytes[split..]).expect("tag");
    bytes.truncate(split);
    cipher
        .decrypt_inout_detached(
            &Nonce::from([1u8; 12]),
            b"header",
            bytes.as_mut_slice().into(),
            &tag,
        )
        .expect("decrypts");
    rmp_serde::from_slice(&bytes).expect("parses")
}

fn vault(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.tessera");
    let store = MemoryKeyStore::new();
    let (mut vault, _recovery) = Vault::create(
        &path,
        Protection {
            keychain: Some(&store),
            passphrase: None,
        },
        NOW,
    )
    .expect("creates");
    vault
        .update(|data| {
            data.accounts = (0..ACCOUNTS).map(account).collect();
            Ok::<_, VaultError>(())
        })
        .expect("fills");
    let (floor_path, cipher) = floor_file(dir.path(), &vault);
    eprintln!(
        "vault file {} bytes, floor file {} bytes",
        fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        fs::metadata(&floor_path).map(|m| m.len()).unwrap_or(0)
    );

    let mut group = c.benchmark_group("vault_10k");
    group.sample_size(30);
    group.bench_function("floor_read_decrypt_parse", |b| {
        b.iter(|| black_box(floor_open(&floor_path, &cipher).accounts.len()))
    });
    group.bench_function("open_keychain", |b| {
        b.iter(|| {
            let vault = Vault::open(&path, Unlock::Keychain(&store)).expect("opens");
            black_box(vault.accounts().len())
        })
    });
    group.bench_function("save_with_fsync", |b| {
        b.iter(|| {
            vault
                .update(|data| {
                    data.settings.show_next_code = !data.settings.show_next_code;
                    Ok::<_, VaultError>(())
                })
                .expect("saves")
        })
    });
    group.finish();
}

criterion_group!(benches, vault);
criterion_main!(benches);

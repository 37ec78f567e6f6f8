//! Codes per second for each OTP kind (criterion reports elements/s: one element = one code).
//!
//! Run: `cargo bench -p tessera-core --bench codes`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tessera_core::otp::{generate, hotp};
use tessera_core::{Algorithm, Digits, Otp, OtpSecret, Period, UnixTime};

/// The RFC 6238 seeds: 20, 32 and 64 bytes for SHA-1, SHA-256 and SHA-512.
fn seed(len: usize) -> OtpSecret {
    OtpSecret::from_bytes(b"1234567890".iter().copied().cycle().take(len).collect())
}

fn codes(c: &mut Criterion) {
    let mut group = c.benchmark_group("codes");
    group.throughput(Throughput::Elements(1));
    let now = UnixTime(1_700_000_000);

    for (name, algorithm, key_len) in [
        ("totp_sha1", Algorithm::Sha1, 20),
        ("totp_sha256", Algorithm::Sha256, 32),
        ("totp_sha512", Algorithm::Sha512, 64),
    ] {
        let secret = seed(key_len);
        let otp = Otp::Totp {
            algorithm,
            digits: Digits::SIX,
            period: Period::THIRTY,
        };
        group.bench_function(name, |b| {
            b.iter(|| generate(black_box(&secret), black_box(&otp), black_box(now)))
        });
    }

    let secret = seed(20);
    let mut counter = 0_u64;
    group.bench_function("hotp_sha1", |b| {
        b.iter(|| {
            counter = counter.wrapping_add(1);
            hotp(&secret, Algorithm::Sha1, Digits::SIX, black_box(counter))
        })
    });
    group.bench_function("steam", |b| {
        b.iter(|| generate(black_box(&secret), black_box(&Otp::Steam), black_box(now)))
    });
    group.finish();
}

criterion_group!(benches, codes);
criterion_main!(benches);

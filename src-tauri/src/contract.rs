//! The TypeScript side of every DTO, generated from the Rust types by ts-rs (issue 4).
//!
//! The DTOs derive `ts_rs::TS` in test builds only (`#[cfg_attr(test, derive(ts_rs::TS))]`), so
//! the app carries nothing of it. [`generated_typescript_is_current`] renders them all into
//! `ui/src/lib/ipc/generated.ts` and fails while the committed file differs; with
//! `TESSERA_WRITE_BINDINGS=1` it writes the file instead. The same file gets the command names
//! (`COMMANDS`, from `commands/names.rs`) and every error code the backend can send
//! (`IPC_ERROR_CODES`, from each error type's `ErrorCode::codes()`). The UI's contract modules
//! import all of it from there and add only what is not one Rust type (the `Backend` API,
//! UI-only types).
//!
//! The enums below are for TypeScript only: closed sets of codes that Rust sends as
//! `&'static str`, made by the core's and the push crate's `as_str()`, given to ts-rs with
//! `#[ts(as = "…")]`; a test checks them against those crates' variants.

// The enums below are never built: they exist for their TypeScript declarations.
#![allow(dead_code)]

use std::any::TypeId;
use std::path::PathBuf;

use tessera_core::ErrorCode;
use ts_rs::{Config, TS};

use crate::commands::NAMES;
use crate::dto::push::*;
use crate::dto::qr::*;
use crate::dto::selfservice::*;
use crate::dto::transfer::*;
use crate::dto::*;
use crate::error::{Field, IpcError, IpcErrorCode};

/// `tessera_core::Algorithm::as_str()`.
#[derive(TS)]
#[ts(rename_all = "UPPERCASE")]
pub(crate) enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// Rights the server's user policies may grant (privacyIDEA action names,
/// `tessera_push::selfservice::Right::as_str()`).
#[derive(TS)]
pub(crate) enum SelfServiceRight {
    #[ts(rename = "delete")]
    Delete,
    #[ts(rename = "disable")]
    Disable,
    #[ts(rename = "enable")]
    Enable,
    #[ts(rename = "enrollHOTP")]
    EnrollHotp,
    #[ts(rename = "enrollPUSH")]
    EnrollPush,
    #[ts(rename = "enrollTAN")]
    EnrollTan,
    #[ts(rename = "enrollTOTP")]
    EnrollTotp,
    #[ts(rename = "reset")]
    Reset,
    #[ts(rename = "resync")]
    Resync,
    #[ts(rename = "revoke")]
    Revoke,
    #[ts(rename = "setdescription")]
    SetDescription,
}

/// `tessera_push::selfservice::TokenStatus::as_str()`.
#[derive(TS)]
#[ts(rename_all = "lowercase")]
pub(crate) enum FactorStatus {
    Active,
    Disabled,
    Locked,
    Revoked,
    Unfinished,
}

/// Where the generated declarations go.
fn generated_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc/generated.ts")
}

/// The variable that makes the test write the file rather than compare it.
const WRITE_VAR: &str = "TESSERA_WRITE_BINDINGS";

/// `u64`s (Unix times, counters) are JSON numbers: `serde_json` writes them as such.
fn config() -> Config {
    Config::new().with_large_int("number")
}

/// One declaration of the generated file.
struct Declaration {
    id: TypeId,
    name: String,
    text: String,
    dependencies: Vec<(TypeId, String)>,
}

/// The declarations of one section, in the order given.
struct Section {
    title: &'static str,
    declarations: Vec<Declaration>,
}

fn declaration<T: TS + 'static>(config: &Config) -> Declaration {
    let mut text = T::docs().unwrap_or_default();
    text.push_str("export ");
    text.push_str(&T::decl(config));
    Declaration {
        id: TypeId::of::<T>(),
        name: T::ident(config),
        text,
        dependencies: T::dependencies(config)
            .into_iter()
            .map(|dependency| (dependency.type_id, dependency.ts_name))
            .collect(),
    }
}

macro_rules! section {
    ($config:expr, $title:literal: $($ty:ty),+ $(,)?) => {
        Section {
            title: $title,
            declarations: vec![$(declaration::<$ty>($config)),+],
        }
    };
}

/// Every type that crosses IPC, by area.
fn sections(config: &Config) -> Vec<Section> {
    vec![
        section!(config, "errors (src-tauri/src/error.rs)": IpcError, Field),
        section!(config, "vault, accounts, settings, events (src-tauri/src/dto.rs)":
            VaultState, VaultStatusDto, CreatedDto, UnlockMethodIn, KindIn, Algorithm, AccountDto,
            AccountsDto, AccountFormIn, AccountPatchIn, DeletedDto, CopiedDto, UriPreviewDto,
            LanguageDto, ThemeDto, SettingsDto, AppearanceDto, ShortcutAction, BackendEvent),
        section!(config, "import and export (src-tauri/src/dto/transfer.rs)":
            ImportStatus, ImportItemDto, ImportPreviewDto, ImportOpenedDto, ImportStage,
            ImportProgressDto, ImportSummaryDto, ExportedDto, SkippedDto, MigrationQrDto),
        section!(config, "push (src-tauri/src/dto/push.rs)":
            PushTokenDto, PromptDto, ReasonIn, DecisionIn, AnswerOutcomeDto, AnswerDto,
            ServerStatusDto, ModeDto, PushLinkDto, PushStatusDto, EnrollStep, ClosedReason,
            PushEvent, DeclineReasonTs, ActivityDecisionDto, ActivityOutcomeDto, ActivityEntryDto, FirstScreenDto),
        section!(config, "QR codes (src-tauri/src/dto/qr.rs)":
            QrItemKind, QrItemStatus, BatchDto, QrItemDto, MissingDto, QrFailureDto, QrScanDto,
            QrAddedDto, QrSvgDto),
        section!(config, "self-service (src-tauri/src/dto/selfservice.rs)":
            SelfServiceRight, SessionDto, LastServerDto, StatusDto, ChallengeDto, StepDto,
            AnswerIn, FactorStatus, FactorHere, FactorDto, EnrollKind, EnrolledDto, TokenAction,
            ResyncIn, BackupCodesDto),
    ]
}

/// The codes of every error type whose values reach the UI, by type: as an `IpcError` from a
/// command or an event, or as a listed failure's code (`QrItem.detail`).
fn error_code_sources() -> Vec<(String, Vec<&'static str>)> {
    fn of<E: ErrorCode>() -> (String, Vec<&'static str>) {
        // `crate::Type`, without the modules between (they move; the type's name stays).
        let path = std::any::type_name::<E>();
        let name = match (path.split_once("::"), path.rsplit_once("::")) {
            (Some((krate, _)), Some((_, ty))) => format!("{krate}::{ty}"),
            _ => path.to_owned(),
        };
        (name, E::codes())
    }
    vec![
        of::<IpcErrorCode>(),
        of::<tessera_core::VaultError>(),
        of::<tessera_core::vault::RecoveryKeyError>(),
        of::<tessera_core::uri::UriError>(),
        of::<tessera_transfer::ImportError>(),
        of::<tessera_transfer::export::ExportError>(),
        of::<tessera_transfer::files::ReadError>(),
        of::<crate::state::TransferErrorCode>(),
        of::<tessera_push::PushError>(),
        of::<tessera_push::sealed::PushStoreError>(),
        of::<tessera_verify::VerifyError>(),
        of::<tessera_push::selfservice::SelfServiceError>(),
        of::<crate::state::selfservice::AppError>(),
        of::<tessera_qr::DecodeError>(),
        of::<tessera_qr::screen::ScreenError>(),
        of::<tessera_qr::RenderError>(),
        of::<tessera_qr::ClassifyError>(),
        of::<tessera_qr::CollectError>(),
    ]
}

/// Codes two error types share on purpose: the same condition, worded the same for the user.
/// Any other code sent by two types would be one word with two meanings (as `not_found` was,
/// for a vault file and for an account): give one a prefix instead.
const SHARED_CODES: &[&str] = &["no_randomness"];

/// `vault_status` → `vaultStatus`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The generated constants: command names and error codes.
fn render_constants(commands: &[&str], errors: &[(String, Vec<&str>)]) -> String {
    let mut out = String::from(
        r#"
// ---- command names (src-tauri/src/commands/names.rs) ----

/** Command names as registered in src-tauri (`generate_handler!`, build.rs, capabilities). */
export const COMMANDS = {
"#,
    );
    for name in commands {
        out.push_str(&format!("  {}: '{name}',\n", camel_case(name)));
    }
    out.push_str(
        r#"} as const;

// ---- error codes (each error type's `ErrorCode::codes()`) ----

/**
 * Every error code the backend can send, by the Rust type that makes it; `toIpcError` turns
 * anything else into `unknown`. The UI has a text for each (checked by `errorTexts.test.ts`).
 */
export const IPC_ERROR_CODES = [
"#,
    );
    let mut seen = Vec::new();
    for (source, codes) in errors {
        out.push_str(&format!("  // {source}\n"));
        for code in codes {
            if !seen.contains(code) {
                seen.push(code);
                out.push_str(&format!("  '{code}',\n"));
            }
        }
    }
    out.push_str("] as const;\nexport type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];\n");
    out
}

/// The whole generated file.
fn render(sections: &[Section]) -> String {
    let mut out = format!(
        "// GENERATED from src-tauri's DTOs (by ts-rs), command names and error codes: do not edit.\n\
         // Change the Rust side, then regenerate with\n\
         //   {WRITE_VAR}=1 cargo nextest run -p tessera-desktop generated_typescript\n\
         // (src-tauri/src/contract.rs); the Rust tests fail while this file differs.\n"
    );
    for section in sections {
        out.push_str(&format!("\n// ---- {} ----\n", section.title));
        for declaration in &section.declarations {
            out.push('\n');
            // ts-rs leaves a space before each field's doc comment.
            for line in declaration.text.lines() {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    out.push_str(&render_constants(NAMES, &error_code_sources()));
    out
}

#[test]
fn every_referenced_type_is_declared_once() {
    let config = config();
    let sections = sections(&config);
    let declarations: Vec<&Declaration> = sections
        .iter()
        .flat_map(|section| &section.declarations)
        .collect();
    for (index, declaration) in declarations.iter().enumerate() {
        let later = &declarations[index + 1..];
        assert!(
            !later.iter().any(|other| other.name == declaration.name),
            "two TypeScript types are named {}: rename one with #[ts(rename = \"…\")]",
            declaration.name
        );
        for (id, name) in &declaration.dependencies {
            assert!(
                declarations.iter().any(|declared| declared.id == *id),
                "{} uses {name}, which is not declared: add it to `sections()`",
                declaration.name
            );
        }
    }
}

#[test]
fn generated_typescript_is_current() {
    let text = render(&sections(&config()));
    let path = generated_path();
    if std::env::var_os(WRITE_VAR).is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != text {
        let first = committed
            .lines()
            .zip(text.lines())
            .position(|(old, new)| old != new)
            .unwrap_or_else(|| committed.lines().count().min(text.lines().count()));
        panic!(
            "ui/src/lib/ipc/generated.ts is not what the Rust DTOs generate (first difference at \
             line {}). Regenerate it with\n  {WRITE_VAR}=1 cargo nextest run -p tessera-desktop \
             generated_typescript\nthen check the UI (`cd ui && npx svelte-check`) and commit it.",
            first + 1
        );
    }
}

#[test]
fn no_code_means_two_things() {
    let sources = error_code_sources();
    let mut clashes = Vec::new();
    for (index, (source, codes)) in sources.iter().enumerate() {
        for code in codes {
            assert!(
                !code.is_empty()
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{source}: {code:?} is not snake_case"
            );
            for (other, other_codes) in &sources[index + 1..] {
                // A type that holds another (`PushStoreError::Vault`) has all its codes.
                let nested = codes.iter().all(|c| other_codes.contains(c))
                    || other_codes.iter().all(|c| codes.contains(c));
                if other_codes.contains(code) && !nested && !SHARED_CODES.contains(code) {
                    clashes.push(format!("{source} and {other} both send `{code}`"));
                }
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "prefix one code of each pair (or list it in SHARED_CODES if both mean the same to the \
         user):\n{}",
        clashes.join("\n")
    );
    for name in NAMES {
        assert!(
            name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{name}"
        );
    }
    assert_eq!(
        camel_case("selfservice_token_action"),
        "selfserviceTokenAction"
    );
}

/// Whether the TypeScript union of `T` has the string literal `value`.
fn union_has<T: TS>(value: &str) -> bool {
    T::inline(&config())
        .split(" | ")
        .any(|member| member == format!("\"{value}\""))
}

#[test]
fn code_unions_hold_every_code_rust_sends() {
    use tessera_core::{Algorithm as Alg, Digits, Otp, Period};
    use tessera_push::selfservice::{Right, TokenStatus};

    // Each list is checked complete by a `match`: a new variant fails to compile here until it is
    // listed (and so checked against the TypeScript union).
    for algorithm in [Alg::Sha1, Alg::Sha256, Alg::Sha512] {
        match algorithm {
            Alg::Sha1 | Alg::Sha256 | Alg::Sha512 => {}
        }
        assert!(union_has::<Algorithm>(algorithm.as_str()), "{algorithm:?}");
    }
    let (algorithm, digits) = (Alg::Sha1, Digits::SIX);
    let kinds = [
        Otp::Steam,
        Otp::Totp {
            algorithm,
            digits,
            period: Period::THIRTY,
        },
        Otp::Hotp {
            algorithm,
            digits,
            counter: 0,
        },
    ];
    for otp in kinds {
        match otp {
            Otp::Steam | Otp::Totp { .. } | Otp::Hotp { .. } => {}
        }
        assert!(union_has::<KindIn>(otp.kind_name()), "{otp:?}");
    }
    for right in Right::ALL {
        assert!(union_has::<SelfServiceRight>(right.as_str()), "{right:?}");
    }
    assert_eq!(
        SelfServiceRight::inline(&config()).split(" | ").count(),
        Right::ALL.len()
    );
    for status in [
        TokenStatus::Active,
        TokenStatus::Disabled,
        TokenStatus::Locked,
        TokenStatus::Revoked,
        TokenStatus::Unfinished,
    ] {
        match status {
            TokenStatus::Active
            | TokenStatus::Disabled
            | TokenStatus::Locked
            | TokenStatus::Revoked
            | TokenStatus::Unfinished => {}
        }
        assert!(union_has::<FactorStatus>(status.as_str()), "{status:?}");
    }
}

//! The real command handlers, capability and state logic, on the mock runtime, against a vault
//! in a temporary directory and an in-memory keychain.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tessera_core::keystore::{KeyMaterial, KeyStore, KeyStoreError, MemoryKeyStore};
use tessera_core::vault::KdfParams;
use tessera_core::{Unlock, Vault};

use super::*;
use crate::clipboard::{Board, Clipboard, MemoryClipboard};
use crate::dto::BackendEvent;
use crate::state::SettingsHook;
use crate::verification::Verification;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// A keychain the test keeps a handle on (to delete entries or make it unavailable, or to start
/// the app again on it).
pub(crate) struct Shared(pub(crate) Arc<MemoryKeyStore>);

impl KeyStore for Shared {
    fn load(&self, name: &str) -> Result<Option<KeyMaterial>, KeyStoreError> {
        self.0.load(name)
    }
    fn store(&self, name: &str, secret: &KeyMaterial) -> Result<(), KeyStoreError> {
        self.0.store(name, secret)
    }
    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        self.0.delete(name)
    }
}

struct Harness {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    keychain: Arc<MemoryKeyStore>,
    clipboard: Arc<MemoryClipboard>,
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn low_kdf() -> KdfParams {
    KdfParams::new(8, 1, 1).unwrap()
}

fn state_for(path: &std::path::Path, keychain: &Arc<MemoryKeyStore>) -> AppState {
    AppState::new(
        Some(path.to_owned()),
        Box::new(Shared(Arc::clone(keychain))),
        low_kdf(),
    )
}

/// The real app (config, capabilities, handlers) on the mock runtime.
fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let keychain = Arc::new(MemoryKeyStore::new());
    let clipboard = Arc::new(MemoryClipboard::default());
    let builder = mock_builder()
        .manage(Board::new(clipboard.clone() as Arc<dyn Clipboard>))
        .manage(SettingsHook::new(|_| Ok(())));
    let app = run_app(builder, context(), state_for(&path, &keychain)).unwrap();
    // The user verifies at once when the OS asks (tests that need a refusal put their own in).
    app.state::<Verification>()
        .set(Arc::new(tessera_verify::FixedVerifier::ok()));
    let window = main_window(&app);
    Harness {
        _dir: dir,
        path,
        keychain,
        clipboard,
        app,
        window,
    }
}

/// The window declared in tauri.conf.json (the runtime creates it only when the app runs),
/// so the capability's `"windows": ["main"]` applies as in production.
fn main_window(app: &App<MockRuntime>) -> WebviewWindow<MockRuntime> {
    let config = app
        .config()
        .app
        .windows
        .first()
        .expect("one window in tauri.conf.json");
    assert_eq!(config.label, "main");
    WebviewWindowBuilder::from_config(app, config)
        .unwrap()
        .build()
        .unwrap()
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|error| panic!("{cmd}: {error}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).expect_err(cmd)
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        use tauri::Manager as _;
        self.app.state::<AppState>()
    }

    fn created(&self) -> String {
        let created = self.ok("create_vault", json!({"passphrase": null}));
        created["recoveryKey"].as_str().unwrap().to_owned()
    }

    fn add_uri(&self, issuer: &str) -> Value {
        let uri = format!("otpauth://totp/{issuer}:alice?secret={SECRET}&issuer={issuer}");
        self.ok("add_account_uri", json!({"uri": uri}))
    }

    fn issuers(&self) -> Vec<String> {
        self.ok("list_accounts", json!({}))["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|account| account["issuer"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[test]
fn first_run_creates_a_keychain_bound_vault_and_shows_the_recovery_key_once() {
    let h = harness();
    let status = h.ok("vault_status", json!({}));
    assert_eq!(status["state"], json!("noVault"));
    assert_eq!(status["keychainAvailable"], json!(true));
    assert_eq!(status["vaultPath"], json!(h.path.display().to_string()));
    assert_eq!(h.err("list_accounts", json!({}))["code"], json!("locked"));
    let recovery = h.created();
    assert_eq!(recovery.split('-').count(), 8, "eight groups");
    let status = h.ok("vault_status", json!({}));
    assert_eq!(
        status,
        json!({"state": "unlocked", "keychainAvailable": true, "hasPassphrase": false,
               "hasKeychainSlot": true, "keychainLost": false,
               "vaultPath": h.path.display().to_string()})
    );
    assert_eq!(h.ok("list_accounts", json!({}))["accounts"], json!([]));
    assert_eq!(
        h.err("create_vault", json!({"passphrase": null}))["code"],
        json!("already_exists")
    );
}

#[test]
fn accounts_add_edit_reorder_delete_undo_and_persist() {
    let h = harness();
    h.created();
    let github = h.add_uri("GitHub");
    assert_eq!(github["code"].as_str().unwrap().len(), 6);
    let form = json!({"issuer": "Bank", "name": "me", "secret": "gezd gnbv gy3t qojq",
                      "kind": "hotp", "algorithm": "SHA1", "digits": 6, "period": 30,
                      "counter": 0});
    let bank = h.ok("add_account_form", json!({"form": form}));
    // RFC 4226 App. D: counter 0 with this key's first 10 bytes is not the RFC key, so only
    // check the shape; the counter moves in one write.
    assert_eq!(bank["counter"], json!(0));
    let next = h.ok("next_hotp_code", json!({"id": bank["id"]}));
    assert_eq!(next["counter"], json!(1));
    assert_ne!(next["code"], bank["code"]);
    assert_eq!(
        h.err("next_hotp_code", json!({"id": github["id"]}))["code"],
        json!("invalid_input")
    );
    let mut bad = form.clone();
    bad["digits"] = json!(3);
    let error = h.err("add_account_form", json!({"form": bad}));
    assert_eq!(error["field"], json!("digits"));
    h.add_uri("Cloud");
    assert_eq!(h.issuers(), ["GitHub", "Bank", "Cloud"]);

    let edited = h.ok(
        "update_account",
        json!({"id": github["id"], "patch": {"name": "bob", "tags": ["work"], "favorite": true}}),
    );
    assert_eq!(
        (&edited["name"], &edited["tags"], &edited["favorite"]),
        (&json!("bob"), &json!(["work"]), &json!(true))
    );
    assert_eq!(edited["issuer"], json!("GitHub"), "absent fields stay");

    let listed = h.ok("list_accounts", json!({}));
    let ids: Vec<Value> = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| account["id"].clone())
        .collect();
    h.ok(
        "reorder_accounts",
        json!({"ids": [ids[2].clone(), ids[0].clone(), ids[1].clone()]}),
    );
    assert_eq!(h.issuers(), ["Cloud", "GitHub", "Bank"]);

    let deleted = h.ok("delete_account", json!({"id": github["id"]}));
    assert_eq!(h.issuers(), ["Cloud", "Bank"]);
    let token = deleted["undoToken"].clone();
    let restored = h.ok("undo_delete", json!({"undoToken": token}));
    assert_eq!(restored["name"], json!("bob"));
    assert_eq!(
        h.issuers(),
        ["Cloud", "GitHub", "Bank"],
        "back in its place"
    );
    assert_eq!(
        h.err("undo_delete", json!({"undoToken": token}))["code"],
        json!("not_found")
    );
    assert_eq!(
        h.err("delete_account", json!({"id": "not-an-id"}))["code"],
        json!("not_found")
    );

    // Everything is in the file: a fresh open sees it, favorite included.
    let vault = Vault::open(&h.path, Unlock::Keychain(&Shared(h.keychain.clone()))).unwrap();
    let names: Vec<_> = vault.accounts().iter().map(|a| a.issuer.as_str()).collect();
    assert_eq!(names, ["Cloud", "GitHub", "Bank"]);
    assert!(vault.accounts()[1].favorite);
    assert!(
        !h.ok("list_accounts", json!({}))
            .to_string()
            .contains("GEZDGNBV")
    );
}

#[test]
fn copy_puts_the_current_code_on_the_clipboard_and_not_on_ipc() {
    let h = harness();
    h.created();
    let account = h.add_uri("GitHub");
    let copied = h.ok("copy_code", json!({"id": account["id"]}));
    assert_eq!(copied, json!({"clearAfterSecs": 30}));
    let on_clipboard = h.clipboard.read().unwrap();
    let listed = h.ok("list_accounts", json!({}));
    assert_eq!(
        on_clipboard.as_str(),
        listed["accounts"][0]["code"].as_str().unwrap()
    );
}

#[test]
fn locking_clears_a_code_of_ours_from_the_clipboard_before_its_delay() {
    let h = harness();
    h.created();
    let account = h.add_uri("GitHub");
    h.ok("copy_code", json!({"id": account["id"]}));
    assert!(h.clipboard.read().is_some());
    h.ok("lock_vault", json!({}));
    assert!(
        h.clipboard.read().is_none(),
        "cleared at the lock, not 30 s later"
    );

    // Something the user copied after our code stays through a lock (here the auto-lock).
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "keychain", "interactive": true}}),
    );
    h.ok("copy_code", json!({"id": account["id"]}));
    h.clipboard.write("the user's own text").unwrap();
    let later = crate::clock::Moment::now().awake(Duration::from_secs(3600));
    assert_eq!(h.state().tick(later), Some(BackendEvent::VaultLocked));
    assert_eq!(
        h.clipboard.read().as_deref().map(String::as_str),
        Some("the user's own text")
    );
}

#[test]
fn settings_round_trip_and_are_validated() {
    let h = harness();
    h.created();
    let settings = h.ok("get_settings", json!({}));
    assert_eq!(settings["autoLockSecs"], json!(300));
    let mut changed = settings.clone();
    changed["language"] = json!("fr");
    changed["clipboardClearSecs"] = json!(0);
    changed["startMinimized"] = json!(true);
    assert_eq!(
        h.ok("update_settings", json!({"settings": changed})),
        changed
    );
    assert_eq!(h.ok("get_settings", json!({})), changed);
    let account = h.add_uri("GitHub");
    assert_eq!(
        h.ok("copy_code", json!({"id": account["id"]})),
        json!({"clearAfterSecs": 0})
    );
    changed["autoLockSecs"] = json!(100_000);
    assert_eq!(
        h.err("update_settings", json!({"settings": changed}))["code"],
        json!("invalid_input")
    );
}

#[test]
fn lock_then_unlock_with_the_keychain_or_the_recovery_key_after_the_entry_is_lost() {
    let h = harness();
    let recovery = h.created();
    h.add_uri("GitHub");
    assert_eq!(h.ok("lock_vault", json!({}))["state"], json!("locked"));
    assert_eq!(h.err("list_accounts", json!({}))["code"], json!("locked"));
    let status = h.ok("vault_status", json!({}));
    assert_eq!(
        (&status["hasKeychainSlot"], &status["hasPassphrase"]),
        (&json!(true), &json!(false))
    );
    // Not interactive (the lock screen's silent attempt at start): no dialog, still locked.
    let error = h.err("unlock_vault", json!({"how": {"method": "keychain"}}));
    assert_eq!(error["code"], json!("verify_required"));
    assert_eq!(h.err("list_accounts", json!({}))["code"], json!("locked"));
    // The button: the OS asks, and a refusal or a cancel keeps it locked.
    let verification = h.app.state::<Verification>();
    let keychain = json!({"how": {"method": "keychain", "interactive": true}});
    for (refusal, code) in [
        (tessera_verify::FixedVerifier::refused(), "verify_refused"),
        (
            tessera_verify::FixedVerifier::cancelled(),
            "verify_cancelled",
        ),
    ] {
        let refusal = Arc::new(refusal);
        verification.set(refusal.clone());
        assert_eq!(h.err("unlock_vault", keychain.clone())["code"], json!(code));
        assert_eq!(refusal.calls(), 1, "the OS was asked once");
        assert_eq!(h.err("list_accounts", json!({}))["code"], json!("locked"));
    }
    // No verifier on this desktop: the passphrase or recovery key stands in, and it says so.
    verification.set(Arc::new(tessera_verify::FixedVerifier::no_agent()));
    let error = h.err("unlock_vault", keychain.clone());
    assert_eq!(error["code"], json!("verify_stand_in"));
    assert!(error["message"].as_str().unwrap().contains("recovery key"));
    assert_eq!(h.err("list_accounts", json!({}))["code"], json!("locked"));
    // Verified: unlocked.
    verification.set(Arc::new(tessera_verify::FixedVerifier::ok()));
    h.ok("unlock_vault", keychain.clone());
    assert_eq!(h.issuers(), ["GitHub"]);

    h.ok("lock_vault", json!({}));
    for name in tessera_core::vault::keychain_entry_names(&h.path).unwrap() {
        h.keychain.delete(&name).unwrap();
    }
    let error = h.err("unlock_vault", json!({"how": {"method": "keychain"}}));
    assert_eq!(error["code"], json!("keychain_entry_missing"));
    let error = h.err(
        "unlock_vault",
        json!({"how": {"method": "recoveryKey", "secret": "AAAA"}}),
    );
    assert!(error["code"].as_str().unwrap().starts_with("recovery_key_"));
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "recoveryKey", "secret": recovery}}),
    );
    assert_eq!(h.issuers(), ["GitHub"]);
    // The keychain lost the entry: the user is asked, never re-bound silently. "Not now":
    // still out, even after another start.
    let status = h.ok("vault_status", json!({}));
    assert_eq!(status["keychainLost"], json!(true));
    let status = h.ok("keep_keychain_out", json!({}));
    assert_eq!(status["keychainLost"], json!(false));
    assert!(
        state_for(&h.path, &h.keychain)
            .open_with_keychain()
            .is_err()
    );
    // "Store in the keychain": bound again.
    h.ok("lock_vault", json!({}));
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "recoveryKey", "secret": recovery}}),
    );
    assert_eq!(h.ok("vault_status", json!({}))["keychainLost"], json!(true));
    let status = h.ok("rebind_keychain", json!({}));
    assert_eq!(status["keychainLost"], json!(false));
    // The next start opens with it, after the OS verified the user (on by default: no silent
    // unlock at start) ...
    let again = state_for(&h.path, &h.keychain);
    assert!(again.open_with_keychain().is_ok());
    assert!(!again.try_silent_unlock());
    assert!(!again.is_unlocked());
    // ... or silently, once the user turned the verification off.
    let mut settings = h.ok("get_settings", json!({}));
    settings["verifyKeychainUnlock"] = json!(false);
    h.ok("update_settings", json!({ "settings": settings }));
    let again = state_for(&h.path, &h.keychain);
    assert!(again.try_silent_unlock());
    h.ok("lock_vault", json!({}));
    h.ok("unlock_vault", json!({"how": {"method": "keychain"}}));
}

/// A copy from before a re-key (the CLI's `passphrase set`) put back in place: the app gives
/// the CLI's code for it, through the keychain and with the recovery key alike.
#[test]
fn an_older_copy_put_back_is_refused_with_the_clis_code() {
    let h = harness();
    let recovery = h.created();
    h.add_uri("GitHub");
    h.ok("lock_vault", json!({}));
    let copy = h.path.with_file_name("before-rekey");
    std::fs::copy(&h.path, &copy).unwrap();
    let store = Shared(Arc::clone(&h.keychain));
    let mut vault = Vault::open(&h.path, Unlock::Keychain(&store)).unwrap();
    vault
        .set_passphrase(
            &tessera_core::vault::Passphrase::from("new"),
            low_kdf(),
            &store,
        )
        .unwrap();
    drop(vault);
    std::fs::copy(&copy, &h.path).unwrap();

    assert_eq!(
        state_for(&h.path, &h.keychain)
            .open_with_keychain()
            .unwrap_err()
            .code,
        "vault_rolled_back"
    );
    let error = h.err(
        "unlock_vault",
        json!({"how": {"method": "keychain", "interactive": true}}),
    );
    assert_eq!(error["code"], json!("vault_rolled_back"));
    let error = h.err(
        "unlock_vault",
        json!({"how": {"method": "recoveryKey", "secret": recovery}}),
    );
    assert_eq!(error["code"], json!("vault_rolled_back"));
    assert_eq!(h.err("list_accounts", json!({}))["code"], json!("locked"));
}

#[test]
fn a_passphrase_vault_without_keychain() {
    let h = harness();
    h.keychain.set_unavailable(true);
    assert_eq!(
        h.ok("vault_status", json!({}))["keychainAvailable"],
        json!(false)
    );
    h.ok("create_vault", json!({"passphrase": "correct horse"}));
    h.ok("lock_vault", json!({}));
    let status = h.ok("vault_status", json!({}));
    assert_eq!(
        (&status["hasKeychainSlot"], &status["hasPassphrase"]),
        (&json!(false), &json!(true))
    );
    let error = h.err(
        "unlock_vault",
        json!({"how": {"method": "passphrase", "secret": "wrong"}}),
    );
    assert_eq!(error["code"], json!("wrong_passphrase"));
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "passphrase", "secret": "correct horse"}}),
    );
    assert_eq!(h.ok("vault_status", json!({}))["state"], json!("unlocked"));

    // The keychain answers later: a vault the user kept out of it is never bound silently.
    h.keychain.set_unavailable(false);
    h.ok("lock_vault", json!({}));
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "passphrase", "secret": "correct horse"}}),
    );
    assert_eq!(
        h.ok("vault_status", json!({}))["hasKeychainSlot"],
        json!(false)
    );
    assert!(
        h.keychain.is_empty(),
        "no entry for the vault nor its push key store"
    );
}

#[test]
fn deep_links_wait_for_confirmation_and_never_cross_ipc_whole() {
    let h = harness();
    let uri = format!("otpauth://totp/Example:alice?secret={SECRET}&issuer=Example");
    let preview = h.state().offer_link(&uri).unwrap();
    assert_eq!(preview.issuer, "Example");
    assert!(h.state().offer_link("otpauth://totp/x").is_err());
    let pending = h.ok("pending_deep_link", json!({}));
    assert_eq!(
        pending,
        json!({"id": preview.id, "issuer": "Example", "name": "alice", "kind": "totp"})
    );
    let shown = json!({ "id": preview.id });
    // Locked (no vault yet): the link keeps waiting.
    assert_eq!(
        h.err("confirm_deep_link", shown.clone())["code"],
        json!("locked")
    );
    h.created();
    // Another link arrives while the dialog shows the first: "Add" adds the one shown.
    let other = format!("otpauth://totp/Other:bob?secret={SECRET}&issuer=Other");
    let later = h.state().offer_link(&other).unwrap();
    assert_ne!(later.id, preview.id);
    let added = h.ok("confirm_deep_link", shown.clone());
    assert_eq!(added["issuer"], json!("Example"));
    assert_eq!(
        h.err("confirm_deep_link", shown.clone())["code"],
        json!("no_deep_link"),
        "added once"
    );
    assert_eq!(h.ok("pending_deep_link", json!({}))["id"], json!(later.id));
    h.ok("dismiss_deep_link", json!({ "id": later.id }));
    assert_eq!(h.ok("pending_deep_link", json!({})), Value::Null);
    assert_eq!(h.issuers(), ["Example"]);
}

#[test]
fn tick_auto_locks_after_idle_and_reports_changes_made_elsewhere() {
    let h = harness();
    h.created();
    let state = h.state();
    let start = crate::clock::Moment::now();
    state.report_activity(start);
    assert_eq!(state.tick(start), None);
    // Another process (the CLI) adds an account.
    let mut other = Vault::open(&h.path, Unlock::Keychain(&Shared(h.keychain.clone()))).unwrap();
    other
        .update(|data| {
            let uri = format!("otpauth://totp/Cli:me?secret={SECRET}");
            let parsed = tessera_core::uri::OtpUri::parse(&uri).unwrap();
            data.accounts
                .push(parsed.into_account(tessera_core::UnixTime(1)));
            Ok::<_, tessera_core::VaultError>(())
        })
        .unwrap();
    assert_eq!(state.tick(start), Some(BackendEvent::VaultChanged));
    assert_eq!(h.issuers(), ["Cli"]);
    assert_eq!(state.tick(start.awake(Duration::from_secs(299))), None);
    assert_eq!(
        state.tick(start.awake(Duration::from_secs(300))),
        Some(BackendEvent::VaultLocked)
    );
    assert!(!state.is_unlocked());
    assert_eq!(state.tick(start.awake(Duration::from_secs(301))), None);
}

#[test]
fn time_asleep_counts_toward_auto_lock() {
    let h = harness();
    h.created();
    let state = h.state();
    let evening = crate::clock::Moment::now();
    state.report_activity(evening);
    // The lid closed a minute later and opened the next morning: Linux's monotonic clock saw
    // one minute and a second, the wall clock ten hours.
    let morning = evening
        .awake(Duration::from_secs(60))
        .asleep(Duration::from_secs(10 * 3600))
        .awake(Duration::from_secs(1));
    assert_eq!(state.tick(morning), Some(BackendEvent::VaultLocked));
    assert!(!state.is_unlocked());
}

#[test]
fn undo_expires() {
    let h = harness();
    h.created();
    let account = h.add_uri("GitHub");
    let at = Instant::now();
    let token = h
        .state()
        .delete(account["id"].as_str().unwrap(), at)
        .unwrap();
    let late = at + crate::state::UNDO_WINDOW;
    let error = h
        .state()
        .undo_delete(&token, late, tessera_core::UnixTime(0))
        .unwrap_err();
    assert_eq!(error.code, "not_found");
}

#[test]
fn the_capability_grants_our_commands_and_nothing_else() {
    let capability: Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|permission| permission.as_str().unwrap())
        .collect();
    let expected: Vec<String> = commands::NAMES
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    assert_eq!(granted, expected);

    let h = harness();
    // Core and plugin APIs are not granted: the webview cannot close windows, listen to events
    // (the deep-link plugin's carry whole URIs), read the clipboard or register schemes.
    for command in [
        "plugin:window|close",
        "plugin:app|version",
        "plugin:event|listen",
        "plugin:clipboard-manager|read_text",
        "plugin:deep-link|get_current",
        "plugin:notification|notify",
        "plugin:autostart|enable",
    ] {
        let denied = h.err(command, json!({})).to_string();
        assert!(
            denied.contains("not allowed") || denied.contains("not found"),
            "{command}: {denied}"
        );
    }
    assert!(h.call("no_such_command", json!({})).is_err());
}

mod transfer;

mod qr;

mod selfservice;

#[cfg(target_os = "linux")]
mod session;

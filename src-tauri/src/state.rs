//! What the running app holds, and the logic behind every command: the vault (unlocked or not),
//! otpauth:// links waiting for "add it?", and recently deleted accounts for undo.
//!
//! Everything that holds a secret lives here, in Rust memory, behind one `Mutex`: locking drops
//! the `Vault` (which wipes its key and every account secret) and the undo buffer with it.
//! Commands call one method and get a DTO or an `IpcError`.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::clock::Moment;
use crate::sessionwatch::SessionEvent;

use tessera_core::keystore::KeyStore;
use tessera_core::uri::OtpUri;
use tessera_core::vault::{self, KdfParams, Passphrase, Protection, RecoveryKey, VaultData};
use tessera_core::{Account, AccountId, Otp, UnixTime, Unlock, Vault, VaultError};
use zeroize::Zeroizing;

use crate::dto::{
    AccountDto, AccountFormIn, AccountPatchIn, AccountsDto, AppearanceDto, BackendEvent,
    SecretText, SettingsDto, UnlockMethodIn, UriPreviewDto, VaultState, VaultStatusDto,
};
use crate::error::{IpcError, IpcErrorCode};

// The features over the vault session: their held secrets live in `Session`, so one lock
// drops them all.
pub(crate) mod appearance;
pub(crate) mod export_files;
pub(crate) mod import_files;
pub(crate) mod qr;
pub(crate) mod scan;
pub(crate) mod selfservice;
pub(crate) mod transfer;
pub(crate) use transfer::TransferErrorCode;
#[cfg(test)]
pub(crate) use transfer::read_import;

/// How long a deleted account can be brought back.
pub(crate) const UNDO_WINDOW: Duration = Duration::from_secs(120);

/// Keychain stores usable from any thread (the OS one, or a memory one in tests).
pub(crate) type SharedKeyStore = Box<dyn KeyStore + Send + Sync>;

/// What saving the settings must also change outside the vault.
pub(crate) struct SettingsHook(Box<ApplySettings>);

type ApplySettings = dyn Fn(&SettingsDto) -> Result<(), String> + Send + Sync;

impl SettingsHook {
    pub(crate) fn new(
        apply: impl Fn(&SettingsDto) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        Self(Box::new(apply))
    }

    pub(crate) fn apply(&self, settings: &SettingsDto) -> Result<(), String> {
        (self.0)(settings)
    }
}

/// Managed Tauri state.
pub(crate) struct AppState {
    path: Option<PathBuf>,
    keychain: SharedKeyStore,
    /// Argon2id costs of a new passphrase (tests lower them).
    kdf: KdfParams,
    session: Mutex<Session>,
    /// Runs after every lock, outside the session's mutex (the desktop clears a code of ours
    /// from the clipboard).
    on_lock: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
}

struct Session {
    /// `Some` while unlocked. Dropping it wipes the key and the secrets.
    vault: Option<Vault>,
    /// Links opened from outside (or given at launch), oldest first; parsed, so the URI text is
    /// gone and the secret sits in a wiping `OtpSecret`.
    links: VecDeque<(u32, OtpUri)>,
    /// The id of the next link offered (ids are never reused while the app runs).
    next_link: u32,
    /// Deleted accounts that can still be restored.
    undo: Vec<Deleted>,
    /// Imports between the wizard's steps (their entries hold secrets).
    imports: transfer::Held,
    /// QR codes scanned and not yet added or dismissed (their accounts hold secrets).
    qr: qr::Scans,
    /// The user's last input in the window (both clocks: see [`Moment`]).
    last_activity: Moment,
    /// The self-service sign-in at the user's privacyIDEA: signed out with every lock.
    selfservice: selfservice::Held,
    /// Unlocked without the keychain because it lost this vault's entry: the user is asked
    /// whether to store it again.
    keychain_lost: bool,
}

impl Session {
    /// Locks: the vault, the undo buffer, held imports and scans, links waiting for "add it?"
    /// and the self-service sign-in are dropped, wiping their secrets.
    fn lock(&mut self) {
        self.vault = None;
        self.undo.clear();
        self.selfservice.sign_out();
        self.imports.clear();
        self.qr.clear();
        self.links.clear();
        self.keychain_lost = false;
    }
}

struct Deleted {
    token: String,
    account: Account,
    /// Where it was in the list.
    index: usize,
    expires: Instant,
}

impl AppState {
    /// State for the vault at `path` (`None`: no home directory, so nothing can be created).
    pub(crate) fn new(path: Option<PathBuf>, keychain: SharedKeyStore, kdf: KdfParams) -> Self {
        Self {
            path,
            keychain,
            kdf,
            session: Mutex::new(Session {
                vault: None,
                links: VecDeque::new(),
                next_link: 1,
                undo: Vec::new(),
                imports: transfer::Held::default(),
                qr: qr::Scans::default(),
                last_activity: Moment::now(),
                selfservice: selfservice::Held::default(),
                keychain_lost: false,
            }),
            on_lock: std::sync::OnceLock::new(),
        }
    }

    /// What to do after every lock (set once, at start).
    pub(crate) fn after_lock(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.on_lock.set(Box::new(hook));
    }

    /// Locks the session held by `session`, then runs the lock hook once the mutex is free.
    fn lock_held(&self, mut session: MutexGuard<'_, Session>) {
        session.lock();
        drop(session);
        if let Some(hook) = self.on_lock.get() {
            hook();
        }
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // A panic while holding the lock cannot leave the session half-updated: every change is
        // one assignment or one `Vault::update`, which is atomic on its own.
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn path(&self) -> Result<&Path, IpcError> {
        self.path.as_deref().ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::NoVault,
                "no place for the vault: set TESSERA_VAULT or HOME",
            )
        })
    }

    /// Whether the OS keychain answers at all (a missing entry is an answer).
    fn keychain_available(&self) -> bool {
        self.keychain.load("tessera-availability-probe").is_ok()
    }

    pub(crate) fn status(&self) -> VaultStatusDto {
        let keychain_available = self.keychain_available();
        let vault_path = self
            .path
            .as_deref()
            .map(|path| path.display().to_string())
            .unwrap_or_default();
        let session = self.session();
        let keychain_lost = session.vault.is_some() && session.keychain_lost;
        let (state, has_passphrase, has_keychain_slot) = match &session.vault {
            Some(vault) => (
                VaultState::Unlocked,
                vault.has_passphrase(),
                vault.has_keychain_slot(),
            ),
            None => match self.path.as_deref().map(vault::slot_summary) {
                Some(Ok(slots)) => (VaultState::Locked, slots.passphrase, slots.keychain),
                // A damaged or unreadable file is still a vault: unlocking reports why.
                Some(Err(VaultError::NotFound { .. })) | None => {
                    (VaultState::NoVault, false, false)
                }
                Some(Err(_)) => (VaultState::Locked, false, false),
            },
        };
        VaultStatusDto {
            state,
            keychain_available,
            has_passphrase,
            has_keychain_slot,
            keychain_lost,
            vault_path,
        }
    }

    /// Creates the vault, bound to the keychain when it answers, with an optional passphrase.
    /// Returns the recovery key text, to be shown once.
    pub(crate) fn create(
        &self,
        passphrase: Option<SecretText>,
        now: UnixTime,
    ) -> Result<Zeroizing<String>, IpcError> {
        let path = self.path()?;
        let passphrase = passphrase.map(|text| Passphrase::new(text.to_string()));
        let keychain: Option<&dyn KeyStore> = if self.keychain_available() {
            Some(self.keychain.as_ref())
        } else {
            None
        };
        let protection = Protection {
            keychain,
            passphrase: passphrase.as_ref().map(|passphrase| (passphrase, self.kdf)),
        };
        let mut session = self.session();
        let (vault, recovery) = Vault::create(path, protection, now)?;
        session.vault = Some(vault);
        session.last_activity = Moment::now();
        Ok(recovery.to_display_text())
    }

    /// Unlocks with the recovery key or the passphrase (the keychain goes through
    /// [`Self::open_with_keychain`] and [`Self::install`]: it may need the OS's verification
    /// in between, which is async).
    pub(crate) fn unlock(&self, how: UnlockMethodIn) -> Result<VaultStatusDto, IpcError> {
        let path = self.path()?;
        let vault = match how {
            UnlockMethodIn::Keychain { .. } => return Ok(self.install(self.open_with_keychain()?)),
            UnlockMethodIn::RecoveryKey { secret } => {
                let key = RecoveryKey::parse(&secret)?;
                Vault::open(path, Unlock::RecoveryKey(&key))
            }
            UnlockMethodIn::Passphrase { secret } => {
                let passphrase = Passphrase::new(secret.to_string());
                Vault::open(path, Unlock::Passphrase(&passphrase))
            }
        }
        .map_err(unlock_error)?;
        // A secret opens whatever file was wrapped to its public key (an older copy put back, a
        // forgery copying the slots): the keychain's pin, where it answers, says whether this
        // is the vault Tessera last wrote. Keeping a refused file is `tessera restore
        // --this-file`'s job, which re-keys it.
        vault.check_keychain(self.keychain.as_ref())?;
        let lost = self.keychain_entry_lost(&vault);
        let status = self.install(vault);
        if !lost {
            return Ok(status);
        }
        self.session().keychain_lost = true;
        Ok(self.status())
    }

    /// Opens the vault with the keychain's key, without making it the session's: the caller
    /// checks its `verify_keychain_unlock` setting and asks the OS first when it is on.
    pub(crate) fn open_with_keychain(&self) -> Result<Vault, IpcError> {
        Vault::open(self.path()?, Unlock::Keychain(self.keychain.as_ref())).map_err(unlock_error)
    }

    /// Makes an opened vault the session's: unlocked from here on.
    pub(crate) fn install(&self, vault: Vault) -> VaultStatusDto {
        {
            let mut session = self.session();
            session.vault = Some(vault);
            session.last_activity = Moment::now();
        }
        self.status()
    }

    /// After an unlock with the recovery key or passphrase: whether the vault has a keychain
    /// slot whose entry is gone while the keychain answers. The user is then asked before it is
    /// stored again ([`Self::rebind_keychain`]); a vault made without a keychain slot is never
    /// bound to it (they kept it out on purpose, or had no keychain then).
    fn keychain_entry_lost(&self, vault: &Vault) -> bool {
        if !vault.has_keychain_slot() {
            return false;
        }
        match Vault::open(vault.path(), Unlock::Keychain(self.keychain.as_ref())) {
            Ok(_) => false,
            Err(error) => error.needs_other_unlock() && self.keychain_available(),
        }
    }

    /// The user agreed: the unlocked vault's key goes into the keychain again (a fresh entry),
    /// so the keychain unlocks it next time.
    pub(crate) fn rebind_keychain(&self) -> Result<VaultStatusDto, IpcError> {
        {
            let mut session = self.session();
            let vault = session.vault.as_mut().ok_or_else(IpcError::locked)?;
            vault.rebind_keychain(self.keychain.as_ref())?;
            session.keychain_lost = false;
        }
        Ok(self.status())
    }

    /// The user declined: not asked again until the next unlock.
    pub(crate) fn keep_keychain_out(&self) -> VaultStatusDto {
        self.session().keychain_lost = false;
        self.status()
    }

    /// Unlocks with the keychain if that works without asking anything; quiet otherwise. A
    /// vault whose settings ask for the OS's verification before a keychain unlock (the
    /// default) stays locked: lock means locked, at start too.
    pub(crate) fn try_silent_unlock(&self) -> bool {
        let Some(path) = self.path.as_deref() else {
            return false;
        };
        if !matches!(vault::slot_summary(path), Ok(slots) if slots.keychain) {
            return false;
        }
        match Vault::open(path, Unlock::Keychain(self.keychain.as_ref())) {
            Ok(vault) if vault.settings().verify_keychain_unlock => false,
            Ok(vault) => {
                let mut session = self.session();
                session.vault = Some(vault);
                session.last_activity = Moment::now();
                true
            }
            Err(_) => false,
        }
    }

    /// Locks: the vault and the undo buffer are dropped, wiping their secrets.
    pub(crate) fn lock(&self) -> VaultStatusDto {
        self.lock_held(self.session());
        self.status()
    }

    pub(crate) fn is_unlocked(&self) -> bool {
        self.session().vault.is_some()
    }

    /// Checks a typed vault passphrase or recovery key against the vault file: what stands in
    /// for the OS verification where the OS has no verifier. The vault is not unlocked by it.
    pub(crate) fn check_stand_in(&self, secret: &str) -> Result<(), IpcError> {
        let path = self.path()?;
        let has_passphrase = vault::slot_summary(path)?.passphrase;
        let opened = match RecoveryKey::parse(secret) {
            Ok(key) => Vault::open(path, Unlock::RecoveryKey(&key)),
            Err(_) if has_passphrase => Vault::open(
                path,
                Unlock::Passphrase(&Passphrase::new(secret.to_owned())),
            ),
            // No passphrase to try: say what is wrong with it as a recovery key.
            Err(error) => return Err(error.into()),
        };
        opened.map(drop).map_err(IpcError::from)
    }

    /// The vault file (`None`: no home directory).
    pub(crate) fn vault_path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The OS keychain (the push key store is bound to it too).
    pub(crate) fn keychain(&self) -> &dyn KeyStore {
        self.keychain.as_ref()
    }

    /// Runs `action` on the unlocked vault (`locked` otherwise): the push service reads its
    /// tokens and appends to the activity log through this, under the same lock as commands.
    pub(crate) fn with_unlocked<T>(
        &self,
        action: impl FnOnce(&mut Vault) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        self.with_vault(|vault, _| action(vault))
    }

    /// Runs `action` on the self-service slot, under the session lock (so a lock of the vault
    /// cannot interleave).
    pub(crate) fn selfservice<T>(&self, action: impl FnOnce(&mut selfservice::Held) -> T) -> T {
        action(&mut self.session().selfservice)
    }

    /// Runs `action` on the unlocked vault.
    fn with_vault<T>(
        &self,
        action: impl FnOnce(&mut Vault, &mut Session) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let mut session = self.session();
        let session = &mut *session;
        let mut vault = session.vault.take().ok_or_else(IpcError::locked)?;
        let result = action(&mut vault, session);
        session.vault = Some(vault);
        result
    }

    pub(crate) fn list(&self, now: UnixTime) -> Result<AccountsDto, IpcError> {
        self.with_vault(|vault, _| Ok(AccountsDto::new(vault.accounts(), now)))
    }

    fn add(&self, account: Account, now: UnixTime) -> Result<AccountDto, IpcError> {
        self.with_vault(|vault, _| {
            let dto = AccountDto::new(&account, now);
            vault.update(|data| {
                data.accounts.push(account);
                Ok::<_, IpcError>(())
            })?;
            Ok(dto)
        })
    }

    pub(crate) fn add_uri(&self, uri: &str, now: UnixTime) -> Result<AccountDto, IpcError> {
        let parsed = OtpUri::parse(uri)?;
        self.add(parsed.into_account(now), now)
    }

    pub(crate) fn add_form(
        &self,
        form: AccountFormIn,
        now: UnixTime,
    ) -> Result<AccountDto, IpcError> {
        self.add(form.into_account(now)?, now)
    }

    /// Changes one account in one vault write and returns it as saved.
    fn change(
        &self,
        id: &str,
        now: UnixTime,
        edit: impl FnOnce(&mut Account) -> Result<(), IpcError>,
    ) -> Result<AccountDto, IpcError> {
        let id = parse_id(id)?;
        self.with_vault(|vault, _| {
            vault.update(|data| {
                let account = find_mut(data, id)?;
                edit(account)?;
                Ok::<_, IpcError>(AccountDto::new(account, now))
            })
        })
    }

    pub(crate) fn update_account(
        &self,
        id: &str,
        patch: AccountPatchIn,
        now: UnixTime,
    ) -> Result<AccountDto, IpcError> {
        self.change(id, now, |account| patch.apply_to(account, now))
    }

    /// Advances a HOTP counter by one; the returned account shows the new code.
    pub(crate) fn next_hotp(&self, id: &str, now: UnixTime) -> Result<AccountDto, IpcError> {
        self.change(id, now, |account| match &mut account.otp {
            Otp::Hotp { counter, .. } => {
                *counter = counter
                    .checked_add(1)
                    .ok_or_else(|| IpcError::invalid(None, "the HOTP counter is at its maximum"))?;
                account.updated = now;
                Ok(())
            }
            _ => Err(IpcError::invalid(
                None,
                "only HOTP accounts have a next code",
            )),
        })
    }

    /// Removes the account; it stays restorable in memory for [`UNDO_WINDOW`].
    pub(crate) fn delete(&self, id: &str, at: Instant) -> Result<String, IpcError> {
        let id = parse_id(id)?;
        self.with_vault(|vault, session| {
            let (index, account) = vault.update(|data| {
                let index = data
                    .accounts
                    .iter()
                    .position(|account| account.id == id)
                    .ok_or_else(|| IpcError::not_found("account"))?;
                Ok::<_, IpcError>((index, data.accounts.remove(index)))
            })?;
            let token = uuid::Uuid::new_v4().to_string();
            session.undo.retain(|deleted| deleted.expires > at);
            session.undo.push(Deleted {
                token: token.clone(),
                account,
                index,
                expires: at + UNDO_WINDOW,
            });
            Ok(token)
        })
    }

    pub(crate) fn undo_delete(
        &self,
        token: &str,
        at: Instant,
        now: UnixTime,
    ) -> Result<AccountDto, IpcError> {
        self.with_vault(|vault, session| {
            session.undo.retain(|deleted| deleted.expires > at);
            let position = session
                .undo
                .iter()
                .position(|deleted| deleted.token == token)
                .ok_or_else(|| IpcError::not_found("deletion to undo"))?;
            let Deleted { account, index, .. } = session.undo.remove(position);
            let dto = AccountDto::new(&account, now);
            let restored = vault.update(|data| {
                // Added again meanwhile (by an import elsewhere): nothing to restore.
                if data.account(account.id).is_none() {
                    let index = index.min(data.accounts.len());
                    data.accounts.insert(index, account);
                }
                Ok::<_, IpcError>(())
            });
            restored.map(|()| dto)
        })
    }

    /// Puts the accounts in the order of `ids`. Accounts not named (added elsewhere meanwhile)
    /// keep their relative order after the named ones; unknown ids are ignored.
    pub(crate) fn reorder(&self, ids: &[String]) -> Result<(), IpcError> {
        let ids = ids
            .iter()
            .map(|id| parse_id(id))
            .collect::<Result<Vec<_>, _>>()?;
        self.with_vault(|vault, _| {
            vault.update(|data| {
                let rank = |account: &Account| {
                    ids.iter()
                        .position(|id| *id == account.id)
                        .unwrap_or(ids.len())
                };
                // Stable: unnamed accounts keep their order.
                data.accounts.sort_by_key(rank);
                Ok::<_, IpcError>(())
            })
        })
    }

    /// The current code of one account and how long it may stay on the clipboard.
    pub(crate) fn code_to_copy(
        &self,
        id: &str,
        now: UnixTime,
    ) -> Result<(Zeroizing<String>, u32), IpcError> {
        let id = parse_id(id)?;
        self.with_vault(|vault, _| {
            let account = vault
                .data()
                .account(id)
                .ok_or_else(|| IpcError::not_found("account"))?;
            let code = tessera_core::otp::generate(&account.secret, &account.otp, now);
            Ok((
                Zeroizing::new(code.as_str().to_owned()),
                vault.settings().clipboard_clear_secs,
            ))
        })
    }

    pub(crate) fn settings(&self) -> Result<SettingsDto, IpcError> {
        self.with_vault(|vault, _| Ok(SettingsDto::from(vault.settings())))
    }

    pub(crate) fn update_settings(&self, settings: &SettingsDto) -> Result<SettingsDto, IpcError> {
        let saved = self.with_vault(|vault, _| {
            vault.update(|data| {
                settings.apply_to(&mut data.settings)?;
                Ok::<_, IpcError>(SettingsDto::from(&data.settings))
            })
        })?;
        self.remember_appearance(&saved);
        Ok(saved)
    }

    /// The lock screen's language and theme: the stored copy outside the vault, or `settings`'
    /// (the vault's, while unlocked), which the copy is then brought in step with.
    pub(crate) fn appearance(&self, settings: Option<&SettingsDto>) -> AppearanceDto {
        match settings {
            Some(settings) => self.remember_appearance(settings),
            None => self.path.as_deref().map_or(
                AppearanceDto {
                    language: crate::dto::LanguageDto::System,
                    theme: crate::dto::ThemeDto::System,
                },
                appearance::load,
            ),
        }
    }

    fn remember_appearance(&self, settings: &SettingsDto) -> AppearanceDto {
        let chosen = AppearanceDto {
            language: settings.language,
            theme: settings.theme,
        };
        if let Some(path) = self.path.as_deref() {
            appearance::remember(path, chosen);
        }
        chosen
    }

    /// The settings if unlocked (the tray language, start minimised).
    pub(crate) fn settings_if_unlocked(&self) -> Option<SettingsDto> {
        self.settings().ok()
    }

    /// Queues an opened otpauth:// link. The preview goes to the UI; the URI does not.
    pub(crate) fn offer_link(&self, text: &str) -> Result<UriPreviewDto, IpcError> {
        let uri = OtpUri::parse(text)?;
        let mut session = self.session();
        let id = session.next_link;
        session.next_link = id.wrapping_add(1);
        let preview = UriPreviewDto::new(id, &uri.issuer, &uri.name, &uri.otp);
        session.links.push_back((id, uri));
        Ok(preview)
    }

    pub(crate) fn pending_link(&self) -> Option<UriPreviewDto> {
        self.session()
            .links
            .front()
            .map(|(id, uri)| UriPreviewDto::new(*id, &uri.issuer, &uri.name, &uri.otp))
    }

    /// Adds the account of the waiting link `id` (the one the dialog showed).
    pub(crate) fn confirm_link(&self, id: u32, now: UnixTime) -> Result<AccountDto, IpcError> {
        self.with_vault(|vault, session| {
            let index = session
                .links
                .iter()
                .position(|(waiting, _)| *waiting == id)
                .ok_or_else(|| {
                    IpcError::new(
                        IpcErrorCode::NoDeepLink,
                        "that otpauth:// link is not waiting",
                    )
                })?;
            let Some((_, uri)) = session.links.remove(index) else {
                return Err(IpcError::new(
                    IpcErrorCode::NoDeepLink,
                    "that otpauth:// link is not waiting",
                ));
            };
            let account = uri.into_account(now);
            let dto = AccountDto::new(&account, now);
            vault.update(|data| {
                data.accounts.push(account);
                Ok::<_, IpcError>(())
            })?;
            Ok(dto)
        })
    }

    /// Drops the waiting link `id` (its secret is wiped).
    pub(crate) fn dismiss_link(&self, id: u32) {
        self.session().links.retain(|(waiting, _)| *waiting != id);
    }

    /// The desktop session reported sleep or a screen lock: locks when the settings say so (both
    /// on by default). Returns what the UI must hear about.
    pub(crate) fn on_session_event(&self, event: SessionEvent) -> Option<BackendEvent> {
        let session = self.session();
        let settings = session.vault.as_ref()?.settings();
        let lock = match event {
            SessionEvent::Sleep => settings.lock_on_sleep,
            SessionEvent::ScreenLocked => settings.lock_on_screen_lock,
            SessionEvent::Wake | SessionEvent::ScreenUnlocked => false,
        };
        if !lock {
            return None;
        }
        self.lock_held(session);
        Some(BackendEvent::VaultLocked)
    }

    pub(crate) fn report_activity(&self, at: Moment) {
        self.session().last_activity = at;
    }

    /// The periodic check: auto-lock after the idle delay, expire undo entries, and pick up
    /// changes other processes (the CLI) saved. Returns what the UI must hear about.
    pub(crate) fn tick(&self, now: Moment) -> Option<BackendEvent> {
        let at = now.instant();
        let mut session = self.session();
        session.undo.retain(|deleted| deleted.expires > at);
        session.imports.expire(at);
        let idle = now.since(session.last_activity);
        let vault = session.vault.as_mut()?;
        let auto_lock = vault.settings().auto_lock_secs;
        if auto_lock > 0 && idle >= Duration::from_secs(auto_lock.into()) {
            self.lock_held(session);
            return Some(BackendEvent::VaultLocked);
        }
        match vault.reload_if_changed() {
            Ok(true) => Some(BackendEvent::VaultChanged),
            Ok(false) => None,
            // Re-keyed, replaced or removed underneath us: what is held is stale, so lock.
            Err(
                VaultError::DifferentVault
                | VaultError::RekeyedElsewhere
                | VaultError::NotFound { .. },
            ) => {
                self.lock_held(session);
                Some(BackendEvent::VaultLocked)
            }
            // Transient (a write in progress, I/O): try again next tick.
            Err(_) => None,
        }
    }
}

fn unlock_error(error: VaultError) -> IpcError {
    match error {
        VaultError::NotFound { .. } => IpcError::no_vault(),
        other => other.into(),
    }
}

fn parse_id(id: &str) -> Result<AccountId, IpcError> {
    AccountId::parse(id).ok_or_else(|| IpcError::not_found("account"))
}

fn find_mut(data: &mut VaultData, id: AccountId) -> Result<&mut Account, IpcError> {
    data.accounts
        .iter_mut()
        .find(|account| account.id == id)
        .ok_or_else(|| IpcError::not_found("account"))
}

//! The encrypted vault: one file holding the accounts and settings, unlocked by the OS keychain,
//! the recovery key or an optional passphrase.
//!
//! Layers: [`format`] (pure byte codec) → `crypto` (the one AEAD module) → `slots` (key wraps)
//! → `payload` (accounts and settings, MessagePack; JSON in version 1) → `file` (atomic writes,
//! lock, backups) → this module's [`Vault`] API; [`Glance`] reads without building a `Vault`.
//!
//! Keys: a random 256-bit vault key encrypts the payload (AES-256-GCM, fresh nonce per write,
//! the header as associated data). Each key slot wraps the vault key for one way in; see
//! `slots.rs` for why slots wrap to X25519 public keys.
//!
//! Re-keying: [`Vault::set_passphrase`], [`Vault::remove_passphrase`] and
//! [`Vault::rotate_recovery_key`] make a new vault key, re-encrypt the payload and rewrite every
//! slot, so an old secret never opens the new file. They also delete the kept backups and the
//! set-aside copies (`.damaged-N`), which would still open with the old secrets (deletion is a
//! normal unlink: on SSDs and copy-on-write file systems the old blocks may survive until
//! reused). Slots of kinds this version does not know are dropped by a re-key (they cannot be
//! rewrapped).
//!
//! What a re-key cannot do is make an old copy kept *elsewhere* stop opening with the secrets it
//! was written for: whoever has that file and the old passphrase decrypts it, by construction.
//! What it does is move the keychain entry's pin (see `keychain.rs`) to the new key, so such a
//! copy put back in the vault's place is refused as [`VaultError::VaultRolledBack`], through the
//! keychain and, where the keychain answers, with the old passphrase or recovery key too
//! ([`Vault::check_keychain`]). [`Vault::adopt`] is the one way to keep a refused file.
//!
//! Concurrency: every change takes the writer lock, re-reads the file if another process changed
//! it, applies the caller's closure to a copy, and writes; so two writers never lose an update.
//! [`Vault::reload_if_changed`] lets a long-running app pick up other processes' changes.

mod crypto;
mod file;
mod format;
mod glance;
mod keychain;
mod passphrase;
mod payload;
mod recovery;
mod slots;
// The crate's one unsafe module: Win32 calls std lacks (owner-only ACLs, the Restart Manager).
#[cfg(windows)]
#[allow(unsafe_code)]
mod windows;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use file::Backup;
pub use glance::{AccountGlance, Glance, GlanceData};
pub use passphrase::{KdfParams, Passphrase};
pub use payload::{Settings, Theme, VaultData};
pub use recovery::{RecoveryKey, RecoveryKeyError};

use crate::keystore::{KeyMaterial, KeyStore, KeyStoreError};
use crate::model::{Account, UnixTime};
use crypto::{CannotSeal, SymmetricKey};
use format::{FormatError, Header, KEY_ID_LEN, SALT_LEN, Slot, StoredKdf, VAULT_ID_LEN};
use keychain::{Entry, Pin};
use slots::{Recipient, SlotWrap, derive_recipient};

/// Whether `bytes` start with the vault file magic: a vault or an export of one (what format
/// detection needs; it says nothing about whether the rest is intact).
pub fn looks_like_vault(bytes: &[u8]) -> bool {
    bytes.starts_with(format::MAGIC)
}

/// Environment variable that overrides [`default_vault_path`].
pub const VAULT_PATH_ENV: &str = "TESSERA_VAULT";

const LABEL_KEYCHAIN: &[u8] = b"keychain";
const LABEL_PASSPHRASE: &[u8] = b"passphrase";
const LABEL_RECOVERY: &[u8] = b"recovery";

/// Where the vault lives unless the caller says otherwise: `$TESSERA_VAULT` if set and
/// non-empty, else `vault.tessera` in the platform data directory: `~/.local/share/tessera/`
/// (`$XDG_DATA_HOME`), `~/Library/Application Support/app.tessera.Tessera/`,
/// `%APPDATA%\Tessera\`. `None` when no home directory is known.
pub fn default_vault_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(VAULT_PATH_ENV).filter(|value| !value.is_empty()) {
        return Some(PathBuf::from(path));
    }
    platform_vault_path()
}

/// Windows: `%APPDATA%\Tessera\vault.tessera`, where Windows programs keep a user's roaming
/// data (ProjectDirs would add `tessera\Tessera\data`, an organisation folder and a `data`
/// level no Windows user looks in).
#[cfg(windows)]
fn platform_vault_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().join("Tessera").join("vault.tessera"))
}

/// Linux and macOS: the paths every existing vault is at; they must not move.
#[cfg(not(windows))]
fn platform_vault_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "tessera", "Tessera")
        .map(|dirs| dirs.data_dir().join("vault.tessera"))
}

/// Which ways in the vault file at `path` has, read from its header without unlocking (what a
/// lock screen needs to offer the right fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SlotSummary {
    /// A keychain slot exists (its entry may still be missing from this computer's keychain).
    pub keychain: bool,
    /// A passphrase slot exists.
    pub passphrase: bool,
}

/// The [`SlotSummary`] of the vault file at `path`. Reads the header only; no unlock.
pub fn slot_summary(path: &Path) -> Result<SlotSummary, VaultError> {
    let bytes = fs::read(path).map_err(|e| VaultError::io("read", path, e))?;
    let parsed = format::decode(&bytes).map_err(|e| format_error(e, path))?;
    let has = |wanted: fn(&Slot) -> bool| parsed.header.slots.iter().any(wanted);
    Ok(SlotSummary {
        keychain: has(|slot| matches!(slot, Slot::Keychain { .. })),
        passphrase: has(|slot| matches!(slot, Slot::Passphrase { .. })),
    })
}

/// Writes `bytes` (an export of other apps' format) to `path` the way the vault itself is
/// written: owner-only (0600), synced, then renamed over any existing file, so the target is
/// never half written nor readable by other users, even for a moment.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    file::write_atomic(path, bytes, None).map_err(|e| VaultError::io("write", path, e))
}

/// Creates the file `path` (it must not exist) for writing, open to its owner alone from its
/// first instant: mode 0600 on Unix, a protected DACL granting the current user alone on
/// Windows. For other files that hold secrets (exports), made as the vault's own are.
pub fn create_private_file(path: &Path) -> io::Result<fs::File> {
    file::create_new_private_file(path)
}

/// The keychain entry names the vault file at `path` points at (for diagnostics, and for
/// removing the entries of a vault that is being deleted). Reads the header only; no unlock.
pub fn keychain_entry_names(path: &Path) -> Result<Vec<String>, VaultError> {
    let bytes = fs::read(path).map_err(|e| VaultError::io("read", path, e))?;
    let parsed = format::decode(&bytes).map_err(|e| format_error(e, path))?;
    Ok(parsed
        .header
        .slots
        .iter()
        .filter_map(|slot| match slot {
            Slot::Keychain { key_id, .. } => {
                Some(keychain_entry_name(&parsed.header.vault_id, key_id))
            }
            _ => None,
        })
        .collect())
}

/// Everything that can go wrong with a vault. Messages say what to do next.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// `create` found a file already there.
    #[error("a vault already exists at {path}: open it, or choose another path")]
    AlreadyExists {
        /// The path.
        path: PathBuf,
    },
    /// The payload did not decrypt although the slot opened: the file was damaged or changed.
    #[error(
        "the vault cannot be decrypted: it was damaged or changed outside Tessera ({backups} \
         earlier versions are kept as backups; restore the newest one)"
    )]
    CannotDecrypt {
        /// How many backups exist (0 if none or unknown).
        backups: usize,
    },
    /// The file's structure is broken (truncated, inconsistent lengths).
    #[error(
        "the vault file is damaged ({backups} earlier versions are kept as backups; restore the \
         newest one)"
    )]
    Damaged {
        /// How many backups exist (0 if none or unknown).
        backups: usize,
    },
    /// The file at the path is now a different vault than the one unlocked.
    #[error("the vault file was replaced by a different vault: unlock it again")]
    DifferentVault,
    /// The disk is full; nothing was changed.
    #[error(
        "the disk is full, so the vault was not saved (it is unchanged): free some space and try again"
    )]
    DiskFull,
    /// An empty passphrase was offered for a new passphrase slot.
    #[error("the passphrase is empty: choose one with at least one character")]
    EmptyPassphrase,
    /// Windows: another program kept the vault file open while Tessera waited to replace it,
    /// so the change was not saved.
    #[error(
        "the change was not saved (the vault file is unchanged): {} has {path} open; close it or \
         wait for it to finish, then try again",
        held_by(.programs)
    )]
    HeldOpen {
        /// The vault file.
        path: PathBuf,
        /// The programs Windows names as holding it (empty where it cannot tell).
        programs: Vec<String>,
    },
    /// Reading or writing failed; on a write, the vault file is unchanged.
    #[error("could not {action} {path}: {source} (the vault file is unchanged)")]
    Io {
        /// What was being done ("read", "write", "lock").
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// Argon2 parameters outside the accepted range (from a file, or from the caller).
    #[error(
        "the passphrase settings in this vault are out of range (memory {memory_kib} KiB, \
         {iterations} passes, {parallelism} lanes): open it with the keychain or the recovery key"
    )]
    KdfParamsRejected {
        /// Memory cost in KiB.
        memory_kib: u32,
        /// Passes.
        iterations: u32,
        /// Lanes.
        parallelism: u32,
    },
    /// The keychain has no entry for this vault (deleted, or another computer).
    #[error(
        "the system keychain has no key for this vault: open it with your recovery key or \
         passphrase, then bind the keychain again"
    )]
    KeychainEntryMissing,
    /// The keychain entry exists but does not open this vault.
    #[error(
        "the key in the system keychain does not open this vault: open it with your recovery key \
         or passphrase, then bind the keychain again"
    )]
    KeychainMismatch,
    /// The keychain could not be used.
    #[error(transparent)]
    Keychain(#[from] KeyStoreError),
    /// The vault has no keychain slot (e.g. created headless, or an export file).
    #[error(
        "this vault is not bound to the system keychain: open it with your recovery key or passphrase"
    )]
    NoKeychainSlot,
    /// The vault has no passphrase.
    #[error("this vault has no passphrase: open it with the system keychain or your recovery key")]
    NoPassphraseSlot,
    /// The keychain opens this file, but its vault key is not the one Tessera last wrote and
    /// the file is older than the last re-key: an earlier copy put back in the vault's place.
    #[error(
        "this vault file is an older copy (write {found}) from before its keys last changed \
         (write {pinned}): Tessera does not open it; put the newer file back, or go back to a kept \
         version"
    )]
    VaultRolledBack {
        /// The generation of the file found.
        found: u64,
        /// The generation of the last re-key, as the keychain entry records it.
        pinned: u64,
    },
    /// The keychain opens this file, but its vault key is not one Tessera wrote: the file was
    /// replaced by one made from the header's public keys (or by a copy Tessera cannot place).
    #[error(
        "this vault file was not written by Tessera on this computer (its key is not the one \
         the system keychain vouches for), so it may have been forged: Tessera does not open \
         it; put your vault file back, or go back to a kept version"
    )]
    VaultReplaced,
    /// The OS gave no random bytes.
    #[error("the operating system gave no random bytes; nothing was changed: try again")]
    NoRandomness,
    /// The file has no recovery slot (an export file, which opens with its passphrase).
    #[error("this file has no recovery key slot: open it with its passphrase")]
    NoRecoverySlot,
    /// Not a Tessera vault at all.
    #[error("{path} is not a Tessera vault: check the path")]
    NotAVault {
        /// The path.
        path: PathBuf,
    },
    /// No file at the path.
    #[error("no vault at {path}: create one, or check the path")]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// The payload decrypted but cannot be read by this version.
    #[error(
        "the vault's contents cannot be read by this version of Tessera ({detail}): update \
         Tessera, or restore a backup"
    )]
    PayloadUnreadable {
        /// Where parsing stopped (never contains values).
        detail: String,
    },
    /// Another process re-keyed the vault since it was unlocked here.
    #[error("the vault was re-keyed by another Tessera window: unlock it again")]
    RekeyedElsewhere,
    /// A newer Tessera wrote this file.
    #[error(
        "this vault was written by a newer Tessera (format {found}): update Tessera to open it"
    )]
    UnsupportedVersion {
        /// The format version found.
        found: u16,
    },
    /// The passphrase did not open the passphrase slot.
    #[error("wrong passphrase: try again, or open with your recovery key")]
    WrongPassphrase,
    /// The recovery key did not open the recovery slot.
    #[error("this recovery key does not open this vault: check you have the key for this vault")]
    WrongRecoveryKey,
}

crate::error_codes!(pub VaultError {
    AlreadyExists => "already_exists",
    CannotDecrypt => "cannot_decrypt",
    Damaged => "damaged",
    DifferentVault => "different_vault",
    DiskFull => "disk_full",
    EmptyPassphrase => "empty_passphrase",
    HeldOpen => "vault_held_open",
    Io => "io",
    KdfParamsRejected => "kdf_params_rejected",
    KeychainEntryMissing => "keychain_entry_missing",
    KeychainMismatch => "keychain_mismatch",
    NoKeychainSlot => "no_keychain_slot",
    NoPassphraseSlot => "no_passphrase",
    NoRandomness => "no_randomness",
    NoRecoverySlot => "no_recovery_slot",
    NotAVault => "not_a_vault",
    NotFound => "vault_not_found",
    PayloadUnreadable => "payload_unreadable",
    RekeyedElsewhere => "rekeyed_elsewhere",
    UnsupportedVersion => "unsupported_version",
    VaultReplaced => "vault_replaced",
    VaultRolledBack => "vault_rolled_back",
    WrongPassphrase => "wrong_passphrase",
    WrongRecoveryKey => "wrong_recovery_key",
} nested {
    Keychain(KeyStoreError),
});

impl VaultError {
    /// Whether opening with the recovery key or passphrase is the way forward (keychain gone,
    /// locked or not bound).
    pub fn needs_other_unlock(&self) -> bool {
        matches!(
            self,
            Self::Keychain(_)
                | Self::KeychainEntryMissing
                | Self::KeychainMismatch
                | Self::NoKeychainSlot
        )
    }

    fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::StorageFull {
            return Self::DiskFull;
        }
        if source.kind() == io::ErrorKind::NotFound && action == "read" {
            return Self::NotFound {
                path: path.to_owned(),
            };
        }
        #[cfg(windows)]
        if let Some(held) = source
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<file::HeldOpen>())
        {
            return Self::HeldOpen {
                path: path.to_owned(),
                programs: held.programs.clone(),
            };
        }
        Self::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

/// Who holds the vault open, for [`VaultError::HeldOpen`]'s message.
fn held_by(programs: &[String]) -> String {
    match programs {
        [] => "another program (an antivirus, a backup or sync tool, an editor)".to_owned(),
        [one] => one.clone(),
        many => many.join(", "),
    }
}

impl From<CannotSeal> for VaultError {
    fn from(_: CannotSeal) -> Self {
        Self::NoRandomness
    }
}

/// How to unlock a vault.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Unlock<'a> {
    /// Silently, with the secret kept in the OS keychain.
    Keychain(&'a dyn KeyStore),
    /// With the passphrase (Argon2id: takes a moment).
    Passphrase(&'a Passphrase),
    /// With the recovery key.
    RecoveryKey(&'a RecoveryKey),
}

impl Unlock<'_> {
    /// The kind of slot this way in opens.
    fn slot_kind(&self) -> u8 {
        match self {
            Self::Keychain(_) => Slot::KEYCHAIN,
            Self::Passphrase(_) => Slot::PASSPHRASE,
            Self::RecoveryKey(_) => Slot::RECOVERY,
        }
    }
}

/// How a new vault is protected besides its recovery key (which every vault has).
#[derive(Debug, Default, Clone, Copy)]
pub struct Protection<'a> {
    /// Bind to this keychain so the vault opens without typing anything.
    pub keychain: Option<&'a dyn KeyStore>,
    /// Also accept this passphrase, derived with these Argon2id parameters.
    pub passphrase: Option<(&'a Passphrase, KdfParams)>,
}

/// An unlocked vault. Dropping it (or [`Vault::lock`]) wipes the key and the secrets.
pub struct Vault {
    path: PathBuf,
    header: Header,
    key: SymmetricKey,
    data: VaultData,
    stamp: Option<file::Stamp>,
    /// The slot kind the user proved to open this vault (`None`: created here), which a
    /// [`Vault::adopt`] keeps.
    opened_with: Option<u8>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("generation", &self.header.generation)
            .field("accounts", &self.data.accounts.len())
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a new, empty vault at `path` (parent directories are created) and returns it
    /// with its recovery key, which the caller must show the user exactly once.
    ///
    /// With a keychain, its secret is stored first; if the file cannot be written the entry is
    /// removed again. Fails with [`VaultError::AlreadyExists`] if a file is there.
    pub fn create(
        path: &Path,
        protection: Protection<'_>,
        now: UnixTime,
    ) -> Result<(Vault, RecoveryKey), VaultError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            file::create_private_dir(parent).map_err(|e| VaultError::io("create", parent, e))?;
        }
        let _lock = file::lock(path).map_err(|e| VaultError::io("lock", path, e))?;
        if path.exists() {
            return Err(VaultError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        let vault_id: [u8; VAULT_ID_LEN] = crypto::random_array()?;
        let key = SymmetricKey::make()?;
        let recovery_key = RecoveryKey::make()?;
        let mut slots = Vec::with_capacity(3);
        // EXPOSE: deriving the recovery slot's public key from the new recovery key.
        let recovery = derive_recipient(recovery_key.expose_secret(), LABEL_RECOVERY);
        slots.push(recovery_slot(&vault_id, &recovery.public(), &key)?);
        if let Some((passphrase, params)) = protection.passphrase {
            slots.push(passphrase_slot(&vault_id, passphrase, params, &key)?);
        }
        let keychain = match protection.keychain {
            Some(store) => {
                let (slot, name) = bind_keychain(store, &vault_id, &key, 1)?;
                slots.push(slot);
                Some((store, name))
            }
            None => None,
        };
        let header = Header {
            vault_id,
            generation: 1,
            slots,
        };
        let mut vault = Vault {
            path: path.to_owned(),
            header: header.clone(),
            key,
            data: VaultData::new(now),
            stamp: None,
            opened_with: None,
        };
        if let Err(error) = vault.write(header, None) {
            if let Some((store, name)) = keychain {
                let _ = store.delete(&name);
            }
            return Err(error);
        }
        Ok((vault, recovery_key))
    }

    /// Opens and decrypts the vault at `path`. Needs no lock: saves replace the file
    /// atomically, so a reader always sees one complete version.
    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Vault, VaultError> {
        let stamp = file::stamp(path).map_err(|e| VaultError::io("read", path, e))?;
        let bytes = fs::read(path).map_err(|e| VaultError::io("read", path, e))?;
        let parsed = format::decode(&bytes).map_err(|e| format_error(e, path))?;
        let key = unlock_key(&parsed.header, unlock)?;
        let data = decode_payload(&decrypt(&key, &parsed, path)?, parsed.version)?;
        Ok(Vault {
            path: path.to_owned(),
            header: parsed.header,
            key,
            data,
            stamp,
            opened_with: Some(unlock.slot_kind()),
        })
    }

    /// After an open with the passphrase or the recovery key: refuses this vault when `store`
    /// pins another vault key for it ([`VaultError::VaultRolledBack`] or
    /// [`VaultError::VaultReplaced`], as a keychain unlock would), so a copy put back in the
    /// vault's place does not open with its old secrets either while this keychain answers.
    ///
    /// Cannot tell (and so lets the open stand): a keychain that does not answer, an entry gone
    /// or written before pins, a file without a keychain slot. Every slot wraps to a public
    /// key, so a forged file may well open with the user's own passphrase or recovery key: the
    /// secret proves nothing about the file, only this check does.
    pub fn check_keychain(&self, store: &dyn KeyStore) -> Result<(), VaultError> {
        for slot in &self.header.slots {
            if let Slot::Keychain { key_id, .. } = slot {
                keychain::check_opened(
                    store,
                    &keychain_entry_name(&self.header.vault_id, key_id),
                    &self.key,
                    &self.header.vault_id,
                    self.header.generation,
                )?;
            }
        }
        Ok(())
    }

    /// Keeps a file that [`Vault::check_keychain`] (or a keychain unlock) refused, on the
    /// user's word, after they opened it with their passphrase or recovery key. The file may be
    /// a forgery whose other slots belong to someone else and whose vault key they know, so
    /// this re-keys from what the user proved alone: a new vault key; the slot they opened it
    /// with is kept; a passphrase slot they did not prove is dropped; a recovery slot they did
    /// not prove gets a new recovery key (returned: show it once); the keychain entry is pinned
    /// to the new key (bound afresh if the file has no keychain slot, its secret replaced if it
    /// does not open the slot). The accounts are kept as the file holds them.
    pub fn adopt(&mut self, store: &dyn KeyStore) -> Result<Option<RecoveryKey>, VaultError> {
        self.rekey(SlotChange::Adopt, store)
    }

    /// Reads an exported backup (see [`Vault::export_to`]) with its passphrase.
    pub fn read_export(path: &Path, passphrase: &Passphrase) -> Result<VaultData, VaultError> {
        Ok(Self::open(path, Unlock::Passphrase(passphrase))?.data)
    }

    /// The Argon2 parameters the passphrase slot of a backup (or vault) in `bytes` asks for,
    /// read from its header without deriving anything, so an importer can budget the
    /// derivation [`Vault::read_export_bytes`] would run. The same errors as that call for a
    /// file that is not a vault, is damaged, has no passphrase slot or asks for parameters
    /// over [`KdfParams`]' caps.
    pub fn export_kdf_params(bytes: &[u8]) -> Result<KdfParams, VaultError> {
        let parsed = format::decode(bytes).map_err(|error| match error {
            FormatError::NotAVault => VaultError::NotAVault {
                path: PathBuf::new(),
            },
            FormatError::Malformed => VaultError::Damaged { backups: 0 },
            FormatError::UnsupportedVersion(found) => VaultError::UnsupportedVersion { found },
        })?;
        let kdf = parsed
            .header
            .slots
            .iter()
            .find_map(|slot| match slot {
                Slot::Passphrase { kdf, .. } => Some(kdf),
                _ => None,
            })
            .ok_or(VaultError::NoPassphraseSlot)?;
        KdfParams::new(kdf.memory_kib, kdf.iterations, kdf.parallelism)
    }

    /// [`Vault::read_export`] for bytes already in memory (an importer handed a file's content).
    /// Errors name no path: `NotAVault` carries an empty one, `Damaged` and `CannotDecrypt`
    /// count no backups.
    pub fn read_export_bytes(
        bytes: &[u8],
        passphrase: &Passphrase,
    ) -> Result<VaultData, VaultError> {
        let parsed = format::decode(bytes).map_err(|error| match error {
            FormatError::NotAVault => VaultError::NotAVault {
                path: PathBuf::new(),
            },
            FormatError::Malformed => VaultError::Damaged { backups: 0 },
            FormatError::UnsupportedVersion(found) => VaultError::UnsupportedVersion { found },
        })?;
        let key = unlock_key(&parsed.header, Unlock::Passphrase(passphrase))?;
        let plaintext = crypto::open(&key, parsed.header_bytes, parsed.body)
            .map_err(|_| VaultError::CannotDecrypt { backups: 0 })?;
        decode_payload(&plaintext, parsed.version)
    }

    /// The accounts, in the user's order.
    pub fn accounts(&self) -> &[Account] {
        &self.data.accounts
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.data.settings
    }

    /// All decrypted contents.
    pub fn data(&self) -> &VaultData {
        &self.data
    }

    /// The vault file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The write counter of the version held in memory.
    pub fn generation(&self) -> u64 {
        self.header.generation
    }

    /// Whether a passphrase also opens this vault.
    pub fn has_passphrase(&self) -> bool {
        self.header
            .slots
            .iter()
            .any(|slot| matches!(slot, Slot::Passphrase { .. }))
    }

    /// Whether the vault has a keychain slot (it may still fail if the entry was deleted).
    pub fn has_keychain_slot(&self) -> bool {
        self.header
            .slots
            .iter()
            .any(|slot| matches!(slot, Slot::Keychain { .. }))
    }

    /// Locks the vault: the key and every secret are wiped (the same as dropping it).
    pub fn lock(self) {
        drop(self);
    }

    /// Applies `change` and saves, safely against other writers: under the writer lock, the
    /// latest file is re-read if another process changed it, `change` runs on a copy of the
    /// data, and the result is written atomically. If `change` or the write fails, neither the
    /// file nor the data held here changes.
    pub fn update<T, E>(
        &mut self,
        change: impl FnOnce(&mut VaultData) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<VaultError>,
    {
        let _lock = self.writer_lock()?;
        self.sync_with_disk()?;
        let mut working = self.data.duplicate();
        let output = change(&mut working)?;
        let mut header = self.header.clone();
        header.generation = header.generation.wrapping_add(1);
        let previous = std::mem::replace(&mut self.data, working);
        if let Err(error) = self.write(header, Some(self.header.generation)) {
            self.data = previous;
            return Err(error.into());
        }
        Ok(output)
    }

    /// Re-reads the file if another process saved since this one last read or wrote it.
    /// Cheap when nothing changed (one `stat`). Returns whether the data changed.
    pub fn reload_if_changed(&mut self) -> Result<bool, VaultError> {
        let stamp = file::stamp(&self.path).map_err(|e| VaultError::io("read", &self.path, e))?;
        if stamp == self.stamp {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// Sets or replaces the passphrase, and re-keys the vault (see the module doc). `keychain`
    /// is where the vault's keychain entry lives, if it has a keychain slot: its pin moves to
    /// the new key, and if it does not answer nothing is changed.
    pub fn set_passphrase(
        &mut self,
        passphrase: &Passphrase,
        params: KdfParams,
        keychain: &dyn KeyStore,
    ) -> Result<(), VaultError> {
        if passphrase.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        self.rekey(SlotChange::SetPassphrase(passphrase, params), keychain)
            .map(|_| ())
    }

    /// Removes the passphrase, and re-keys the vault (`keychain` as for
    /// [`Vault::set_passphrase`]).
    pub fn remove_passphrase(&mut self, keychain: &dyn KeyStore) -> Result<(), VaultError> {
        self.rekey(SlotChange::RemovePassphrase, keychain)
            .map(|_| ())
    }

    /// Replaces the recovery key, and re-keys the vault (`keychain` as for
    /// [`Vault::set_passphrase`]). The old recovery key stops working; show the returned one
    /// to the user exactly once.
    pub fn rotate_recovery_key(
        &mut self,
        keychain: &dyn KeyStore,
    ) -> Result<RecoveryKey, VaultError> {
        self.rekey(SlotChange::RotateRecovery, keychain)?
            .ok_or(VaultError::NoRandomness)
    }

    /// Puts the keychain slot back in working order (after the entry was lost, or on a new
    /// computer) and pins the entry to this vault's key: a vault without a keychain slot gets a
    /// new one; a slot whose entry is gone or does not open it gets a new secret under the
    /// *same* entry name, so copies of the file from before keep naming the entry whose pin
    /// refuses them. The entry is written first; if the save fails it is put back as it was.
    pub fn rebind_keychain(&mut self, store: &dyn KeyStore) -> Result<(), VaultError> {
        let _lock = self.writer_lock()?;
        self.sync_with_disk()?;
        let vault_id = self.header.vault_id;
        let mut header = self.header.clone();
        header.generation = header.generation.wrapping_add(1);
        let mut entries = EntryWrites::default();
        let mut bound = false;
        for slot in &mut header.slots {
            if let Slot::Keychain { key_id, wrap } = slot {
                let name = keychain_entry_name(&vault_id, key_id);
                *wrap =
                    entries.repin(store, name, wrap, &self.key, &vault_id, header.generation)?;
                bound = true;
            }
        }
        if !bound {
            let (slot, name) = bind_keychain(store, &vault_id, &self.key, header.generation)?;
            entries.created.push(name);
            header.slots.push(slot);
        }
        if let Err(error) = self.write(header, Some(self.header.generation)) {
            entries.undo(store);
            return Err(error);
        }
        Ok(())
    }

    /// Removes the keychain slot and its entry (e.g. "forget this computer"). The vault then
    /// opens only with the recovery key or passphrase.
    pub fn unbind_keychain(&mut self, store: &dyn KeyStore) -> Result<(), VaultError> {
        let _lock = self.writer_lock()?;
        self.sync_with_disk()?;
        let vault_id = self.header.vault_id;
        let mut header = self.header.clone();
        let mut names = Vec::new();
        header.slots.retain(|slot| match slot {
            Slot::Keychain { key_id, .. } => {
                names.push(keychain_entry_name(&vault_id, key_id));
                false
            }
            _ => true,
        });
        if names.is_empty() {
            return Ok(());
        }
        header.generation = header.generation.wrapping_add(1);
        self.write(header, Some(self.header.generation))?;
        for name in names {
            let _ = store.delete(&name);
        }
        Ok(())
    }

    /// Writes an encrypted export to `path`: the same format, a new vault id and key, and a
    /// passphrase slot only, so it opens anywhere with the passphrase ([`Vault::read_export`]).
    /// An existing file at `path` is replaced atomically.
    pub fn export_to(
        &self,
        path: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<(), VaultError> {
        if passphrase.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        let vault_id: [u8; VAULT_ID_LEN] = crypto::random_array()?;
        let key = SymmetricKey::make()?;
        let header = Header {
            vault_id,
            generation: 1,
            slots: vec![passphrase_slot(&vault_id, passphrase, params, &key)?],
        };
        let bytes = seal_file(&header, &key, &self.data)?;
        file::write_atomic(path, &bytes, None).map_err(|e| VaultError::io("write", path, e))
    }

    /// The kept previous versions of the vault at `path`, newest first. Each is a complete vault
    /// file that [`Vault::open`] reads with the same unlock methods.
    pub fn backups(path: &Path) -> Result<Vec<Backup>, VaultError> {
        file::list_backups(path).map_err(|e| VaultError::io("read", &file::backups_dir(path), e))
    }

    /// The copies [`Vault::restore_backup`] set aside (`<vault>.damaged-<generation>`), sorted
    /// by name. Each is a complete vault file that still opens with the secrets it was written
    /// for, so a re-key deletes them with the kept versions.
    pub fn set_aside_copies(path: &Path) -> Result<Vec<PathBuf>, VaultError> {
        file::list_set_aside(path).map_err(|e| VaultError::io("read", path, e))
    }

    /// Replaces the vault at `path` with `backup`, for when the vault is damaged and the user
    /// agreed to go back to that version. The current file is not deleted: it is moved aside to
    /// `<vault>.damaged-<generation>` and that path is returned (if there was a file).
    pub fn restore_backup(path: &Path, backup: &Backup) -> Result<Option<PathBuf>, VaultError> {
        let _lock = file::lock(path).map_err(|e| VaultError::io("lock", path, e))?;
        let bytes = fs::read(&backup.path).map_err(|e| VaultError::io("read", &backup.path, e))?;
        let parsed = format::decode(&bytes).map_err(|e| format_error(e, &backup.path))?;
        let aside = if path.exists() {
            let target = file::set_aside_path(path, parsed.header.generation);
            file::copy_private(path, &target).map_err(|e| VaultError::io("write", &target, e))?;
            Some(target)
        } else {
            None
        };
        file::write_atomic(path, &bytes, None).map_err(|e| VaultError::io("write", path, e))?;
        Ok(aside)
    }

    fn writer_lock(&self) -> Result<file::WriterLock, VaultError> {
        file::lock(&self.path).map_err(|e| VaultError::io("lock", &self.path, e))
    }

    /// Under the writer lock: make sure the data here is the latest on disk.
    fn sync_with_disk(&mut self) -> Result<(), VaultError> {
        let stamp = file::stamp(&self.path).map_err(|e| VaultError::io("read", &self.path, e))?;
        if stamp != self.stamp {
            self.reload()?;
        }
        Ok(())
    }

    fn reload(&mut self) -> Result<(), VaultError> {
        let stamp = file::stamp(&self.path).map_err(|e| VaultError::io("read", &self.path, e))?;
        let bytes = fs::read(&self.path).map_err(|e| VaultError::io("read", &self.path, e))?;
        let parsed = format::decode(&bytes).map_err(|e| format_error(e, &self.path))?;
        if parsed.header.vault_id != self.header.vault_id {
            return Err(VaultError::DifferentVault);
        }
        let same_slots = parsed.header.slots == self.header.slots;
        let data = match decrypt_payload(&self.key, &parsed, &self.path) {
            Ok(data) => data,
            // A rebind keeps the vault key, so only a re-key elsewhere changes slots *and* key.
            Err(VaultError::CannotDecrypt { .. }) if !same_slots => {
                return Err(VaultError::RekeyedElsewhere);
            }
            Err(error) => return Err(error),
        };
        self.header = parsed.header;
        self.data = data;
        self.stamp = stamp;
        Ok(())
    }

    /// Seals `self.data` under `self.key` with `header` and replaces the file.
    fn write(&mut self, header: Header, backup_as: Option<u64>) -> Result<(), VaultError> {
        let bytes = seal_file(&header, &self.key, &self.data)?;
        file::write_atomic(&self.path, &bytes, backup_as)
            .map_err(|e| VaultError::io("write", &self.path, e))?;
        self.header = header;
        self.stamp = file::stamp(&self.path).ok().flatten();
        Ok(())
    }

    /// New vault key, payload re-encrypted, every slot rewrapped (with `change` applied), the
    /// keychain entries' pins moved to the new key, earlier copies deleted.
    ///
    /// Order: the keychain entries are rewritten before the file, and put back if the file
    /// cannot be written: a pin for the new key beside the old file would refuse the user's own
    /// vault. A crash between the two leaves exactly that (refused as rolled back, with the
    /// data intact): [`Vault::adopt`] after a passphrase or recovery-key open recovers it.
    fn rekey(
        &mut self,
        change: SlotChange<'_>,
        store: &dyn KeyStore,
    ) -> Result<Option<RecoveryKey>, VaultError> {
        let _lock = self.writer_lock()?;
        self.sync_with_disk()?;
        let vault_id = self.header.vault_id;
        let generation = self.header.generation.wrapping_add(1);
        let new_key = SymmetricKey::make()?;
        let adopt = matches!(change, SlotChange::Adopt);
        let proven = |kind: u8| adopt && self.opened_with == Some(kind);
        let mut new_recovery = None;
        let mut entries = EntryWrites::default();
        let mut slots = Vec::with_capacity(self.header.slots.len() + 1);
        // Any failure once an entry was rewritten puts the entries back (see `EntryWrites`).
        let built = (|| -> Result<(), VaultError> {
            for slot in &self.header.slots {
                match slot {
                    // Adopting too: the entry keeps its name and (if it opens this slot) its
                    // secret, which are this keychain's own; only its pin moves to the new key.
                    Slot::Keychain { key_id, wrap } => {
                        let name = keychain_entry_name(&vault_id, key_id);
                        let wrap =
                            entries.repin(store, name, wrap, &new_key, &vault_id, generation)?;
                        slots.push(Slot::Keychain {
                            key_id: *key_id,
                            wrap,
                        });
                    }
                    Slot::Passphrase { kdf, salt, wrap } => {
                        let keep = match change {
                            SlotChange::RotateRecovery => true,
                            SlotChange::Adopt => proven(Slot::PASSPHRASE),
                            SlotChange::RemovePassphrase | SlotChange::SetPassphrase(..) => false,
                        };
                        if keep {
                            slots.push(Slot::Passphrase {
                                kdf: *kdf,
                                salt: *salt,
                                wrap: rewrap(&vault_id, Slot::PASSPHRASE, wrap, &new_key)?,
                            });
                        }
                    }
                    Slot::Recovery { wrap } => {
                        let replace = match change {
                            SlotChange::RotateRecovery => true,
                            SlotChange::Adopt => !proven(Slot::RECOVERY),
                            SlotChange::RemovePassphrase | SlotChange::SetPassphrase(..) => false,
                        };
                        if replace {
                            let recovery_key = RecoveryKey::make()?;
                            // EXPOSE: deriving the new recovery slot's public key.
                            let recipient =
                                derive_recipient(recovery_key.expose_secret(), LABEL_RECOVERY);
                            slots.push(recovery_slot(&vault_id, &recipient.public(), &new_key)?);
                            new_recovery = Some(recovery_key);
                        } else {
                            slots.push(Slot::Recovery {
                                wrap: rewrap(&vault_id, Slot::RECOVERY, wrap, &new_key)?,
                            });
                        }
                    }
                    Slot::Unknown { .. } => {}
                }
            }
            if let SlotChange::SetPassphrase(passphrase, params) = change {
                slots.push(passphrase_slot(&vault_id, passphrase, params, &new_key)?);
            }
            let bound = slots
                .iter()
                .any(|slot| matches!(slot, Slot::Keychain { .. }));
            if adopt && !bound {
                let (slot, name) = bind_keychain(store, &vault_id, &new_key, generation)?;
                entries.created.push(name);
                slots.push(slot);
            }
            Ok(())
        })();
        if let Err(error) = built {
            entries.undo(store);
            return Err(error);
        }
        let header = Header {
            vault_id,
            generation,
            slots,
        };
        let old_key = std::mem::replace(&mut self.key, new_key);
        if let Err(error) = self.write(header, None) {
            self.key = old_key;
            entries.undo(store);
            return Err(error);
        }
        // Earlier copies hold the old key and open with the old secrets: they must go.
        let _ = file::remove_earlier_copies(&self.path);
        Ok(new_recovery)
    }
}

/// The keychain entries a re-key changes, and how to put them back if the file write fails.
#[derive(Default)]
struct EntryWrites {
    /// Entries rewritten, with what they held before (`None`: there was none).
    rewritten: Vec<(String, Option<KeyMaterial>)>,
    /// Entries made for a fresh binding.
    created: Vec<String>,
}

impl EntryWrites {
    /// Pins the entry `name` of a kept keychain slot to `new_key` and rewraps the slot. The
    /// stored secret stays when it opens the slot; an entry that is gone or does not open it
    /// gets a fresh secret under the same name (the slot is useless until rebound anyway). A
    /// keychain that does not answer fails the re-key: otherwise the old pin would stay, and
    /// the re-keyed vault be refused by its own keychain.
    fn repin(
        &mut self,
        store: &dyn KeyStore,
        name: String,
        wrap: &SlotWrap,
        new_key: &SymmetricKey,
        vault_id: &[u8; VAULT_ID_LEN],
        generation: u64,
    ) -> Result<SlotWrap, VaultError> {
        let result = (|| -> Result<(SlotWrap, Option<KeyMaterial>), VaultError> {
            let previous = store.load_fresh(&name)?;
            let kept = previous.as_ref().map(Entry::decode).filter(|entry| {
                // EXPOSE: deriving the slot's public key to see whether the secret opens it.
                derive_recipient(entry.secret(), LABEL_KEYCHAIN).public() == wrap.recipient
            });
            let secret = match &kept {
                // EXPOSE: the same secret is written back beside the new pin.
                Some(entry) => zeroize::Zeroizing::new(entry.secret().to_vec()),
                None => zeroize::Zeroizing::new(
                    crypto::random_array::<{ keychain::SECRET_LEN }>()?.to_vec(),
                ),
            };
            let recipient = derive_recipient(&secret, LABEL_KEYCHAIN);
            let wrap = SlotWrap::seal_to(
                &recipient.public(),
                new_key,
                &Slot::context(vault_id, Slot::KEYCHAIN),
            )?;
            store.store(
                &name,
                &Entry::encode(&secret, Pin::of(new_key, vault_id, generation)),
            )?;
            Ok((wrap, previous))
        })();
        match result {
            Ok((wrap, previous)) => {
                self.rewritten.push((name, previous));
                Ok(wrap)
            }
            Err(error) => {
                self.undo(store);
                Err(error)
            }
        }
    }

    /// The file was not written: every entry goes back to what it held (best effort).
    fn undo(&mut self, store: &dyn KeyStore) {
        for (name, previous) in self.rewritten.drain(..) {
            let _ = match previous {
                Some(previous) => store.store(&name, &previous),
                None => store.delete(&name),
            };
        }
        for name in self.created.drain(..) {
            let _ = store.delete(&name);
        }
    }
}

enum SlotChange<'a> {
    Adopt,
    RemovePassphrase,
    RotateRecovery,
    SetPassphrase(&'a Passphrase, KdfParams),
}

fn format_error(error: FormatError, path: &Path) -> VaultError {
    match error {
        FormatError::NotAVault => VaultError::NotAVault {
            path: path.to_owned(),
        },
        FormatError::Malformed => VaultError::Damaged {
            backups: backup_count(path),
        },
        FormatError::UnsupportedVersion(found) => VaultError::UnsupportedVersion { found },
    }
}

fn backup_count(path: &Path) -> usize {
    file::list_backups(path).map(|b| b.len()).unwrap_or(0)
}

fn decrypt_payload(
    key: &SymmetricKey,
    parsed: &format::Parsed<'_>,
    path: &Path,
) -> Result<VaultData, VaultError> {
    decode_payload(&decrypt(key, parsed, path)?, parsed.version)
}

fn decrypt(
    key: &SymmetricKey,
    parsed: &format::Parsed<'_>,
    path: &Path,
) -> Result<zeroize::Zeroizing<Vec<u8>>, VaultError> {
    crypto::open(key, parsed.header_bytes, parsed.body).map_err(|_| VaultError::CannotDecrypt {
        backups: backup_count(path),
    })
}

fn decode_payload(plaintext: &[u8], version: u16) -> Result<VaultData, VaultError> {
    payload::decode(plaintext, payload::Encoding::of_version(version))
        .map_err(|error| VaultError::PayloadUnreadable { detail: error.0 })
}

fn seal_file(header: &Header, key: &SymmetricKey, data: &VaultData) -> Result<Vec<u8>, VaultError> {
    let mut bytes = header.encode();
    let plaintext =
        payload::encode(data).map_err(|error| VaultError::PayloadUnreadable { detail: error.0 })?;
    let sealed = crypto::seal(key, &bytes, plaintext)?;
    bytes.extend_from_slice(&sealed);
    Ok(bytes)
}

/// The keychain entry name: `<vault id>.<key id>` as UUID and hex. The key id stays for the
/// life of the keychain slot (a rebind or re-key rewrites the entry under the same name), so
/// every copy of the file names the one entry whose pin says which vault key is current.
fn keychain_entry_name(vault_id: &[u8; VAULT_ID_LEN], key_id: &[u8; KEY_ID_LEN]) -> String {
    format!(
        "vault {}.{}",
        uuid::Uuid::from_bytes(*vault_id).hyphenated(),
        data_encoding::HEXLOWER.encode(&key_id[..8])
    )
}

/// Makes a keychain secret, stores it with the pin of `key` as written at `generation`, and
/// returns the slot for it and the entry name.
fn bind_keychain(
    store: &dyn KeyStore,
    vault_id: &[u8; VAULT_ID_LEN],
    key: &SymmetricKey,
    generation: u64,
) -> Result<(Slot, String), VaultError> {
    let secret =
        zeroize::Zeroizing::new(crypto::random_array::<{ keychain::SECRET_LEN }>()?.to_vec());
    let key_id: [u8; KEY_ID_LEN] = crypto::random_array()?;
    // EXPOSE: deriving the keychain slot's public key from the new keychain secret.
    let recipient = derive_recipient(&secret, LABEL_KEYCHAIN);
    let wrap = SlotWrap::seal_to(
        &recipient.public(),
        key,
        &Slot::context(vault_id, Slot::KEYCHAIN),
    )?;
    let name = keychain_entry_name(vault_id, &key_id);
    store.store(
        &name,
        &Entry::encode(&secret, Pin::of(key, vault_id, generation)),
    )?;
    Ok((Slot::Keychain { key_id, wrap }, name))
}

fn recovery_slot(
    vault_id: &[u8; VAULT_ID_LEN],
    recipient: &[u8; slots::PUBLIC_LEN],
    key: &SymmetricKey,
) -> Result<Slot, VaultError> {
    Ok(Slot::Recovery {
        wrap: SlotWrap::seal_to(recipient, key, &Slot::context(vault_id, Slot::RECOVERY))?,
    })
}

fn passphrase_slot(
    vault_id: &[u8; VAULT_ID_LEN],
    passphrase: &Passphrase,
    params: KdfParams,
    key: &SymmetricKey,
) -> Result<Slot, VaultError> {
    let salt: [u8; SALT_LEN] = crypto::random_array()?;
    let recipient = passphrase_recipient(passphrase, &salt, params)?;
    Ok(Slot::Passphrase {
        kdf: StoredKdf {
            memory_kib: params.memory_kib(),
            iterations: params.iterations(),
            parallelism: params.parallelism(),
        },
        salt,
        wrap: SlotWrap::seal_to(
            &recipient.public(),
            key,
            &Slot::context(vault_id, Slot::PASSPHRASE),
        )?,
    })
}

fn passphrase_recipient(
    passphrase: &Passphrase,
    salt: &[u8; SALT_LEN],
    params: KdfParams,
) -> Result<Recipient, VaultError> {
    let ikm = passphrase::derive_passphrase_ikm(passphrase, salt, params)?;
    Ok(derive_recipient(ikm.as_slice(), LABEL_PASSPHRASE))
}

fn rewrap(
    vault_id: &[u8; VAULT_ID_LEN],
    kind: u8,
    old: &SlotWrap,
    key: &SymmetricKey,
) -> Result<SlotWrap, VaultError> {
    Ok(SlotWrap::seal_to(
        &old.recipient,
        key,
        &Slot::context(vault_id, kind),
    )?)
}

/// Finds the slot for `unlock` and unwraps the vault key from it.
fn unlock_key(header: &Header, unlock: Unlock<'_>) -> Result<SymmetricKey, VaultError> {
    let vault_id = &header.vault_id;
    match unlock {
        Unlock::Keychain(store) => {
            let (key_id, wrap) = header
                .slots
                .iter()
                .find_map(|slot| match slot {
                    Slot::Keychain { key_id, wrap } => Some((key_id, wrap)),
                    _ => None,
                })
                .ok_or(VaultError::NoKeychainSlot)?;
            let name = keychain_entry_name(vault_id, key_id);
            let stored = store.load(&name)?.ok_or(VaultError::KeychainEntryMissing)?;
            let entry = Entry::decode(&stored);
            // EXPOSE: deriving the keychain slot's secret key to unwrap the vault key.
            let recipient = derive_recipient(entry.secret(), LABEL_KEYCHAIN);
            let key = wrap
                .open_with(&recipient, &Slot::context(vault_id, Slot::KEYCHAIN))
                .map_err(|_| VaultError::KeychainMismatch)?;
            // The secret opens any file wrapped to its public key, which is in the header for
            // anyone to use: only the pin says this is the key Tessera last wrote.
            keychain::check_unlocked(store, &name, &entry, &key, vault_id, header.generation)?;
            Ok(key)
        }
        Unlock::Passphrase(passphrase) => {
            let (kdf, salt, wrap) = header
                .slots
                .iter()
                .find_map(|slot| match slot {
                    Slot::Passphrase { kdf, salt, wrap } => Some((kdf, salt, wrap)),
                    _ => None,
                })
                .ok_or(VaultError::NoPassphraseSlot)?;
            let params = KdfParams::new(kdf.memory_kib, kdf.iterations, kdf.parallelism)?;
            let recipient = passphrase_recipient(passphrase, salt, params)?;
            wrap.open_with(&recipient, &Slot::context(vault_id, Slot::PASSPHRASE))
                .map_err(|_| VaultError::WrongPassphrase)
        }
        Unlock::RecoveryKey(recovery_key) => {
            let wrap = header
                .slots
                .iter()
                .find_map(|slot| match slot {
                    Slot::Recovery { wrap } => Some(wrap),
                    _ => None,
                })
                .ok_or(VaultError::NoRecoverySlot)?;
            // EXPOSE: deriving the recovery slot's secret key to unwrap the vault key.
            let recipient = derive_recipient(recovery_key.expose_secret(), LABEL_RECOVERY);
            wrap.open_with(&recipient, &Slot::context(vault_id, Slot::RECOVERY))
                .map_err(|_| VaultError::WrongRecoveryKey)
        }
    }
}

#[cfg(test)]
mod tests;

//! One run of a vault command: the options every command takes ([`GlobalArgs`]), which vault,
//! which keychain, the secrets given on standard input, and the opening flow (keychain first,
//! then what the user gave or is asked for).

use std::path::{Path, PathBuf};

use anstream::eprintln;
use clap::Args;
use tessera_core::keystore::{OsKeyStore, SessionCache};
use tessera_core::vault::{Glance, KdfParams, Passphrase, Protection, RecoveryKey};
use tessera_core::{UnixTime, Unlock, Vault, VaultError};
use tessera_push::sealed::{PushStore, PushStoreError};

use crate::failure::CliError;
use crate::input::{self, Input};

/// The unlock secret given with `--passphrase-stdin` or `--recovery-key-stdin`.
pub(crate) enum StdinSecret {
    Passphrase(Passphrase),
    RecoveryKey(RecoveryKey),
}

/// Which secret a command wants when the keychain is not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretKind {
    Passphrase,
    RecoveryKey,
}

/// Options every vault command accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The vault file [default: vault.tessera in the platform data directory, e.g.
    /// ~/.local/share/tessera/]
    #[arg(long, global = true, env = "TESSERA_VAULT", value_name = "PATH")]
    pub(crate) vault: Option<PathBuf>,
    /// Open the vault with the passphrase on the first line of standard input (for `init` and a
    /// restore into a new vault: the new vault's passphrase).
    #[arg(long, global = true, conflicts_with = "recovery_key_stdin")]
    pub(crate) passphrase_stdin: bool,
    /// Open the vault with the recovery key on the first line of standard input.
    #[arg(long, global = true)]
    pub(crate) recovery_key_stdin: bool,
    /// Keychain service name (tests use their own, so they never touch the real entries).
    #[arg(long, global = true, hide = true, env = "TESSERA_KEYCHAIN_SERVICE")]
    pub(crate) keychain_service: Option<String>,
    /// Seconds this login session keeps the keychain secret in the kernel keyring after a
    /// look-up, so the next commands skip the keychain (Linux; 0: never; `tessera lock` forgets
    /// it now).
    #[arg(long, global = true, env = "TESSERA_KEY_CACHE_SECONDS", value_name = "SECONDS",
          default_value_t = tessera_core::keystore::SESSION_CACHE_TTL_SECONDS)]
    pub(crate) key_cache_seconds: u32,
}

pub(crate) struct Session {
    path: PathBuf,
    keychain: SessionCache<OsKeyStore>,
    stdin_secret: Option<StdinSecret>,
    pub(crate) input: Input,
}

impl Session {
    /// Resolves the vault path and keychain, and reads the unlock secret from stdin first if
    /// one of the `--*-stdin` options asks for it (it is the first line by convention).
    pub(crate) fn new(global: &GlobalArgs) -> anyhow::Result<Self> {
        let path = match &global.vault {
            Some(path) => path.clone(),
            None => tessera_core::vault::default_vault_path().ok_or(CliError::NoVaultPath)?,
        };
        let store = match &global.keychain_service {
            Some(service) => OsKeyStore::with_service(service.clone()),
            None => OsKeyStore::for_this_build(),
        };
        let scope = store.service().to_owned();
        let keychain = SessionCache::new(store, scope, global.key_cache_seconds);
        let mut input = Input::new();
        let stdin_secret = if global.passphrase_stdin {
            Some(StdinSecret::Passphrase(input.passphrase("passphrase")?))
        } else if global.recovery_key_stdin {
            let line = input.line("recovery key")?;
            Some(StdinSecret::RecoveryKey(RecoveryKey::parse(&line)?))
        } else {
            None
        };
        Ok(Self {
            path,
            keychain,
            stdin_secret,
            input,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Which secret was given on stdin, if any.
    pub(crate) fn stdin_secret_kind(&self) -> Option<SecretKind> {
        self.stdin_secret.as_ref().map(|secret| match secret {
            StdinSecret::Passphrase(_) => SecretKind::Passphrase,
            StdinSecret::RecoveryKey(_) => SecretKind::RecoveryKey,
        })
    }

    pub(crate) fn keychain(&self) -> &SessionCache<OsKeyStore> {
        &self.keychain
    }

    /// The passphrase given with `--passphrase-stdin` (for a new vault), if any.
    pub(crate) fn take_stdin_passphrase(&mut self) -> anyhow::Result<Option<Passphrase>> {
        match self.stdin_secret.take() {
            None => Ok(None),
            Some(StdinSecret::Passphrase(passphrase)) => Ok(Some(passphrase)),
            Some(StdinSecret::RecoveryKey(_)) => Err(CliError::UnlockConflict(
                "a new vault has no recovery key yet: use --passphrase-stdin to give it a passphrase",
            )
            .into()),
        }
    }

    /// Opens the vault: with the secret from stdin if one was given, else silently with the
    /// keychain; when the keychain cannot open it, asks on the terminal or says what to pass.
    pub(crate) fn open(&mut self) -> anyhow::Result<Vault> {
        let path = self.path.clone();
        self.open_at(&path)
    }

    /// Opens the push key store (the push tokens and the activity log, beside the vault): through
    /// its own keychain entry when it has one, else by opening the vault, which makes the store
    /// the first time and moves the tokens older versions kept in the vault into it.
    pub(crate) fn open_push_store(&mut self) -> anyhow::Result<PushStore> {
        if self.stdin_secret.is_none() {
            match PushStore::open_with_keychain(&self.path, &self.keychain) {
                Ok(store) => return Ok(store),
                Err(PushStoreError::Missing | PushStoreError::NeedsVault(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let mut vault = self.open()?;
        let now = crate::output::now(None)?;
        Ok(PushStore::open_from_vault(
            &mut vault,
            Some(&self.keychain),
            now,
        )?)
    }

    /// [`Session::open_push_store`] for answering sign-ins: also says whether the user proved a
    /// vault secret (the vault's settings, then), which decides when an approval needs "it's me".
    pub(crate) fn open_push_store_for_answers(&mut self) -> anyhow::Result<OpenedPushStore> {
        if self.stdin_secret.is_none() {
            match PushStore::open_with_keychain(&self.path, &self.keychain) {
                Ok(store) => {
                    return Ok(OpenedPushStore {
                        store,
                        vault_settings: None,
                    });
                }
                Err(PushStoreError::Missing | PushStoreError::NeedsVault(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let mut vault = self.open()?;
        let now = crate::output::now(None)?;
        let store = PushStore::open_from_vault(&mut vault, Some(&self.keychain), now)?;
        // Opened silently through the keychain proves nothing either.
        let proven = self.stdin_secret.is_some() || !vault.has_keychain_slot();
        Ok(OpenedPushStore {
            store,
            vault_settings: proven.then(|| vault.settings().clone()),
        })
    }

    /// The vault, when opening it needs nobody: with the secret given on stdin, or silently
    /// through the keychain. `None` when there is no vault file or opening would have to ask:
    /// for commands that only read or note something in the vault on the side (`tessera
    /// account disable` reading and remembering the server).
    pub(crate) fn open_if_silent(&mut self) -> anyhow::Result<Option<Vault>> {
        if !self.path.exists() {
            return Ok(None);
        }
        if let Some(secret) = &self.stdin_secret {
            let vault = open_with(&self.path, secret)?;
            vault.check_keychain(&self.keychain)?;
            return Ok(Some(vault));
        }
        Ok(Vault::open(&self.path, Unlock::Keychain(&self.keychain)).ok())
    }

    /// A read-only [`Glance`] at the vault when the keychain opens it silently; `None` when
    /// opening needs a secret from the user, which [`Session::open`] then asks for (once).
    pub(crate) fn glance_silently(&self) -> anyhow::Result<Option<Glance>> {
        if self.stdin_secret.is_some() {
            return Ok(None);
        }
        match Glance::open(&self.path, Unlock::Keychain(&self.keychain)) {
            Ok(glance) => Ok(Some(glance)),
            Err(error) if error.needs_other_unlock() => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// [`Session::open`] for another vault file (a kept backup of this one).
    ///
    /// A vault opened with a passphrase or recovery key is checked against the keychain's pin
    /// too ([`Vault::check_keychain`]): an older copy or a forgery put in the vault's place
    /// opens with the secrets it was made for, and must not be taken for the vault.
    pub(crate) fn open_at(&mut self, path: &Path) -> anyhow::Result<Vault> {
        if let Some(secret) = &self.stdin_secret {
            let vault = open_with(path, secret)?;
            vault.check_keychain(&self.keychain)?;
            return Ok(vault);
        }
        let error = match Vault::open(path, Unlock::Keychain(&self.keychain)) {
            Ok(vault) => return Ok(vault),
            Err(error) if error.needs_other_unlock() && Input::is_interactive() => error,
            Err(error) => return Err(error.into()),
        };
        // A vault made without the keychain opens this way every time: no need to say why.
        let bound = !matches!(error, VaultError::NoKeychainSlot);
        if bound {
            eprintln!("{}", crate::sanitize::sanitize(&error.to_string()));
        }
        let vault = open_interactively(path, bound)?;
        vault.check_keychain(&self.keychain)?;
        Ok(vault)
    }

    /// Opens the vault file with the passphrase or recovery key (from stdin, else asked on the
    /// terminal) without the keychain's check: for `restore --this-file`, which keeps a file the
    /// keychain refuses on the user's word.
    pub(crate) fn open_unchecked(&mut self) -> anyhow::Result<Vault> {
        if let Some(secret) = &self.stdin_secret {
            return Ok(open_with(&self.path, secret)?);
        }
        if !Input::is_interactive() {
            return Err(CliError::NotATerminal {
                needed: "the passphrase or recovery key",
                flag: "--recovery-key-stdin (or --passphrase-stdin)",
            }
            .into());
        }
        open_interactively(&self.path, false)
    }

    /// Opens with a secret of `kind`: from stdin if given there, else asked on the terminal.
    /// Used by `unlock`, which must not try the keychain first.
    pub(crate) fn open_with_secret(&mut self, kind: SecretKind) -> anyhow::Result<Vault> {
        if let Some(secret) = self.stdin_secret.take() {
            let given = match secret {
                StdinSecret::Passphrase(_) => SecretKind::Passphrase,
                StdinSecret::RecoveryKey(_) => SecretKind::RecoveryKey,
            };
            if given != kind {
                return Err(CliError::UnlockConflict(
                    "the secret on standard input is not the kind this command was told to use",
                )
                .into());
            }
            return Ok(open_with(&self.path, &secret)?);
        }
        let flag = match kind {
            SecretKind::Passphrase => "--passphrase-stdin",
            SecretKind::RecoveryKey => "--recovery-key-stdin",
        };
        if !Input::is_interactive() {
            let needed = match kind {
                SecretKind::Passphrase => "the passphrase",
                SecretKind::RecoveryKey => "the recovery key",
            };
            return Err(CliError::NotATerminal { needed, flag }.into());
        }
        let mut last = None;
        for _ in 0..3 {
            let secret = match kind {
                SecretKind::Passphrase => {
                    let mut text = input::prompt_hidden("Passphrase: ")?;
                    StdinSecret::Passphrase(Passphrase::new(std::mem::take(&mut *text)))
                }
                SecretKind::RecoveryKey => {
                    let text = input::prompt_hidden("Recovery key: ")?;
                    match RecoveryKey::parse(&text) {
                        Ok(key) => StdinSecret::RecoveryKey(key),
                        Err(error) => {
                            eprintln!("{error}");
                            last = Some(anyhow::Error::new(error));
                            continue;
                        }
                    }
                }
            };
            match open_with(&self.path, &secret) {
                Ok(vault) => return Ok(vault),
                Err(error @ (VaultError::WrongPassphrase | VaultError::WrongRecoveryKey)) => {
                    eprintln!("{error}");
                    last = Some(error.into());
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(last.unwrap_or_else(|| CliError::Cancelled.into()))
    }

    /// Creates a new vault: bound to the keychain unless `no_keychain` or the keychain is not
    /// available; with a passphrase from stdin, the terminal (required without a keychain), or
    /// none. Returns the vault, its recovery key, and whether the keychain is bound.
    pub(crate) fn create(
        &mut self,
        no_keychain: bool,
        now: UnixTime,
    ) -> anyhow::Result<(Vault, RecoveryKey, bool)> {
        let passphrase = self.take_stdin_passphrase()?;
        if !no_keychain {
            let protection = Protection {
                keychain: Some(&self.keychain),
                passphrase: passphrase
                    .as_ref()
                    .map(|passphrase| (passphrase, KdfParams::RECOMMENDED)),
            };
            match Vault::create(&self.path, protection, now) {
                Ok((vault, key)) => return Ok((vault, key, true)),
                Err(VaultError::Keychain(error)) => {
                    eprintln!(
                        "{}\nThe vault is created without it: it opens with its passphrase or \
                         recovery key.",
                        crate::sanitize::sanitize(&error.to_string())
                    );
                }
                Err(error) => return Err(error.into()),
            }
        }
        let passphrase = match passphrase {
            Some(passphrase) => passphrase,
            None if Input::is_interactive() => {
                eprintln!(
                    "Without the system keychain the vault needs a passphrase to open day to day."
                );
                input::prompt_new_passphrase("vault passphrase")?
            }
            None => {
                return Err(CliError::NotATerminal {
                    needed: "a passphrase (the vault is not bound to the system keychain)",
                    flag: "--passphrase-stdin",
                }
                .into());
            }
        };
        let protection = Protection {
            keychain: None,
            passphrase: Some((&passphrase, KdfParams::RECOMMENDED)),
        };
        let (vault, key) = Vault::create(&self.path, protection, now)?;
        Ok((vault, key, false))
    }
}

/// Asks for "passphrase or recovery key" (a recovery key is recognized by its form).
fn open_interactively(path: &Path, bound: bool) -> anyhow::Result<Vault> {
    let mut last: Option<anyhow::Error> = None;
    for _ in 0..3 {
        let mut text = input::prompt_hidden("Recovery key or passphrase: ")?;
        let secret = match RecoveryKey::parse(&text) {
            Ok(key) => StdinSecret::RecoveryKey(key),
            Err(_) => StdinSecret::Passphrase(Passphrase::new(std::mem::take(&mut *text))),
        };
        match open_with(path, &secret) {
            Ok(vault) => {
                if bound {
                    eprintln!(
                        "hint: `tessera unlock --recovery-key` (or --passphrase) binds the \
                         system keychain again so later commands ask for nothing"
                    );
                }
                return Ok(vault);
            }
            Err(
                error @ (VaultError::WrongPassphrase
                | VaultError::WrongRecoveryKey
                | VaultError::NoPassphraseSlot),
            ) => {
                eprintln!("{error}");
                last = Some(error.into());
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err(last.unwrap_or_else(|| CliError::Cancelled.into()))
}

fn open_with(path: &Path, secret: &StdinSecret) -> Result<Vault, VaultError> {
    match secret {
        StdinSecret::Passphrase(passphrase) => Vault::open(path, Unlock::Passphrase(passphrase)),
        StdinSecret::RecoveryKey(key) => Vault::open(path, Unlock::RecoveryKey(key)),
    }
}

/// The push key store, and the vault's settings when the user proved a vault secret.
pub(crate) struct OpenedPushStore {
    pub(crate) store: PushStore,
    pub(crate) vault_settings: Option<tessera_core::vault::Settings>,
}

/// Prints a recovery key once: the key alone on stdout, the notice around it on stderr.
pub(crate) fn show_recovery_key(key: &RecoveryKey) -> anyhow::Result<()> {
    use std::io::Write as _;
    eprintln!("\nYour recovery key (shown this once only; Tessera cannot show it again):\n");
    let text = key.to_display_text();
    let mut out = std::io::stdout().lock();
    writeln!(out, "    {}", text.as_str())?;
    out.flush()?;
    eprintln!(
        "\nWrite it down now and keep it away from this computer. It opens the vault when the \
         system keychain entry is gone\n(new computer, reinstalled system, reset keyring): \
         `tessera unlock --recovery-key`.\n"
    );
    Ok(())
}

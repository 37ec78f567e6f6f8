//! The lock screen's language and theme, kept by Rust outside the vault: the settings hold them
//! too, but the lock screen shows before the vault opens. Not secrets, so a plain file beside
//! the vault (`<vault file>.appearance.json`); the first screen's IPC reply carries them, so the
//! page needs no browser storage (whose first use starts WebKit's network process storage).

use std::path::{Path, PathBuf};

use crate::dto::{AppearanceDto, LanguageDto, ThemeDto};

fn file_of(vault: &Path) -> PathBuf {
    let mut name = vault.file_name().unwrap_or_default().to_os_string();
    name.push(".appearance.json");
    vault.with_file_name(name)
}

/// The remembered appearance; the system's when none is stored or the file is unreadable.
pub(crate) fn load(vault: &Path) -> AppearanceDto {
    std::fs::read(file_of(vault))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(AppearanceDto {
            language: LanguageDto::System,
            theme: ThemeDto::System,
        })
}

/// Stores `appearance` if it differs from the stored one. Best effort: a failure only means the
/// lock screen shows the system's language and theme until the next save.
pub(crate) fn remember(vault: &Path, appearance: AppearanceDto) {
    if load(vault) == appearance {
        return;
    }
    let Ok(text) = serde_json::to_vec(&appearance) else {
        return;
    };
    let file = file_of(vault);
    let partial = file.with_extension("json.tmp");
    // Written beside, then renamed: a crash never leaves half a file to parse.
    if std::fs::write(&partial, text).is_ok() && std::fs::rename(&partial, &file).is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_beside_the_vault_and_defaults_to_the_system() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.tessera");
        let system = AppearanceDto {
            language: LanguageDto::System,
            theme: ThemeDto::System,
        };
        assert_eq!(load(&vault), system);
        let chosen = AppearanceDto {
            language: LanguageDto::Fr,
            theme: ThemeDto::Dark,
        };
        remember(&vault, chosen);
        assert_eq!(load(&vault), chosen);
        assert!(dir.path().join("vault.tessera.appearance.json").is_file());
        std::fs::write(
            dir.path().join("vault.tessera.appearance.json"),
            b"{not json",
        )
        .unwrap();
        assert_eq!(load(&vault), system);
    }
}

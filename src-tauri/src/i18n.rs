//! Every text Rust shows itself, in the app's language: the tray menu, desktop notifications
//! and the reasons the OS verification dialog gives. (The window's texts are the UI's.)

use crate::dto::{LanguageDto, SettingsDto};

/// The tray's language: the setting, else the system's (`LANG` and friends).
pub(crate) fn language_of(settings: Option<&SettingsDto>) -> Language {
    match settings.map(|settings| settings.language) {
        Some(LanguageDto::Fr) => Language::Fr,
        Some(LanguageDto::En) => Language::En,
        _ => {
            let system = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()));
            if system.is_some_and(|value| value.starts_with("fr")) {
                Language::Fr
            } else {
                Language::En
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    En,
    Fr,
}

/// The tray menu's texts.
pub(crate) struct TrayText {
    pub(crate) toggle: &'static str,
    pub(crate) lock: &'static str,
    pub(crate) quit: &'static str,
}

pub(crate) fn tray_text(language: Language) -> TrayText {
    match language {
        Language::En => TrayText {
            toggle: "Show or hide Tessera",
            lock: "Lock",
            quit: "Quit",
        },
        Language::Fr => TrayText {
            toggle: "Afficher ou masquer Tessera",
            lock: "Verrouiller",
            quit: "Quitter",
        },
    }
}

/// The heading of the desktop notification for a new sign-in request.
pub(crate) fn prompt_heading(language: Language) -> &'static str {
    match language {
        Language::Fr => "Demande de connexion",
        Language::En => "Sign-in request",
    }
}

/// What the OS verification dialog says it is for.
pub(crate) fn verification_reason(language: Language, approve_title: Option<&str>) -> String {
    match (approve_title, language) {
        (Some(title), Language::Fr) => format!("Approuver la connexion « {title} »"),
        (Some(title), Language::En) => format!("Approve the sign-in “{title}”"),
        (None, Language::Fr) => "Déverrouiller Tessera".to_owned(),
        (None, Language::En) => "Unlock Tessera".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tray_texts_exist_in_both_languages_and_differ() {
        let (en, fr) = (tray_text(Language::En), tray_text(Language::Fr));
        for (a, b) in [
            (en.toggle, fr.toggle),
            (en.lock, fr.lock),
            (en.quit, fr.quit),
        ] {
            assert!(!a.is_empty() && !b.is_empty());
            assert_ne!(a, b);
        }
    }
}

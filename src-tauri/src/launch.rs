//! What the app is started with: `--uri <otpauth URI>` (repeatable), a bare `otpauth://` argument
//! (how the OS opens a link with the app), `--at-login` (how the Windows login item starts it)
//! and `TESSERA_URIS`.
//!
//! Each URI becomes an "add this account?" offer, exactly like an opened link. Nothing here echoes an argument back, because an argument may be an `otpauth://` URI whose
//! `secret=` must never reach a terminal or a log.

use std::ffi::OsString;

/// The environment variable holding extra URIs, one per line.
pub(crate) const URIS_ENV: &str = "TESSERA_URIS";

/// Where a URI came from, so the UI can point the user at the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UriSource {
    /// A `--uri` argument.
    Argument,
    /// A line of `TESSERA_URIS`.
    Environment,
}

/// One URI as given, with its 1-based position within its source.
pub(crate) struct GivenUri {
    pub(crate) source: UriSource,
    pub(crate) position: u32,
    pub(crate) text: String,
}

/// The argument the Windows login item (the registry's Run key) starts the app with: the app
/// then starts hidden in the tray, as Windows apps started at login do.
pub(crate) const AT_LOGIN_ARG: &str = "--at-login";

/// What the command line asked for.
pub(crate) enum Launch {
    /// Start the app with these URIs (arguments first, then the environment); `at_login`: the
    /// login item started it.
    Run { uris: Vec<GivenUri>, at_login: bool },
    /// Print the usage and exit successfully.
    Help,
}

/// Usage text for `--help` and argument errors.
pub(crate) const USAGE: &str = "\
Usage: tessera-desktop [--uri <otpauth URI>]... [--at-login] [otpauth URI]

Options:
  --uri <URI>   an otpauth:// URI to offer for adding (repeat for several accounts)
  --at-login    start hidden in the tray (how the Windows login item starts Tessera)
  -h, --help    print this help

Environment:
  TESSERA_URIS  more otpauth:// URIs, one per line";

/// A command line that cannot be understood. Positions are 1-based; values are never quoted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum LaunchError {
    #[error("argument {0} is not valid UTF-8")]
    NotUnicode(usize),
    #[error("`--uri` at argument {0} needs a value")]
    MissingValue(usize),
    #[error("argument {0} is not a known option")]
    Unknown(usize),
}

/// Parses the arguments after the program name, and the value of `TESSERA_URIS` if set.
pub(crate) fn parse(
    args: impl IntoIterator<Item = OsString>,
    env_uris: Option<OsString>,
) -> Result<Launch, LaunchError> {
    let mut uris = Vec::new();
    let mut at_login = false;
    let mut args = args
        .into_iter()
        .enumerate()
        .map(|(index, arg)| (index + 1, arg));
    while let Some((index, arg)) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|_| LaunchError::NotUnicode(index))?;
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(Launch::Help),
            // WebKitGTK's WebDriver starts the app with this flag (the end-to-end tests do).
            "--automation" => continue,
            AT_LOGIN_ARG => {
                at_login = true;
                continue;
            }
            "--uri" => {
                let (_, value) = args.next().ok_or(LaunchError::MissingValue(index))?;
                value
                    .into_string()
                    .map_err(|_| LaunchError::NotUnicode(index + 1))?
            }
            other => match other.strip_prefix("--uri=") {
                Some(value) => value.to_owned(),
                None if is_otpauth(other) => other.to_owned(),
                None => return Err(LaunchError::Unknown(index)),
            },
        };
        push(&mut uris, UriSource::Argument, value);
    }
    if let Some(env_uris) = env_uris {
        // A non-UTF-8 variable cannot hold a valid URI; report it as one bad entry rather than
        // ignoring it, so the user sees why their accounts are missing.
        let text = env_uris.to_string_lossy();
        for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
            push(&mut uris, UriSource::Environment, line.to_owned());
        }
    }
    Ok(Launch::Run { uris, at_login })
}

/// A link the OS hands over as a bare argument (the `.desktop` file's `%u`): `otpauth://`, or
/// `pia://` (privacyIDEA push enrollment, also registered).
fn is_otpauth(arg: &str) -> bool {
    arg.get(..10)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://"))
        || arg
            .get(..6)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("pia://"))
}

fn push(uris: &mut Vec<GivenUri>, source: UriSource, text: String) {
    let position = uris.iter().filter(|uri| uri.source == source).count();
    uris.push(GivenUri {
        source,
        // More than u32::MAX arguments cannot be passed to a process.
        position: u32::try_from(position + 1).unwrap_or(u32::MAX),
        text,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn uris(launch: Launch) -> Vec<(UriSource, u32, String)> {
        match launch {
            Launch::Run { uris, .. } => uris
                .into_iter()
                .map(|uri| (uri.source, uri.position, uri.text))
                .collect(),
            Launch::Help => panic!("expected Run"),
        }
    }

    #[test]
    fn arguments_then_environment_lines() {
        let launch = parse(
            args(&["--uri", "otpauth://a", "--uri=otpauth://b"]),
            Some("\n  otpauth://c \r\n\notpauth://d\n".into()),
        )
        .unwrap();
        assert_eq!(
            uris(launch),
            vec![
                (UriSource::Argument, 1, "otpauth://a".to_owned()),
                (UriSource::Argument, 2, "otpauth://b".to_owned()),
                (UriSource::Environment, 1, "otpauth://c".to_owned()),
                (UriSource::Environment, 2, "otpauth://d".to_owned()),
            ]
        );
    }

    #[test]
    fn nothing_given_is_an_empty_run() {
        assert!(uris(parse(args(&[]), None).unwrap()).is_empty());
        assert!(uris(parse(args(&[]), Some(" \n".into())).unwrap()).is_empty());
    }

    #[test]
    fn the_login_item_flag_is_told_apart_from_uris() {
        let started = |list: &[&str]| match parse(args(list), None).unwrap() {
            Launch::Run { uris, at_login } => (uris.len(), at_login),
            Launch::Help => panic!("expected Run"),
        };
        assert_eq!(started(&[]), (0, false));
        assert_eq!(started(&[AT_LOGIN_ARG]), (0, true));
        assert_eq!(started(&["otpauth://a", AT_LOGIN_ARG]), (1, true));
    }

    #[test]
    fn webdriver_flag_is_accepted() {
        let launch = parse(args(&["--automation", "--uri", "otpauth://a"]), None).unwrap();
        assert_eq!(uris(launch).len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn non_unicode_arguments_are_rejected() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![0x2d, 0xff]);
        assert_eq!(
            parse(vec![OsString::from("--uri"), bad], None).err(),
            Some(LaunchError::NotUnicode(2))
        );
    }

    #[test]
    fn a_bare_otpauth_link_is_a_uri() {
        let launch = parse(args(&["OTPAUTH://totp/x?secret=A"]), None).unwrap();
        assert_eq!(uris(launch).len(), 1);
        assert!(parse(args(&["otpauth:/x"]), None).is_err());
    }

    #[test]
    fn help_wins() {
        assert!(matches!(
            parse(args(&["--uri", "x", "-h"]), None),
            Ok(Launch::Help)
        ));
    }

    #[test]
    fn errors_name_positions_never_values() {
        let secret_uri = "totp/x?secret=GEZDGNBVGY3TQOJQ";
        let unknown = parse(args(&["--uri", "a", secret_uri]), None)
            .err()
            .unwrap();
        assert_eq!(unknown, LaunchError::Unknown(3));
        assert!(!unknown.to_string().contains("GEZD"));
        assert_eq!(
            parse(args(&["--uri"]), None).err(),
            Some(LaunchError::MissingValue(1))
        );
    }

    #[test]
    fn bare_push_enrollment_links_are_taken_like_otpauth_ones() {
        let link = "PIA://pipush/PIPU0001?v=1&serial=PIPU0001";
        let given = uris(parse(args(&[link]), None).unwrap());
        assert_eq!(given, [(UriSource::Argument, 1, link.to_owned())]);
    }
}

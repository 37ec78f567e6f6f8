//! Tessera's desktop app: a thin Tauri 2 shell over `tessera-core`.
//!
//! Secrets stay in this process. The webview gets labels, codes, seconds left and error codes
//! through the commands in [`commands`], whose payloads are the types in `dto.rs`.

mod clock;
mod commands;
mod dto;
mod error;
mod launch;
mod state;

use std::process::ExitCode;

use anyhow::Context as _;
use tauri::{App, Builder, Context, Runtime};

use crate::launch::Launch;
use crate::state::AppState;

/// Entry point of the `tessera-desktop` binary.
pub fn run() -> ExitCode {
    let launch = launch::parse(
        std::env::args_os().skip(1),
        std::env::var_os(launch::URIS_ENV),
    );
    let uris = match launch {
        Ok(Launch::Run(uris)) => uris,
        Ok(Launch::Help) => {
            println!("{}", launch::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("tessera-desktop: {error}\n\n{}", launch::USAGE);
            return ExitCode::from(2);
        }
    };
    match start(uris) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tessera-desktop: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn start(uris: Vec<launch::GivenUri>) -> anyhow::Result<()> {
    let now = clock::now().context("reading the clock at startup")?;
    let state = AppState::from_uris(uris, now);
    let app = run_app(Builder::default(), context(), state).context("starting the window")?;
    app.run(|_, _| {});
    Ok(())
}

/// The generated context: config, embedded `ui/dist`, icons and the ACL from `capabilities/`.
fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!()
}

/// Builds the app on any runtime, so tests can pass `tauri::test::mock_builder()`.
pub(crate) fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    state: AppState,
) -> tauri::Result<App<R>> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::accounts::list_codes,
            commands::accounts::list_launch_errors,
        ])
        .build(context)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;
    use tauri::{WebviewWindow, WebviewWindowBuilder};
    use tessera_core::UnixTime;

    use super::*;
    use crate::launch::{GivenUri, UriSource};

    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    /// The real app (config, capabilities, handlers) on the mock runtime.
    fn app_with(uris: &[(UriSource, &str)]) -> App<MockRuntime> {
        let given = uris
            .iter()
            .enumerate()
            .map(|(index, (source, text))| GivenUri {
                source: *source,
                position: u32::try_from(index + 1).unwrap(),
                text: (*text).to_owned(),
            })
            .collect();
        let state = AppState::from_uris(given, UnixTime(1_700_000_000));
        run_app(mock_builder(), context(), state).unwrap()
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

    fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
        get_ipc_response(
            window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::default(),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    #[test]
    fn list_codes_returns_labels_and_codes_but_no_secret() {
        let uri = format!("otpauth://totp/Example:alice?secret={SECRET}&issuer=Example");
        let app = app_with(&[(UriSource::Argument, &uri)]);
        let codes = invoke(&main_window(&app), "list_codes").unwrap();
        let account = &codes["accounts"][0];
        assert_eq!(account["issuer"], json!("Example"));
        assert_eq!(account["name"], json!("alice"));
        assert_eq!(account["kind"], json!("totp"));
        assert_eq!(account["code"].as_str().unwrap().len(), 6);
        let left = account["secondsLeft"].as_u64().unwrap();
        assert!((1..=30).contains(&left));
        // The shell read the clock itself: a real, recent time.
        assert!(codes["now"].as_u64().unwrap() > 1_700_000_000);
        assert!(!codes.to_string().contains(SECRET));
    }

    #[test]
    fn list_launch_errors_reports_rejected_uris() {
        let app = app_with(&[
            (
                UriSource::Environment,
                "otpauth://totp/NoSecret:bob?issuer=NoSecret",
            ),
            (UriSource::Environment, "not a uri"),
        ]);
        let window = main_window(&app);
        let errors = invoke(&window, "list_launch_errors").unwrap();
        let errors = errors.as_array().unwrap();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1]["source"], json!("environment"));
        assert_eq!(errors[1]["position"], json!(2));
        assert_eq!(
            invoke(&window, "list_codes").unwrap()["accounts"],
            json!([])
        );
    }

    #[test]
    fn the_capability_grants_nothing_else() {
        let app = app_with(&[]);
        let window = main_window(&app);
        // Core APIs are not granted: the webview cannot close windows or read app metadata.
        for command in ["plugin:window|close", "plugin:app|version"] {
            let denied = invoke(&window, command).unwrap_err().to_string();
            assert!(denied.contains("not allowed"), "{command}: {denied}");
        }
        assert!(invoke(&window, "no_such_command").is_err());
    }
}

//! `scan FILE…`: what `tessera scan FILE` does, as a standalone command for the whole-process
//! timing beside `zbarimg` (scripts/bench_qr.sh). Prints what each code is, never its text.
#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use tessera_qr::{MAX_FILE_BYTES, Payload, classify, decode_image_bytes};

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for path in std::env::args_os().skip(1) {
        let shown = path.to_string_lossy().into_owned();
        let too_big = std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_FILE_BYTES as u64);
        let result = if too_big {
            Err(format!("larger than {MAX_FILE_BYTES} bytes"))
        } else {
            std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| decode_image_bytes(&bytes).map_err(|e| e.to_string()))
        };
        match result {
            Ok(found) => {
                for text in &found {
                    // EXPOSE: classified to say what the code is; the text is not printed.
                    let kind = match classify(text.expose_secret()) {
                        Ok(Payload::OtpAuth(uri)) => format!("account {}:{}", uri.issuer, uri.name),
                        Ok(Payload::Migration(batch)) => format!(
                            "Google Authenticator export, code {} of {}, {} accounts",
                            batch.info.index + 1,
                            batch.info.size.max(1),
                            batch.entries.len()
                        ),
                        Ok(Payload::PushEnrollment) => "push enrollment (not supported yet)".into(),
                        Ok(Payload::Other { preview }) => format!("other: {preview}"),
                        Ok(_) => "unknown".into(),
                        Err(e) => format!("invalid: {e}"),
                    };
                    println!("{shown}: {kind}");
                }
                if found.is_empty() {
                    println!("{shown}: no QR code found");
                }
            }
            Err(error) => {
                eprintln!("{shown}: {error}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}

// The IPC contract with src-tauri: command names, payloads and error codes, in one file.
//
// Hand-written mirror of src-tauri/src/dto.rs and src-tauri/src/error.rs while the surface is
// two commands. When it grows, generate it instead (into bindings.ts): ts-rs derives TS from the
// DTO structs alone and fits our "DTOs only in dto.rs" rule; tauri-specta also types the command
// signatures but is still a 2.x release candidate. Decision to record in an ADR.

/** `AccountCodeDto`: one account's public face and its current code. */
export interface AccountCode {
  id: string;
  issuer: string;
  name: string;
  kind: 'totp' | 'hotp' | 'steam';
  /** Ungrouped code text, e.g. "123456". */
  code: string;
  /** Seconds until `code` changes, at `Codes.now`; null for HOTP. */
  secondsLeft: number | null;
  /** Time step in seconds; null for HOTP. */
  period: number | null;
}

/** `CodesDto`: every account's code at one instant read by Rust. */
export interface Codes {
  /** Unix seconds at which the codes were computed. */
  now: number;
  accounts: AccountCode[];
}

/** `LaunchErrorDto`: an `otpauth://` URI given at launch that was not added. */
export interface LaunchError {
  source: 'argument' | 'environment';
  /** 1-based position within its source. */
  position: number;
  /** The core's stable `UriError::code()`. */
  code: string;
  /** English explanation, shown only when the code has no translation. */
  message: string;
}

/** `IpcErrorCode` from src-tauri/src/error.rs, plus `unknown` for anything else. */
export const IPC_ERROR_CODES = ['clock', 'unknown'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** A rejected command, normalized by `toIpcError`. */
export interface IpcError {
  code: IpcErrorCode;
  message: string;
}

/** Command names as registered in src-tauri (`generate_handler!`, build.rs, capabilities). */
export const COMMANDS = {
  listCodes: 'list_codes',
  listLaunchErrors: 'list_launch_errors',
} as const;

/** What the UI needs from the backend; the Tauri implementation is in `tauri.ts`, tests fake it. */
export interface Backend {
  listCodes(): Promise<Codes>;
  listLaunchErrors(): Promise<LaunchError[]>;
}

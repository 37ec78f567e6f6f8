// The QR part of the IPC contract (issue 5): a hand-written mirror of the DTOs in
// src-tauri/src/state/qr.rs (whose tests pin the JSON). Nothing here holds a decoded text: the
// webview sees labels, kinds and statuses; push links and secrets stay in Rust.

import type { EnrollStep, PushToken } from './pushContract';

/** What one QR code holds. */
export type QrItemKind = 'account' | 'push' | 'other' | 'invalid';

/**
 * For accounts: `new`, `duplicate` (the vault has it), or `waiting` (its Google Authenticator
 * export has codes not scanned yet). Empty for the other kinds.
 */
export type QrItemStatus = 'new' | 'duplicate' | 'waiting' | '';

/** `QrItemDto`: one line of the result list. */
export interface QrItem {
  /** What `qrAdd` takes. */
  id: number;
  /** `screen:MONITOR`, a file name, or `clipboard`. */
  source: string;
  kind: QrItemKind;
  issuer: string;
  name: string;
  /** `totp`, `hotp`, `steam` for accounts; empty otherwise. */
  otpKind: string;
  status: QrItemStatus;
  /** Accounts from an export: which code of it (1-based) of how many. */
  batch: { id: number; number: number; size: number } | null;
  /** `other`: scheme and host only (`https://example.com`); `invalid`: an error code. */
  detail: string;
}

/** `QrScanDto`: everything held since the last add or dismiss. */
export interface QrScan {
  scanId: string;
  items: QrItem[];
  /** Codes the last scan found (0: say "no QR code found"). */
  found: number;
  /** Exports with codes still to scan: their 1-based numbers. */
  missing: { batchId: number; size: number; numbers: number[] }[];
  /** Sources of the last scan that could not be read. */
  failures: { source: string; error: { code: string; message: string } }[];
}

export interface QrAdded {
  added: number;
  skipped: number;
}

/**
 * Error codes of the QR commands: `tessera_qr::DecodeError`, `ScreenError` and `RenderError`
 * codes (crates/qr).
 */
export const QR_ERROR_CODES = [
  'image_empty',
  'image_file_too_large',
  'frame_size_mismatch',
  'image_malformed',
  'image_memory_limit',
  'image_too_large',
  'image_format_unsupported',
  'screen_capture_cancelled',
  'screen_no_display',
  'screen_not_supported',
  'screen_portal_file',
  'screen_capture_refused',
  'screen_capture_timeout',
  'screen_portal_unavailable',
  'screen_pixel_format_unsupported',
  'screen_x11_failed',
  'qr_data_too_long',
] as const;

export interface QrBackend {
  /** Hides the window, captures every monitor, shows the window; adds what it found. */
  qrScanScreen(): Promise<QrScan>;
  /** The native open dialog (images, the filter named `filterName`); null when it was closed. */
  qrScanPick(filterName: string): Promise<QrScan | null>;
  /** Image files by path: what a drop does (the result also comes as a `qrScanned` event then). */
  qrScanPaths(paths: string[]): Promise<QrScan>;
  /** The image on the clipboard. */
  qrScanClipboard(): Promise<QrScan>;
  /** Adds the picked accounts in one vault write, then forgets the scan. */
  qrAdd(scanId: string, ids: number[]): Promise<QrAdded>;
  qrDismiss(scanId: string): Promise<void>;
  /** Enrolls a scanned push token; its link never leaves Rust. */
  qrEnrollPush(scanId: string, id: number, onProgress: (step: EnrollStep) => void): Promise<PushToken>;
  /** The account's otpauth:// QR code as an SVG document (modules only, no text). */
  accountQrSvg(id: string): Promise<{ svg: string }>;
}

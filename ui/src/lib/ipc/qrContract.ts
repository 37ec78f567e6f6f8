// The QR part of the IPC contract (issue 5). The DTO shapes are generated from
// src-tauri/src/state/qr.rs into `generated.ts` and re-exported here. Nothing here holds a
// decoded text: the webview sees labels, kinds and statuses; push links and secrets stay in Rust.

import type { EnrollStep, PushToken, QrAdded, QrScan, QrSvg } from './generated';

export type {
  QrAdded,
  QrBatch,
  QrFailure,
  QrItem,
  QrItemKind,
  QrItemStatus,
  QrMissing,
  QrScan,
  QrSvg,
} from './generated';

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
  qrEnrollPush(
    scanId: string,
    id: number,
    allowUnverifiedTls: boolean,
    onProgress: (step: EnrollStep) => void,
  ): Promise<PushToken>;
  /** The account's otpauth:// QR code as an SVG document (modules only, no text). */
  accountQrSvg(id: string): Promise<QrSvg>;
}

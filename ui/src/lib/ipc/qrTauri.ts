// The QR commands over Tauri IPC (spread into `tauriBackend`).
import { Channel, invoke } from '@tauri-apps/api/core';
import { COMMANDS } from './contract';
import { call } from './errors';
import type { EnrollStep, PushToken } from './pushContract';
import type { QrAdded, QrBackend, QrScan, QrSvg } from './qrContract';

export const tauriQr: QrBackend = {
  qrScanScreen: () => call(() => invoke<QrScan>(COMMANDS.qrScanScreen)),
  qrScanPick: (filterName) => call(() => invoke<QrScan | null>(COMMANDS.qrScanPick, { filterName })),
  qrScanPaths: (paths) => call(() => invoke<QrScan>(COMMANDS.qrScanPaths, { paths })),
  qrScanClipboard: () => call(() => invoke<QrScan>(COMMANDS.qrScanClipboard)),
  qrAdd: (scanId, ids) => call(() => invoke<QrAdded>(COMMANDS.qrAdd, { scanId, ids })),
  qrDismiss: (scanId) => call(() => invoke<void>(COMMANDS.qrDismiss, { scanId })),
  qrEnrollPush: (scanId, id, allowUnverifiedTls, onProgress) =>
    call(() =>
      invoke<PushToken>(COMMANDS.qrEnrollPush, {
        scanId,
        id,
        allowUnverifiedTls,
        onProgress: new Channel<EnrollStep>(onProgress),
      }),
    ),
  accountQrSvg: (id) => call(() => invoke<QrSvg>(COMMANDS.accountQrSvg, { id })),
};

// The only module that imports @tauri-apps/api: everything else talks to `Backend`.
import { Channel, invoke } from '@tauri-apps/api/core';
import {
  COMMANDS,
  type AccountView,
  type Accounts,
  type Backend,
  type BackendEventDto,
  type Copied,
  type Created,
  type Deleted,
  type Exported,
  type FirstScreen,
  type ImportOpened,
  type ImportPreview,
  type ImportProgress,
  type ImportSummary,
  type MigrationQr,
  type SettingsView,
  type UriPreview,
  type VaultStatus,
} from './contract';
import { call, normalizeEvent } from './errors';
import type { PushEvent } from './pushContract';
import { tauriPush } from './pushTauri';
import { tauriQr } from './qrTauri';
import { tauriSelfService } from './selfserviceTauri';

export const tauriBackend: Backend = {
  ...tauriPush,
  ...tauriQr,
  ...tauriSelfService,
  // Events come on channels of our own command, so the webview needs no `core:event`
  // permission (which would also let it listen to the deep-link plugin's whole URIs).
  firstScreen: async (onEvent, onPushEvent) => {
    let active = true;
    const channel = new Channel<BackendEventDto>((event) => {
      if (active) onEvent(normalizeEvent(event));
    });
    const pushChannel = new Channel<PushEvent>((event) => {
      if (active) onPushEvent(event);
    });
    const first = await call(() => invoke<FirstScreen>(COMMANDS.firstScreen, { channel, pushChannel }));
    return {
      first,
      unsubscribe: () => {
        active = false;
      },
    };
  },
  vaultStatus: () => call(() => invoke<VaultStatus>(COMMANDS.vaultStatus)),
  createVault: (passphrase) =>
    call(() => invoke<Created>(COMMANDS.createVault, { passphrase })),
  unlockVault: (how) => call(() => invoke<VaultStatus>(COMMANDS.unlockVault, { how })),
  lockVault: () => call(() => invoke<VaultStatus>(COMMANDS.lockVault)),
  rebindKeychain: () => call(() => invoke<VaultStatus>(COMMANDS.rebindKeychain)),
  keepKeychainOut: () => call(() => invoke<VaultStatus>(COMMANDS.keepKeychainOut)),
  listAccounts: () => call(() => invoke<Accounts>(COMMANDS.listAccounts)),
  addAccountUri: (uri) => call(() => invoke<AccountView>(COMMANDS.addAccountUri, { uri })),
  addAccountForm: (form) => call(() => invoke<AccountView>(COMMANDS.addAccountForm, { form })),
  updateAccount: (id, patch) =>
    call(() => invoke<AccountView>(COMMANDS.updateAccount, { id, patch })),
  deleteAccount: (id) => call(() => invoke<Deleted>(COMMANDS.deleteAccount, { id })),
  undoDelete: (undoToken) => call(() => invoke<AccountView>(COMMANDS.undoDelete, { undoToken })),
  reorderAccounts: (ids) => call(() => invoke<void>(COMMANDS.reorderAccounts, { ids })),
  nextHotpCode: (id) => call(() => invoke<AccountView>(COMMANDS.nextHotpCode, { id })),
  copyCode: (id) => call(() => invoke<Copied>(COMMANDS.copyCode, { id })),
  getSettings: () => call(() => invoke<SettingsView>(COMMANDS.getSettings)),
  updateSettings: (settings) =>
    call(() => invoke<SettingsView>(COMMANDS.updateSettings, { settings })),
  pendingDeepLink: () => call(() => invoke<UriPreview | null>(COMMANDS.pendingDeepLink)),
  confirmDeepLink: (id) => call(() => invoke<AccountView>(COMMANDS.confirmDeepLink, { id })),
  dismissDeepLink: (id) => call(() => invoke<void>(COMMANDS.dismissDeepLink, { id })),
  reportActivity: () => call(() => invoke<void>(COMMANDS.reportActivity)),
  importPick: () => call(() => invoke<ImportOpened | null>(COMMANDS.importPick)),
  importOpenPaths: (paths) => call(() => invoke<ImportOpened>(COMMANDS.importOpenPaths, { paths })),
  importUnlock: (importId, password, onProgress) =>
    call(() =>
      invoke<ImportPreview>(COMMANDS.importUnlock, {
        importId,
        password,
        onProgress: new Channel<ImportProgress>(onProgress),
      }),
    ),
  importCommit: (importId, selected) =>
    call(() => invoke<ImportSummary>(COMMANDS.importCommit, { importId, selected })),
  importCancel: (importId) => call(() => invoke<void>(COMMANDS.importCancel, { importId })),
  exportSave: (request, path) =>
    call(() => invoke<Exported | null>(COMMANDS.exportSave, { ...request, path: path ?? null })),
  exportMigrationQr: (index) => call(() => invoke<MigrationQr>(COMMANDS.exportMigrationQr, { index })),
};

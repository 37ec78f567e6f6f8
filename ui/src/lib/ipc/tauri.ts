// The only module that imports @tauri-apps/api: everything else talks to `Backend`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import {
  COMMANDS,
  EVENT_NAME,
  type AccountView,
  type Accounts,
  type Backend,
  type BackendEvent,
  type Codes,
  type LaunchError,
  type LegacyBackend,
  type SettingsView,
  type UriPreview,
  type VaultStatus,
} from './contract';
import { call } from './errors';

export const tauriBackend: Backend & LegacyBackend = {
  vaultStatus: () => call(() => invoke<VaultStatus>(COMMANDS.vaultStatus)),
  createVault: (passphrase) =>
    call(() => invoke<{ recoveryKey: string }>(COMMANDS.createVault, { passphrase })),
  unlockVault: (how) => call(() => invoke<VaultStatus>(COMMANDS.unlockVault, { how })),
  lockVault: () => call(() => invoke<VaultStatus>(COMMANDS.lockVault)),
  listAccounts: () => call(() => invoke<Accounts>(COMMANDS.listAccounts)),
  addAccountUri: (uri) => call(() => invoke<AccountView>(COMMANDS.addAccountUri, { uri })),
  addAccountForm: (form) => call(() => invoke<AccountView>(COMMANDS.addAccountForm, { form })),
  updateAccount: (id, patch) =>
    call(() => invoke<AccountView>(COMMANDS.updateAccount, { id, patch })),
  deleteAccount: (id) => call(() => invoke<{ undoToken: string }>(COMMANDS.deleteAccount, { id })),
  undoDelete: (undoToken) => call(() => invoke<AccountView>(COMMANDS.undoDelete, { undoToken })),
  reorderAccounts: (ids) => call(() => invoke<void>(COMMANDS.reorderAccounts, { ids })),
  nextHotpCode: (id) => call(() => invoke<AccountView>(COMMANDS.nextHotpCode, { id })),
  copyCode: (id) => call(() => invoke<{ clearAfterSecs: number }>(COMMANDS.copyCode, { id })),
  getSettings: () => call(() => invoke<SettingsView>(COMMANDS.getSettings)),
  updateSettings: (settings) =>
    call(() => invoke<SettingsView>(COMMANDS.updateSettings, { settings })),
  pendingDeepLink: () => call(() => invoke<UriPreview | null>(COMMANDS.pendingDeepLink)),
  confirmDeepLink: () => call(() => invoke<AccountView>(COMMANDS.confirmDeepLink)),
  dismissDeepLink: () => call(() => invoke<void>(COMMANDS.dismissDeepLink)),
  reportActivity: () => call(() => invoke<void>(COMMANDS.reportActivity)),
  onEvent: (handler) =>
    call(() => listen<BackendEvent>(EVENT_NAME, (event) => handler(event.payload))),
  listCodes: () => call(() => invoke<Codes>(COMMANDS.listCodes)),
  listLaunchErrors: () => call(() => invoke<LaunchError[]>(COMMANDS.listLaunchErrors)),
};

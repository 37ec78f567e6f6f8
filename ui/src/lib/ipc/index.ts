export type {
  AccountForm,
  AccountPatch,
  AccountView,
  Accounts,
  Algorithm,
  Backend,
  BackendEvent,
  FormField,
  IpcError,
  IpcErrorCode,
  Language,
  OtpKind,
  SettingsView,
  Theme,
  UnlockMethod,
  UriPreview,
  VaultState,
  VaultStatus,
} from './contract';
export { COMMANDS, IPC_ERROR_CODES } from './contract';
export { toIpcError } from './errors';

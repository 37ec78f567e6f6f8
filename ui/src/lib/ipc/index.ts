export type { AccountCode, Backend, Codes, IpcError, IpcErrorCode, LaunchError } from './contract';
export { toIpcError } from './errors';

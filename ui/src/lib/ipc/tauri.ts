// The only module that imports @tauri-apps/api: everything else talks to `Backend`.
import { invoke } from '@tauri-apps/api/core';
import { COMMANDS, type Backend, type Codes, type LaunchError } from './contract';
import { call } from './errors';

export const tauriBackend: Backend = {
  listCodes: () => call(() => invoke<Codes>(COMMANDS.listCodes)),
  listLaunchErrors: () => call(() => invoke<LaunchError[]>(COMMANDS.listLaunchErrors)),
};

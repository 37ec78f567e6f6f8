// The self-service commands over Tauri IPC (spread into `tauriBackend`).
import { invoke } from '@tauri-apps/api/core';
import { COMMANDS } from './contract';
import { call } from './errors';
import type {
  BackupCodes,
  Enrolled,
  Factor,
  SelfServiceBackend,
  SelfServiceStatus,
  SelfServiceStep,
} from './selfserviceContract';

export const tauriSelfService: SelfServiceBackend = {
  selfserviceConnect: (form) => call(() => invoke<SelfServiceStep>(COMMANDS.selfserviceConnect, { ...form })),
  selfserviceAnswer: (answer) => call(() => invoke<SelfServiceStep>(COMMANDS.selfserviceAnswer, { answer })),
  selfserviceStatus: () => call(() => invoke<SelfServiceStatus>(COMMANDS.selfserviceStatus)),
  selfserviceFactors: () => call(() => invoke<Factor[]>(COMMANDS.selfserviceFactors)),
  selfserviceEnroll: (kind) => call(() => invoke<Enrolled>(COMMANDS.selfserviceEnroll, { kind })),
  selfserviceTokenAction: (serial, action) =>
    call(() => invoke<void>(COMMANDS.selfserviceTokenAction, { serial, action })),
  selfserviceResync: (serial, codes) => call(() => invoke<void>(COMMANDS.selfserviceResync, { serial, codes })),
  selfserviceBackupCodes: (count) => call(() => invoke<BackupCodes>(COMMANDS.selfserviceBackupCodes, { count })),
  selfserviceSignOut: () => call(() => invoke<void>(COMMANDS.selfserviceSignOut)),
};

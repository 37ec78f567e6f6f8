// The push commands over Tauri IPC (spread into `tauriBackend`).
import { Channel, invoke } from '@tauri-apps/api/core';
import { COMMANDS } from './contract';
import { call } from './errors';
import type {
  EnrollStep,
  PushActivityEntry,
  PushAnswer,
  PushBackend,
  PushStatus,
  PushToken,
} from './pushContract';

export const tauriPush: PushBackend = {
  enrollPush: (uri, allowUnverifiedTls, onProgress) =>
    call(() =>
      invoke<PushToken>(COMMANDS.enrollPush, { uri, allowUnverifiedTls, onProgress: new Channel<EnrollStep>(onProgress) }),
    ),
  enrollPushLink: (allowUnverifiedTls, onProgress) =>
    call(() =>
      invoke<PushToken>(COMMANDS.enrollPushLink, { allowUnverifiedTls, onProgress: new Channel<EnrollStep>(onProgress) }),
    ),
  dismissPushLink: () => call(() => invoke<void>(COMMANDS.dismissPushLink)),
  listPushTokens: () => call(() => invoke<PushToken[]>(COMMANDS.listPushTokens)),
  renamePushToken: (id, label) => call(() => invoke<void>(COMMANDS.renamePushToken, { id, label })),
  removePushToken: (id) => call(() => invoke<void>(COMMANDS.removePushToken, { id })),
  pushStatus: () => call(() => invoke<PushStatus>(COMMANDS.pushStatus)),
  answerPush: (nonce, decision, standIn) =>
    call(() => invoke<PushAnswer>(COMMANDS.answerPush, standIn === undefined ? { nonce, decision } : { nonce, decision, standIn })),
  denyAllPush: (reason) => call(() => invoke<PushAnswer[]>(COMMANDS.denyAllPush, { reason })),
  useServerTime: (enabled) => call(() => invoke<PushStatus>(COMMANDS.useServerTime, { enabled })),
  checkPushNow: () => call(() => invoke<void>(COMMANDS.checkPushNow)),
  pushActivity: () => call(() => invoke<PushActivityEntry[]>(COMMANDS.pushActivity)),
};

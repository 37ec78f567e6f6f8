// The one call recorder the in-memory fakes share (vitest and `npm run dev`): every feature fake
// (vaultFake, transferFake, pushFake, qrFake, selfserviceFake) records its commands here, and
// `FakeBackend` (fake.ts) shows them to tests as `calls` and `failNext`.

import type { IpcError, IpcErrorCode } from './contract';

/** A rejected command as Rust sends it (after `toIpcError`). */
export const fail = (code: IpcErrorCode, message: string, field?: IpcError['field']): IpcError =>
  field === undefined ? { code, message } : { code, message, field };

export class CallRecorder {
  /**
   * Every command called, by method name, in order. Arguments that would be secrets
   * (passwords, account secrets, URIs) are recorded as placeholders. Polled reads
   * (`pushStatus`, `listPushTokens`, `pushActivity`, `selfserviceStatus`) are not recorded.
   */
  calls: { method: string; args: unknown[] }[] = [];
  /** Fails the next call of a method once. */
  failNext = new Map<string, IpcError>();

  /** Records a call; throws the failure set for it with `failNext`, if any. */
  record(method: string, args: unknown[] = []): void {
    this.calls.push({ method, args });
    const failure = this.failNext.get(method);
    if (failure !== undefined) {
      this.failNext.delete(method);
      throw failure;
    }
  }
}

import { describe, expect, it } from 'vitest';
import { COMMANDS } from './contract';
import { FakeBackend } from './fake';

describe('FakeBackend', () => {
  it('has every command of the contract, from one of its feature fakes', () => {
    const backend = new FakeBackend() as unknown as Record<string, unknown>;
    const methods = Object.keys(COMMANDS);
    expect(methods.filter((name) => typeof backend[name] !== 'function')).toEqual([]);
  });

  it('records the calls of every feature on one recorder, in order', async () => {
    const backend = new FakeBackend({ state: 'unlocked' });
    await backend.listAccounts();
    await backend.checkPushNow();
    await backend.qrDismiss('scan-1');
    await backend.importCancel('import-1');
    await backend.selfserviceSignOut();
    expect(backend.calls.map((call) => call.method)).toEqual([
      'listAccounts',
      'checkPushNow',
      'qrDismiss',
      'importCancel',
      'selfserviceSignOut',
    ]);
  });

  it('fails the next call of any feature once', async () => {
    const backend = new FakeBackend();
    backend.failNext.set('removePushToken', { code: 'push_network', message: 'down' });
    await expect(backend.removePushToken('x')).rejects.toEqual({ code: 'push_network', message: 'down' });
    await expect(backend.removePushToken('x')).rejects.toMatchObject({ code: 'not_found' });
  });
});

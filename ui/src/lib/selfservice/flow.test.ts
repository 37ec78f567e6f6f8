import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../ipc/fake';
import type { Factor } from '../ipc';
import { ResetMfaFlow, casesFor, lockedFactors, lostCandidates, offers, resyncable } from './flow.svelte';

const factor = (over: Partial<Factor>): Factor => ({
  serial: 'TOTP0001',
  kind: 'totp',
  description: '',
  status: 'active',
  failcount: 0,
  maxfail: 10,
  lastUsed: null,
  remainingCodes: null,
  here: null,
  accountId: null,
  ...over,
});

const FORM = { server: 'https://pi.example.com', user: 'alice', realm: null, password: 'secret', verifyTls: true };

describe('self-service cases', () => {
  it('offers only what the rights and the state allow', () => {
    const all = ['disable', 'enable', 'delete', 'reset', 'resync'] as const;
    const active = factor({});
    expect(all.filter((a) => offers(active, a, [...all]))).toEqual(['disable', 'delete', 'resync']);
    const locked = factor({ status: 'locked', failcount: 10 });
    expect(all.filter((a) => offers(locked, a, [...all]))).toEqual(['disable', 'delete', 'reset', 'resync']);
    expect(offers(factor({ status: 'disabled' }), 'enable', [...all])).toBe(true);
    expect(offers(factor({ kind: 'push' }), 'resync', [...all])).toBe(false);
    expect(offers(active, 'disable', ['delete'])).toBe(false);
  });

  it('sorts factors into the recovery cases', () => {
    const factors = [
      factor({ serial: 'HERE', here: 'account' }),
      factor({ serial: 'LOST' }),
      factor({ serial: 'PUSH', kind: 'push', failcount: 2 }),
      factor({ serial: 'TAN', kind: 'tan' }),
      factor({ serial: 'GONE', status: 'revoked' }),
    ];
    expect(lostCandidates(factors).map((f) => f.serial)).toEqual(['LOST', 'PUSH']);
    expect(lockedFactors(factors).map((f) => f.serial)).toEqual(['PUSH']);
    expect(resyncable(factors).map((f) => f.serial)).toEqual(['HERE', 'LOST']);
  });

  it('offers a case only when one of its rights is granted', () => {
    expect(casesFor([])).toEqual(['factors']);
    expect(casesFor(['enrollTOTP'])).toEqual(['factors', 'lost']);
    expect(casesFor(['reset', 'resync', 'enrollTAN'])).toEqual(['factors', 'locked', 'rejected', 'backup']);
  });
});

describe('ResetMfaFlow', () => {
  it('signs in, lists, enrolls into the vault and recovers a lost device', async () => {
    const backend = new FakeBackend();
    backend.selfservice.factors.push(factor({ serial: 'OLDPHONE' }));
    const flow = new ResetMfaFlow(backend);
    await flow.connect({ ...FORM, password: 'wrong' });
    expect(flow.error?.code).toBe('selfservice_bad_credentials');
    expect(flow.screen).toBe('connect');
    await flow.connect(FORM);
    expect(flow.screen).toBe('signedIn');
    expect(flow.error).toBeNull();
    expect(flow.factors?.map((f) => f.serial)).toEqual(['OLDPHONE']);
    expect(flow.cases).toEqual(['factors', 'lost', 'locked', 'rejected', 'backup']);
    // The password never reaches the call log.
    expect(JSON.stringify(backend.calls)).not.toContain('secret');

    expect(await flow.act('OLDPHONE', 'disable')).toBe(true);
    expect(flow.done).toEqual({ key: 'selfservice.done.disable', serial: 'OLDPHONE' });
    expect(flow.factors?.[0]?.status).toBe('disabled');
    expect(await flow.enroll('totp')).toBe(true);
    expect(flow.done?.key).toBe('selfservice.done.enrolled');
    const added = flow.factors?.find((f) => f.here === 'account');
    expect(added?.kind).toBe('totp');
    const accounts = await backend.listAccounts();
    expect(accounts.accounts.map((a) => a.id)).toContain(added?.accountId);
    expect(await flow.act('OLDPHONE', 'delete')).toBe(true);
    expect(lostCandidates(flow.factors ?? [])).toEqual([]);
  });

  it('completes a second factor with a code from Tessera or a typed backup code', async () => {
    const backend = new FakeBackend();
    backend.selfservice.secondFactor = [
      { serial: 'HOTP0001', kind: 'hotp', here: true },
      { serial: 'PITN0001', kind: 'tan', here: false },
    ];
    const flow = new ResetMfaFlow(backend);
    await flow.connect(FORM);
    expect(flow.screen).toBe('secondFactor');
    expect(flow.challenges.filter((c) => c.here).map((c) => c.serial)).toEqual(['HOTP0001']);
    await flow.answer({ method: 'code', code: '999999' });
    expect(flow.error?.code).toBe('selfservice_bad_credentials');
    expect(flow.screen).toBe('secondFactor');
    await flow.answer({ method: 'tessera', serial: 'HOTP0001' });
    expect(flow.screen).toBe('signedIn');

    await flow.signOut();
    expect(flow.screen).toBe('connect');
    await flow.connect(FORM);
    await flow.answer({ method: 'code', code: '123456' });
    expect(flow.screen).toBe('signedIn');
  });

  it('shows backup codes once, resets, resyncs, and refuses what rights do not allow', async () => {
    const backend = new FakeBackend();
    backend.selfservice.factors.push(factor({ serial: 'LOCKED', status: 'locked', failcount: 10 }));
    backend.selfservice.rights = ['reset', 'enrollTAN'];
    const flow = new ResetMfaFlow(backend);
    await flow.connect(FORM);
    expect(flow.cases).toEqual(['factors', 'locked', 'backup']);
    expect(flow.canEnroll('totp')).toBe(false);
    await flow.createBackupCodes(5);
    expect(flow.backupCodes?.codes).toHaveLength(5);
    flow.forgetBackupCodes();
    expect(flow.backupCodes).toBeNull();
    expect(await flow.act('LOCKED', 'reset')).toBe(true);
    expect(flow.factors?.find((f) => f.serial === 'LOCKED')?.failcount).toBe(0);
    expect(await flow.resync('LOCKED', { method: 'typed', first: '123456', second: '654321' })).toBe(false);
    expect(flow.error?.code).toBe('selfservice_not_allowed');
  });

  it('forgets a push wait the user cancelled', async () => {
    const backend = new FakeBackend();
    backend.selfservice.secondFactor = [{ serial: 'PIPU0001', kind: 'push', here: false }];
    const flow = new ResetMfaFlow(backend);
    await flow.connect(FORM);
    expect(flow.pushChallenged).toBe(true);
    let late: (error: unknown) => void = () => {};
    backend.selfserviceAnswer = () => new Promise((_, reject) => (late = reject));
    const waiting = flow.answer({ method: 'push' });
    await flow.signOut();
    late({ code: 'selfservice_signed_out', message: 'stale' });
    await waiting;
    expect(flow.screen).toBe('connect');
    expect(flow.error).toBeNull();
  });

  it('goes back to sign-in when the vault was locked meanwhile', async () => {
    const backend = new FakeBackend();
    const flow = new ResetMfaFlow(backend);
    await flow.connect(FORM);
    await backend.lockVault();
    await backend.unlockVault({ method: 'keychain', interactive: true });
    await flow.refresh();
    expect(flow.error?.code).toBe('selfservice_signed_out');
    expect(flow.screen).toBe('connect');
    expect(flow.session).toBeNull();
    // Resuming finds no session either, but remembers where to sign in (no password).
    await flow.resume();
    expect(flow.screen).toBe('connect');
    expect(flow.last).toEqual({ server: 'https://pi.example.com/', user: 'alice', realm: 'default', verifyTls: true, codeWithPassword: false });
  });
});

import { describe, expect, it } from 'vitest';
import { FakeBackend, type FakeImportFile } from '../ipc/fake';
import type { AccountForm } from '../ipc';
import { ImportWizard, countItems, defaultSelection } from './importWizard.svelte';

const totp = (issuer: string, secret: string): AccountForm => ({
  issuer,
  name: 'alice',
  secret,
  kind: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
});

const FILE: FakeImportFile = {
  format: 'aegis',
  password: 'test',
  entries: [totp('GitHub', 'JBSWY3DPEHPK3PXP'), totp('Proton', 'KRSXG5CTMVRXEZLU'), totp('Cloud', 'MFRGGZDFMZTWQ2LK')],
  problems: [
    { label: 'mOTP thing', status: 'unsupported', reason: 'unsupported_type' },
    { label: 'line 7', status: 'rejected', reason: 'invalid_digits' },
  ],
};

function setup() {
  // GitHub is already in the vault: its entry is a duplicate.
  const backend = new FakeBackend({ accounts: [totp('GitHub', 'JBSWY3DPEHPK3PXP')] });
  backend.transfer.importFiles.set('/tmp/aegis.json', FILE);
  backend.transfer.nextPick = '/tmp/aegis.json';
  return { backend, wizard: new ImportWizard(backend) };
}

describe('import wizard', () => {
  it('checks only new entries by default and counts every kind', () => {
    const items = [
      { entry: 0, issuer: 'a', name: '', kind: 'totp', status: 'new', reason: null },
      { entry: 1, issuer: 'b', name: '', kind: 'totp', status: 'duplicate', reason: null },
      { entry: 2, issuer: 'c', name: '', kind: 'hotp', status: 'conflict', reason: null },
      { entry: 3, issuer: 'd', name: '', kind: 'totp', status: 'repeated', reason: null },
      { entry: null, issuer: 'e', name: '', kind: null, status: 'rejected', reason: 'invalid_secret' },
    ] as const;
    expect([...defaultSelection(items)]).toEqual([0]);
    expect(countItems(items)).toEqual({ importable: 4, new: 1, duplicates: 2, conflicts: 1, unsupported: 0, rejected: 1 });
  });

  it('asks for the password, lets a wrong one be retried, previews and commits the checked entries', async () => {
    const { backend, wizard } = setup();
    await wizard.pick();
    expect(wizard.step).toBe('password');
    expect(wizard.format).toBe('aegis');

    await wizard.submitPassword('nope');
    expect(wizard.step).toBe('password');
    expect(wizard.error?.code).toBe('wrong_password');

    await wizard.submitPassword('test');
    expect(wizard.step).toBe('preview');
    expect(wizard.error).toBeNull();
    expect(wizard.preview?.items.map((item) => item.status)).toEqual(['duplicate', 'new', 'new', 'unsupported', 'rejected']);
    expect([...wizard.selected].sort()).toEqual([1, 2]);

    wizard.toggle(2);
    await wizard.commit();
    expect(wizard.step).toBe('done');
    expect(wizard.summary).toEqual({ added: 1, skippedDuplicates: 1, notSelected: 1, unsupported: 1, rejected: 1 });
    expect(backend.calls.find((call) => call.method === 'importCommit')?.args[1]).toEqual([1]);
    expect(backend.vault.accounts.map((stored) => stored.view.issuer)).toEqual(['GitHub', 'Proton']);
    // The password never reaches the call log; Rust holds nothing any more.
    expect(JSON.stringify(backend.calls)).not.toContain('test');
    expect(backend.transfer.heldImports).toBe(0);
  });

  it('select all and none cover only importable entries', async () => {
    const { wizard } = setup();
    await wizard.pick();
    await wizard.submitPassword('test');
    wizard.setAll(true);
    expect([...wizard.selected].sort()).toEqual([0, 1, 2]);
    wizard.setAll(false);
    expect(wizard.selected.size).toBe(0);
  });

  it('a closed picker changes nothing; an unknown file shows its error', async () => {
    const { backend, wizard } = setup();
    backend.transfer.nextPick = null;
    await wizard.pick();
    expect(wizard.step).toBe('pick');
    expect(wizard.error).toBeNull();
    backend.transfer.nextPick = '/tmp/notes.txt';
    await wizard.pick();
    expect(wizard.step).toBe('pick');
    expect(wizard.error?.code).toBe('unknown_format');
  });

  it('cancelling or closing lets Rust drop the held import; a dropped file replaces the one shown', async () => {
    const { backend, wizard } = setup();
    await wizard.pick();
    expect(backend.transfer.heldImports).toBe(1);
    await wizard.cancelDerivation();
    expect(wizard.step).toBe('pick');
    expect(backend.transfer.heldImports).toBe(0);

    await wizard.pick();
    const plain = { ...FILE, password: null };
    backend.transfer.importFiles.set('/tmp/plain.json', plain);
    await wizard.accept(await backend.importOpenPaths(['/tmp/plain.json']));
    expect(wizard.step).toBe('preview');
    expect(backend.transfer.heldImports).toBe(1);
    await wizard.close();
    expect(backend.transfer.heldImports).toBe(0);
  });

  it('an expired import sends the wizard back to picking a file', async () => {
    const { backend, wizard } = setup();
    await wizard.pick();
    backend.failNext.set('importUnlock', { code: 'import_gone', message: 'expired' });
    await wizard.submitPassword('test');
    expect(wizard.step).toBe('pick');
    expect(wizard.error?.code).toBe('import_gone');
  });

  it('a failed commit keeps the preview for another try', async () => {
    const { backend, wizard } = setup();
    await wizard.pick();
    await wizard.submitPassword('test');
    backend.failNext.set('importCommit', { code: 'disk_full', message: 'full' });
    await wizard.commit();
    expect(wizard.step).toBe('preview');
    expect(wizard.error?.code).toBe('disk_full');
    await wizard.commit();
    expect(wizard.step).toBe('done');
  });
});

// The Reset my MFA view against the fake backend: reached from Settings, labelled fields, the
// second factor answered by Tessera, only the actions the rights allow, delete asks first, and
// backup codes gone from the page once saved.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ResetMfa from './ResetMfa.svelte';
import { FakeBackend } from '../lib/ipc/fake';
import { translator } from '../lib/i18n';

const i18n = translator('en');

async function signIn(backend: FakeBackend) {
  render(ResetMfa, { props: { backend, i18n, onclose: () => {} } });
  await fireEvent.input(screen.getByLabelText('Server address'), { target: { value: 'https://pi.example.com' } });
  await fireEvent.input(screen.getByLabelText('User name'), { target: { value: 'alice' } });
  await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'secret' } });
  expect(screen.getByLabelText<HTMLInputElement>('Check the server’s certificate (TLS)').checked).toBe(true);
  await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('Reset my MFA', () => {
  afterEach(() => cleanup());

  it('fills the form from the last server signed in to', async () => {
    const backend = new FakeBackend();
    backend.selfservice.last = { server: 'https://pi.example.com/', user: 'alice', realm: 'staff', verifyTls: false, codeWithPassword: false };
    render(ResetMfa, { props: { backend, i18n, onclose: () => {} } });
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('User name').value).toBe('alice'));
    expect(screen.getByLabelText<HTMLInputElement>('Server address').value).toBe('https://pi.example.com/');
    expect(screen.getByLabelText<HTMLInputElement>('Password').value).toBe('');
    expect(screen.getByRole('alert').textContent).toContain('Certificate checks are off');
  });

  it('warns when TLS checks are turned off', async () => {
    render(ResetMfa, { props: { backend: new FakeBackend(), i18n, onclose: () => {} } });
    await fireEvent.click(screen.getByLabelText('Check the server’s certificate (TLS)'));
    expect(screen.getByRole('alert').textContent).toContain('Certificate checks are off');
  });

  it('asks for a one-time code with the password where the server takes the two together', async () => {
    const backend = new FakeBackend();
    backend.selfservice.codeWithPassword = '424242';
    await signIn(backend);
    const asked = await screen.findByRole('alert');
    expect(asked.dataset.errorCode).toBe('selfservice_code_with_password');
    expect(asked.textContent).toContain('password and a one-time code together');
    // Both are typed again: the page kept neither.
    expect(screen.getByLabelText<HTMLInputElement>('Password').value).toBe('');
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    await fireEvent.input(screen.getByLabelText('One-time code (from another device, or a backup code)'), {
      target: { value: '424242' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Signed in as alice at https://pi.example.com');
    const sent = JSON.stringify(backend.calls);
    expect(sent).not.toContain('secret');
    expect(sent).not.toContain('424242');
  });

  it('asks for the code up front at a server that needed it last time', async () => {
    const backend = new FakeBackend();
    backend.selfservice.last = {
      server: 'https://pi.example.com/',
      user: 'alice',
      realm: null,
      verifyTls: true,
      codeWithPassword: true,
    };
    render(ResetMfa, { props: { backend, i18n, onclose: () => {} } });
    await screen.findByLabelText('One-time code (from another device, or a backup code)');
  });

  it('answers the second factor with Tessera, then offers only what the rights allow', async () => {
    const backend = new FakeBackend();
    backend.selfservice.secondFactor = [{ serial: 'HOTP0001', kind: 'hotp', here: true }];
    backend.selfservice.rights = ['disable'];
    backend.selfservice.factors.push({
      serial: 'OLD0001',
      kind: 'totp',
      description: 'Old phone',
      status: 'active',
      failcount: 0,
      maxfail: 10,
      lastUsed: null,
      remainingCodes: null,
      here: null,
      accountId: null,
    });
    await signIn(backend);
    await fireEvent.click(await screen.findByRole('button', { name: 'Use the code from Tessera (HOTP0001)' }));
    await screen.findByText('Signed in as alice at https://pi.example.com');
    expect(JSON.stringify(backend.calls)).not.toContain('secret');
    // Cases without a granted right are not offered.
    const cases = screen.getAllByRole('radio').map((radio) => radio.parentElement?.textContent);
    expect(cases).toEqual(['My factors', 'I lost my device']);
    expect(await screen.findByRole('button', { name: 'Disable OLD0001' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete OLD0001' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Disable OLD0001' }));
    await screen.findByText(/OLD0001 is disabled/);
    await fireEvent.click(screen.getByLabelText('I lost my device'));
    expect(screen.getByText('Your organisation does not let you do this here. Ask your IT service.')).toBeTruthy();
  });

  it('asks before deleting, and shows backup codes until they are saved', async () => {
    const backend = new FakeBackend();
    await signIn(backend);
    await screen.findByText(/Signed in as alice/);
    await fireEvent.click(screen.getByLabelText('I lost my device'));
    await fireEvent.click(screen.getByRole('button', { name: 'Add a TOTP token here' }));
    await screen.findByText(/added to Tessera/);
    const serial = backend.selfservice.factors[0]?.serial ?? '';
    expect((await backend.listAccounts()).accounts).toHaveLength(1);
    await fireEvent.click(screen.getByLabelText('My factors'));
    await fireEvent.click(screen.getByRole('button', { name: `Delete ${serial}` }));
    expect(screen.getByRole('alertdialog').textContent).toContain('This cannot be undone');
    expect(backend.selfservice.factors).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(backend.selfservice.factors).toHaveLength(0));

    await fireEvent.click(screen.getByLabelText('Backup codes'));
    await fireEvent.input(screen.getByLabelText('How many codes'), { target: { value: '4' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create backup codes' }));
    const codes = await screen.findAllByRole('listitem');
    const shown = codes.map((li) => li.textContent).filter((text) => /^\d{8}$/.test(text ?? ''));
    expect(shown).toHaveLength(4);
    await fireEvent.click(screen.getByRole('button', { name: 'I have saved them' }));
    expect(document.body.textContent).not.toContain(shown[0]);
  });
});

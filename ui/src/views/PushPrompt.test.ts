// The push prompt in the whole app, against the fake backend: context shown, Enter/Escape,
// number matching with a wrong then right pick, grouping with "Deny all", enrollment by link.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/svelte';
import { FakeBackend } from '../lib/ipc/fake';
import { settle, startApp } from '../testing/app';

const START = 1_795_946_876_000;
const LINK =
  'otpauth://pipush/PIPU00005FB7?url=http%3A//127.0.0.1%3A5000/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=7f4a&v=1&serial=PIPU00005FB7&sslverify=0&poll_only=True';

const start = (backend: FakeBackend) => startApp(backend);

const dialog = () => screen.getByRole('alertdialog');

describe('push prompt', () => {
  let backend: FakeBackend;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(START);
    backend = new FakeBackend({ state: 'unlocked' });
    await backend.push.enroll(LINK, true, () => {});
    await start(backend);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the verified request with its context and expiry; Enter approves', async () => {
    backend.push.request({ nonce: 'N1', title: 'CI test', question: 'Log in from 127.0.0.1?' });
    await settle();
    const prompt = dialog();
    expect(prompt.textContent).toContain('Log in from 127.0.0.1?');
    expect(prompt.textContent).toContain('CI test');
    expect(prompt.textContent).toContain('http://127.0.0.1:5000');
    expect(prompt.textContent).toContain('PIPU00005FB7');
    expect(screen.getByRole('timer').textContent).toContain('Expires in 120 seconds');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(screen.getByRole('timer').textContent).toContain('Expires in 90 seconds');
    // Approve has the focus; Enter anywhere in the prompt approves.
    expect(document.activeElement?.textContent).toBe('Approve');
    await fireEvent.keyDown(prompt.querySelector('.push-question')!, { key: 'Enter' });
    await settle();
    expect(backend.calls.find((call) => call.method === 'answerPush')?.args).toEqual(['N1', { kind: 'approve' }]);
    expect(document.querySelector('.push-result')?.textContent).toBe('Approved: the sign-in goes on.');
    expect(backend.push.activity[0]?.decision).toEqual({ kind: 'approved' });
  });

  it('without an OS verifier, approving asks for the vault passphrase; a wrong one approves nothing', async () => {
    backend.push.verification = 'verify_stand_in';
    backend.push.request({ nonce: 'N9' });
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await settle();
    expect(dialog().querySelector('[data-error-code]')?.getAttribute('data-error-code')).toBe('verify_stand_in');
    const field = screen.getByLabelText('Vault passphrase or recovery key') as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'wrong' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await settle();
    expect(backend.push.activity).toEqual([]);
    expect(dialog().querySelector('[data-error-code]')?.getAttribute('data-error-code')).toBe('wrong_passphrase');
    await fireEvent.input(screen.getByLabelText('Vault passphrase or recovery key'), { target: { value: 'vault passphrase' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await settle();
    expect(backend.calls.filter((call) => call.method === 'answerPush').at(-1)?.args).toEqual(['N9', { kind: 'approve' }, 'vault passphrase']);
    expect(backend.push.activity[0]?.decision).toEqual({ kind: 'approved' });
  });

  it('a denial never asks for verification', async () => {
    backend.push.verification = 'verify_refused';
    backend.push.request({ nonce: 'N10' });
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: 'Deny' }));
    await settle();
    expect(backend.push.activity[0]?.decision).toEqual({ kind: 'declined', reason: null });
  });

  it('a prompt shows over the lock screen', async () => {
    await backend.lockVault();
    cleanup();
    await start(backend);
    backend.push.request({ nonce: 'N11', title: 'VPN' });
    await settle();
    expect(dialog().textContent).toContain('VPN');
    expect(document.querySelector('.push-prompt')).not.toBeNull();
  });

  it('Escape denies', async () => {
    backend.push.request({ nonce: 'N2' });
    await settle();
    await fireEvent.keyDown(dialog(), { key: 'Escape' });
    await settle();
    expect(backend.calls.find((call) => call.method === 'answerPush')?.args).toEqual(['N2', { kind: 'deny' }]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('number matching: Approve waits for a pick; a wrong pick can be retried', async () => {
    backend.push.request({ nonce: 'N3', options: ['75', '76', '73', '99'] }, '73');
    await settle();
    const approve = screen.getByRole('button', { name: 'Approve' }) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    await fireEvent.click(screen.getByRole('radio', { name: '76' }));
    await settle();
    expect(approve.disabled).toBe(false);
    await fireEvent.click(approve);
    await settle();
    expect(dialog().textContent).toContain('That is not the number on the sign-in page. Pick again.');
    await fireEvent.click(screen.getByRole('radio', { name: '73' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await settle();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(backend.push.activity.map((entry) => entry.outcome.kind)).toEqual(['accepted', 'refused']);
  });

  it('groups a burst of requests, flags it, and denies all as not me', async () => {
    backend.push.request({ nonce: 'A' });
    vi.setSystemTime(START + 5_000);
    backend.push.request({ nonce: 'B' });
    vi.setSystemTime(START + 9_000);
    backend.push.request({ nonce: 'C' });
    await settle();
    const group = screen.getByRole('region', { name: '2 more requests are waiting' });
    expect(group.dataset.suspicious).toBe('true');
    expect(dialog().querySelector('.push-bombing')?.textContent).toContain('someone may be trying your password');
    await fireEvent.click(screen.getByRole('button', { name: 'Deny all and report' }));
    await settle();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(backend.push.activity.every((entry) => entry.decision.kind === 'declined')).toBe(true);
    expect(backend.push.activity).toHaveLength(3);
    expect(backend.calls.find((call) => call.method === 'denyAllPush')?.args).toEqual(['notMe']);
  });

  it('enrolls a pasted link with TLS checks off only once the box is ticked', async () => {
    backend.push.tokens = [];
    await fireEvent.click(screen.getByRole('button', { name: 'Add an account (Ctrl+N)' }));
    await settle();
    await fireEvent.click(screen.getByText('Paste an otpauth:// link'));
    await settle();
    const field = screen.getByRole('textbox');
    await fireEvent.input(field, { target: { value: LINK } });
    await settle();
    expect(screen.getByText(/turns TLS checks off/)).toBeTruthy();
    const submit = screen.getByRole('button', { name: 'Add push token' }) as HTMLButtonElement;
    const choice = screen.getByRole('checkbox', { name: /without checking the server’s certificate/ }) as HTMLInputElement;
    expect(choice.checked).toBe(false);
    expect(submit.disabled).toBe(true);
    // Enter in the field does not enroll either.
    await fireEvent.submit(field.closest('form')!);
    await settle();
    expect(backend.calls.some((call) => call.method === 'enrollPush')).toBe(false);
    await fireEvent.click(choice);
    await settle();
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    expect(backend.calls.find((call) => call.method === 'enrollPush')?.args).toEqual([LINK, true]);
    expect(backend.push.tokens.map((token) => token.id)).toEqual(['PIPU00005FB7@http://127.0.0.1:5000']);
  });

  it('refuses a pasted link that registers over plain http with another computer', async () => {
    backend.push.tokens = [];
    await fireEvent.click(screen.getByRole('button', { name: 'Add an account (Ctrl+N)' }));
    await settle();
    await fireEvent.click(screen.getByText('Paste an otpauth:// link'));
    await settle();
    const plain = LINK.replace('127.0.0.1%3A5000', '192.0.2.1').replace('&sslverify=0', '');
    await fireEvent.input(screen.getByRole('textbox'), { target: { value: plain } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add push token' }));
    await settle();
    expect(document.querySelector('[data-error-code]')?.getAttribute('data-error-code')).toBe('push_insecure_url');
    expect(backend.push.tokens).toEqual([]);
  });

  it('asks before enrolling a push link opened from outside, and can dismiss it', async () => {
    backend.push.tokens = [];
    backend.push.openLink(LINK.replace('otpauth:', 'pia:'));
    await settle();
    expect(screen.getByRole('dialog', { name: 'Add a push token?' }).textContent).toContain('http://127.0.0.1:5000');
    await fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    await settle();
    expect(screen.queryByRole('dialog', { name: 'Add a push token?' })).toBeNull();
    backend.push.openLink(LINK);
    await settle();
    // TLS checks off: "Add" is neither the focused button nor usable before the explicit choice.
    const add = screen.getByRole('button', { name: 'Add push token' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    expect(document.activeElement?.textContent?.trim()).toBe('Not now');
    await fireEvent.click(screen.getByRole('checkbox', { name: /without checking the server’s certificate/ }));
    await settle();
    await fireEvent.click(add);
    await settle();
    expect(backend.calls.find((call) => call.method === 'enrollPushLink')?.args).toEqual([true]);
    expect(backend.push.tokens).toHaveLength(1);
    expect(screen.queryByRole('dialog', { name: 'Add a push token?' })).toBeNull();
  });

  it('counts dropped requests in the push panel; nothing of them is in the activity', async () => {
    backend.push.droppedCount = 2;
    backend.push.emit({ type: 'status', status: await backend.push.pushStatus() });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign-in approvals' }));
    await settle();
    expect(document.querySelector('.push-dropped')?.textContent).toContain('2 sign-in requests were dropped unshown');
    expect(backend.push.activity).toEqual([]);
  });

  it('warns on the accounts screen when the push server says the clock is off', async () => {
    backend.push.clockOffsetSecs = -95;
    backend.push.emit({ type: 'status', status: await backend.push.pushStatus() });
    await settle();
    expect(document.querySelector('.push-clock')?.textContent).toContain('by 95 seconds');
    await fireEvent.click(screen.getByRole('button', { name: 'Use the server’s time for codes' }));
    await settle();
    expect(backend.calls.find((call) => call.method === 'useServerTime')?.args).toEqual([true]);
    expect(document.querySelector('.push-clock')?.textContent).toContain('Codes are computed at the server’s time.');
    // The codes again, at the server's time (the first ones came with the first screen).
    expect(backend.calls.filter((call) => call.method === 'listAccounts').length).toBe(1);
  });
});

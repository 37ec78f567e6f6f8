import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import App from './App.svelte';
import type { Backend, Codes, IpcError, LaunchError } from './lib/ipc';

/** A backend that behaves like Rust: codes depend on the 30 s step of the current time. */
class FakeBackend implements Backend {
  listCodesCalls = 0;
  failWith: IpcError | null = null;
  accounts = [{ id: 'gh', issuer: 'GitHub', name: 'alice@example.com' }];
  launchErrors: LaunchError[] = [];

  async listCodes(): Promise<Codes> {
    this.listCodesCalls += 1;
    if (this.failWith !== null) throw this.failWith;
    const now = Math.floor(Date.now() / 1000);
    const step = Math.floor(now / 30);
    return {
      now,
      accounts: this.accounts.map((account) => ({
        ...account,
        kind: 'totp',
        // A different, recognisable code per step.
        code: String(100000 + (step % 900000)),
        secondsLeft: 30 - (now % 30),
        period: 30,
      })),
    };
  }

  async listLaunchErrors(): Promise<LaunchError[]> {
    return this.launchErrors;
  }
}

// 1_700_000_000 is 20 s into its 30 s step: 10 s left. Step number 56_666_666.
const START = 1_700_000_000_000;

async function settle() {
  // Let the backend promises resolve and Svelte flush its updates.
  await vi.advanceTimersByTimeAsync(0);
  await tick();
}

describe('App', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(START + 400);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows grouped codes with a countdown, and refreshes from Rust when the step rolls over', async () => {
    const backend = new FakeBackend();
    render(App, { props: { backend, locale: 'en' } });
    await settle();

    const row = screen.getByRole('listitem');
    expect(within(row).getByText('GitHub')).toBeTruthy();
    expect(within(row).getByText('alice@example.com')).toBeTruthy();
    expect(row.querySelector('.avatar')?.textContent).toBe('G');
    const first = String(100000 + (56_666_666 % 900000));
    expect(row.querySelector('.code-groups')?.textContent).toBe(`${first.slice(0, 3)}${first.slice(3)}`);
    expect([...row.querySelectorAll('.code-group')].map((g) => g.textContent)).toEqual([
      first.slice(0, 3),
      first.slice(3),
    ]);
    expect(within(row).getByText(`Code ${first.split('').join(' ')}`)).toBeTruthy();
    expect(within(row).getByRole('timer').getAttribute('aria-label')).toBe('10 seconds left');
    expect(within(row).getByRole('timer').getAttribute('aria-live')).toBeNull();
    expect(backend.listCodesCalls).toBe(1);

    // One tick per second: the countdown moves, Rust is not asked again.
    await vi.advanceTimersByTimeAsync(1000);
    expect(within(row).getByRole('timer').getAttribute('aria-label')).toBe('9 seconds left');
    expect(backend.listCodesCalls).toBe(1);

    // At the step boundary the UI asks Rust once for the new code.
    await vi.advanceTimersByTimeAsync(9000);
    await settle();
    expect(backend.listCodesCalls).toBe(2);
    const second = String(100000 + (56_666_667 % 900000));
    expect(screen.getByRole('listitem').querySelector('.code')?.getAttribute('data-code')).toBe(second);
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('30 seconds left');
  });

  it('shows the empty state when no account was given', async () => {
    const backend = new FakeBackend();
    backend.accounts = [];
    render(App, { props: { backend, locale: 'en' } });
    await settle();
    expect(screen.getByRole('heading', { name: 'No accounts yet' })).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('reports rejected launch URIs by source and position, in French', async () => {
    const backend = new FakeBackend();
    backend.launchErrors = [
      { source: 'argument', position: 2, code: 'missing_secret', message: 'the URI has no secret' },
      { source: 'environment', position: 1, code: 'from_a_newer_core', message: 'bad scheme' },
    ];
    render(App, { props: { backend, locale: 'fr' } });
    await settle();
    const notice = screen.getByRole('region', { name: '2 liens n’ont pas été ajoutés' });
    expect(within(notice).getByText('Argument --uri nº 2')).toBeTruthy();
    expect(within(notice).getByText('Ligne 1 de TESSERA_URIS')).toBeTruthy();
    // Known codes are translated; an unknown one falls back to Rust's English message.
    expect(notice.textContent).toContain('le lien ne contient pas de secret');
    expect(notice.textContent).not.toContain('the URI has no secret');
    expect(notice.textContent).toContain('bad scheme');
    // The accounts that did parse are still shown.
    expect(screen.getByText('GitHub')).toBeTruthy();
  });

  it('branches on the clock error code and retries on demand', async () => {
    const backend = new FakeBackend();
    backend.failWith = { code: 'clock', message: 'the system clock is set before 1970' };
    render(App, { props: { backend, locale: 'en' } });
    await settle();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Your system clock is set before 1970');
    // No automatic retry loop while failing.
    await vi.advanceTimersByTimeAsync(5000);
    expect(backend.listCodesCalls).toBe(1);

    backend.failWith = null;
    await fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('GitHub')).toBeTruthy();
    expect(backend.listCodesCalls).toBe(2);
  });

  it('shows a generic message for unknown errors', async () => {
    const backend = new FakeBackend();
    backend.failWith = { code: 'unknown', message: 'Command list_codes not allowed by ACL' };
    render(App, { props: { backend, locale: 'fr' } });
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Impossible de charger les codes.');
  });
});

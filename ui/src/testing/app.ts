// Helpers of the tests that render the whole app on the fake backend (vitest with fake timers).
import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import { vi } from 'vitest';
import App from '../App.svelte';
import type { AccountForm } from '../lib/ipc';
import type { FakeBackend } from '../lib/ipc/fake';
import { preloadViews } from '../views/lazy';

/** A six-digit, 30-second SHA-1 TOTP account as the add form sends it. */
export const totpForm = (issuer: string, name: string, secret: string): AccountForm => ({
  issuer,
  name,
  secret,
  kind: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
});

/** Lets pending backend promises, timers at zero delay and Svelte updates run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await tick();
  }
}

/**
 * Renders the app on `backend`, and settles. The lazy views are loaded first, as the app does
 * once idle: under fake timers the tests' clicks come before the app's own preload would.
 */
export async function startApp(backend: FakeBackend, languages = ['en-GB']): Promise<void> {
  await preloadViews();
  render(App, { props: { backend, languages } });
  await settle();
}

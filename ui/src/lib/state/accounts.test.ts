import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../ipc/fake';
import { AccountsState } from './accounts.svelte';

describe('accounts tick', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('ticks once per second, not at all while stopped, and catches up on resume', async () => {
    const accounts = new AccountsState(new FakeBackend(), Date.now);
    await accounts.start();
    const started = accounts.nowMs;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(accounts.nowMs - started).toBeGreaterThanOrEqual(2_000);

    accounts.stop();
    const stoppedAt = accounts.nowMs;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(accounts.nowMs).toBe(stoppedAt);
    expect(vi.getTimerCount()).toBe(0);

    accounts.resume();
    expect(accounts.nowMs).toBe(Date.now());
    expect(vi.getTimerCount()).toBe(1);
    accounts.stop();
  });
});

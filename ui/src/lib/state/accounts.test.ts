import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../ipc/fake';
import { totpForm } from '../../testing/app';
import { AccountsState } from './accounts.svelte';

const backend = () => new FakeBackend({ accounts: [totpForm('GitHub', 'alice', 'JBSWY3DPEHPK3PXP')] });

describe('accounts tick', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('reads the clock each second but moves the rows only when a countdown changes', async () => {
    // 1_700_000_000 s is 20 s into a 30 s step: 10 s left.
    const accounts = new AccountsState(backend(), Date.now);
    await accounts.start();
    const started = accounts.nowMs;
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(10);
    expect(vi.getTimerCount()).toBe(1);
    // 9 and 8 s left draw the same ring (its 10 s step): nothing moves.
    await vi.advanceTimersByTimeAsync(2_100);
    expect(accounts.nowMs).toBe(started);
    // 7 s left: the next code is due.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(7);
    // 6 s left: same as 7; from 5 s, every second.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(7);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(4);
    accounts.stop();
  });

  it('fetches fresh codes at expiry and shows them with the new time, with no drawn 0 in between', async () => {
    const fake = backend();
    const accounts = new AccountsState(fake, Date.now);
    await accounts.start();
    const lists = () => fake.calls.filter((c) => c.method === 'listAccounts').length;
    await vi.advanceTimersByTimeAsync(9_100);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(1);
    // The expiry tick asks Rust; until the answer the rows keep their last second.
    vi.advanceTimersByTime(1_000);
    expect(lists()).toBe(2);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(30);
    accounts.stop();
  });

  it('does not tick while stopped, and catches up on resume', async () => {
    const accounts = new AccountsState(backend(), Date.now);
    await accounts.start();
    accounts.stop();
    const stoppedAt = accounts.nowMs;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(accounts.nowMs).toBe(stoppedAt);
    expect(vi.getTimerCount()).toBe(0);

    // Two periods later the codes have expired: fresh ones, counting from now.
    accounts.resume();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(accounts.nowMs).toBe(Date.now());
    expect(accounts.remaining(accounts.data!.accounts[0]!)).toBe(10);
    accounts.stop();
  });
});

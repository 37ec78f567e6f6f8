import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../ipc/fake';
import { totpForm } from '../../testing/app';
import { AccountsState } from './accounts.svelte';

// What the one 30 s countdown shows (every account here has that period).
const shown = (accounts: AccountsState) => {
  expect(accounts.countdowns.map((c) => c.period)).toEqual([30]);
  return accounts.countdowns[0]!.remaining;
};
const backend = () => new FakeBackend({ accounts: [totpForm('GitHub', 'alice', 'JBSWY3DPEHPK3PXP')] });

describe('accounts tick', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('wakes only when a countdown changes, and moves the rows then', async () => {
    // 1_700_000_000 s is 20 s into a 30 s step: 10 s left.
    const accounts = new AccountsState(backend(), Date.now);
    await accounts.start();
    const started = accounts.nowMs;
    expect(shown(accounts)).toBe(10);
    expect(vi.getTimerCount()).toBe(1);
    // 9 to 6 s left draw the same ring (its 10 s step): no wake, nothing moves.
    await vi.advanceTimersByTimeAsync(4_900);
    expect(accounts.nowMs).toBe(started);
    expect(vi.getTimerCount()).toBe(1);
    // 5 s left: the last step.
    await vi.advanceTimersByTimeAsync(200);
    expect(shown(accounts)).toBe(5);
    expect(accounts.nowMs).toBe(1_700_000_005_015);
    accounts.stop();
  });

  it('fetches fresh codes at expiry and shows them with the new time, with no drawn 0 in between', async () => {
    const fake = backend();
    const accounts = new AccountsState(fake, Date.now);
    await accounts.start();
    const lists = () => fake.calls.filter((c) => c.method === 'listAccounts').length;
    const rows = accounts.data!.accounts;
    const before = rows[0]!.code;
    await vi.advanceTimersByTimeAsync(9_100);
    expect(shown(accounts)).toBe(5);
    // The expiry tick asks Rust; until the answer the rows keep their last step.
    vi.advanceTimersByTime(1_000);
    expect(lists()).toBe(2);
    expect(shown(accounts)).toBe(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(shown(accounts)).toBe(30);
    // Only the codes changed: they were written onto the accounts already shown.
    expect(accounts.data!.accounts).toBe(rows);
    expect(rows[0]!.code).not.toBe(before);
    // And the next wake is the next step, 5 s on.
    await vi.advanceTimersByTimeAsync(4_900);
    expect(shown(accounts)).toBe(30);
    await vi.advanceTimersByTimeAsync(200);
    expect(shown(accounts)).toBe(25);
    accounts.stop();
  });

  it("starts from the first screen's accounts without asking Rust", async () => {
    const fake = backend();
    const first = await fake.listAccounts();
    fake.calls.length = 0;
    const accounts = new AccountsState(fake, Date.now);
    await accounts.start(first);
    expect(accounts.data).toStrictEqual(first);
    expect(accounts.loading).toBe(false);
    expect(shown(accounts)).toBe(10);
    expect(fake.calls).toEqual([]);
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
    expect(shown(accounts)).toBe(10);
    accounts.stop();
  });
});

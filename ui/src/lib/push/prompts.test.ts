import { describe, expect, it } from 'vitest';
import type { PushActivityEntry, PushPrompt } from '../ipc';
import {
  activityKind,
  answerMessage,
  approval,
  filterActivity,
  fractionLeft,
  group,
  largestBurst,
  ordered,
  secondsLeft,
} from './prompts';

const T0 = 1_795_946_876_000;
const prompt = (nonce: string, receivedSecs: number, extra: Partial<PushPrompt> = {}): PushPrompt => ({
  nonce,
  tokenId: 'PIPU0001@https://pi.example.com',
  label: 'Work',
  issuer: 'ACME',
  serial: 'PIPU0001',
  server: 'https://pi.example.com',
  title: 'privacyIDEA',
  question: 'Log in from 10.0.0.1?',
  received: T0 + receivedSecs * 1000,
  expires: T0 + (receivedSecs + 120) * 1000,
  options: null,
  takesReason: true,
  insecure: false,
  ...extra,
});

const entry = (
  decision: PushActivityEntry['decision'],
  outcome: PushActivityEntry['outcome'],
  extra: Partial<PushActivityEntry> = {},
): PushActivityEntry => ({
  time: 1_795_946_876,
  server: 'https://pi.example.com',
  serial: 'PIPU0001',
  nonce: 'N',
  title: 'CI test',
  question: 'Log in from 127.0.0.1?',
  decision,
  outcome,
  ...extra,
});

describe('grouping and prompt bombing', () => {
  it('shows the oldest open prompt in full and groups the rest', () => {
    const prompts = [prompt('B', 20), prompt('A', 10), prompt('C', 30)];
    expect(ordered(prompts).map((p) => p.nonce)).toEqual(['A', 'B', 'C']);
    const shown = group(prompts, T0 + 31_000);
    expect(shown?.current.nonce).toBe('A');
    expect(shown?.others.map((p) => p.nonce)).toEqual(['B', 'C']);
  });

  it('flags three or more requests within a minute, not two, nor three spread out', () => {
    expect(group([prompt('A', 0), prompt('B', 30)], T0)?.suspicious).toBe(false);
    expect(group([prompt('A', 0), prompt('B', 30), prompt('C', 59)], T0)?.suspicious).toBe(true);
    expect(largestBurst([prompt('A', 0), prompt('B', 60), prompt('C', 120)])).toBe(1);
    expect(largestBurst([prompt('A', 0), prompt('B', 61), prompt('C', 62), prompt('D', 100)])).toBe(3);
  });

  it('leaves expired prompts out and returns null when nothing is open', () => {
    expect(group([], T0)).toBeNull();
    const shown = group([prompt('OLD', 0), prompt('NEW', 100)], T0 + 125_000);
    expect(shown?.current.nonce).toBe('NEW');
    expect(shown?.others).toEqual([]);
    expect(group([prompt('OLD', 0)], T0 + 120_000)).toBeNull();
  });
});

describe('countdown', () => {
  it('counts whole seconds up and the bar down to zero', () => {
    const p = prompt('A', 0);
    expect(secondsLeft(p, T0)).toBe(120);
    expect(secondsLeft(p, T0 + 119_001)).toBe(1);
    expect(secondsLeft(p, T0 + 200_000)).toBe(0);
    expect(fractionLeft(p, T0)).toBe(1);
    expect(fractionLeft(p, T0 + 60_000)).toBe(0.5);
    expect(fractionLeft(p, T0 + 999_000)).toBe(0);
  });
});

describe('number matching', () => {
  const matching = prompt('A', 0, { options: ['75', '76', '73', '99'] });

  it('approves only with one of the offered numbers', () => {
    expect(approval(matching, null)).toBeNull();
    expect(approval(matching, '12')).toBeNull();
    expect(approval(matching, '73')).toEqual({ kind: 'approve', number: '73' });
    expect(approval(prompt('B', 0), null)).toEqual({ kind: 'approve' });
    expect(approval(prompt('B', 0), '73')).toEqual({ kind: 'approve' });
  });

  it('words a refused pick as "try again" and the other outcomes', () => {
    const base = { nonce: 'A', displayCode: null, message: null, retry: false, error: null };
    const approve = { kind: 'approve' as const, number: '76' };
    expect(answerMessage({ ...base, outcome: 'refused', retry: true }, approve)).toBe('push.result.wrongNumber');
    expect(answerMessage({ ...base, outcome: 'refused' }, approve)).toBe('push.result.refused');
    expect(answerMessage({ ...base, outcome: 'accepted' }, approve)).toBe('push.result.approved');
    expect(answerMessage({ ...base, outcome: 'accepted', displayCode: '38' }, approve)).toBe('push.result.code');
    expect(answerMessage({ ...base, outcome: 'accepted' }, { kind: 'deny' })).toBe('push.result.denied');
    expect(answerMessage({ ...base, outcome: 'accepted' }, { kind: 'deny', reason: 'notMe' })).toBe(
      'push.result.reported',
    );
    expect(answerMessage({ ...base, outcome: 'expired' }, approve)).toBe('push.result.expired');
    expect(answerMessage({ ...base, outcome: 'failed', error: 'push_network' }, approve)).toBe('push.result.failed');
  });
});

describe('activity', () => {
  const approved = entry({ kind: 'approved' }, { kind: 'accepted' }, { nonce: '1' });
  const reported = entry({ kind: 'declined', reason: 'unknown_trigger' }, { kind: 'accepted' }, { nonce: '2' });
  const denied = entry({ kind: 'declined', reason: null }, { kind: 'accepted' }, { nonce: '3' });
  const forged = entry({ kind: 'none' }, { kind: 'dropped', code: 'push_bad_signature' }, {
    nonce: '4',
    title: '',
    question: '',
    server: 'https://other.example.org',
  });
  const expired = entry({ kind: 'none' }, { kind: 'expired' }, { nonce: '5' });
  const all = [approved, reported, denied, forged, expired];

  it('names each entry', () => {
    expect(all.map(activityKind)).toEqual(['approved', 'reported', 'denied', 'dropped', 'expired']);
    expect(activityKind(entry({ kind: 'approved' }, { kind: 'code_shown', code: '38' }))).toBe('approved');
  });

  it('filters by kind and by text', () => {
    expect(filterActivity(all, 'all', '')).toHaveLength(5);
    expect(filterActivity(all, 'approved', '').map((e) => e.nonce)).toEqual(['1']);
    expect(filterActivity(all, 'denied', '').map((e) => e.nonce)).toEqual(['2', '3']);
    expect(filterActivity(all, 'problems', '').map((e) => e.nonce)).toEqual(['4', '5']);
    expect(filterActivity(all, 'all', 'OTHER.example').map((e) => e.nonce)).toEqual(['4']);
  });
});

// Push latency bench (`make bench` through scripts/bench_push.sh; not a *.test.mjs, so run.sh
// runs it only when named). The real app under Xvfb, a real privacyIDEA on loopback:
//  - prompt latency: the relying party sends /validate/check → the prompt is on screen, beside
//    that /validate/check's own round trip (the server's time to start the sign-in);
//  - approve round trip: click Approve → /validate/polltransaction says accept, beside one
//    polltransaction round trip;
//  - poll requests per minute the app sends while in use and while minimised (idle), counted in
//    the server's request log.
// Writes rows for scripts/bench_report.py into $TESSERA_BENCH_OUT (push-*.row.json).

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { APP, launchOnNewVault, sleep, step, wd } from './driver.mjs';
import { enrollThroughUi, relyingParty, startServer } from './privacyidea.mjs';

const RUNS = Number(process.env.TESSERA_PUSH_BENCH_N ?? 20);
const OUT = process.env.TESSERA_BENCH_OUT;

/** Waits with 20 ms steps (the figures are in hundreds of ms: the test helpers' 250 ms is too coarse). */
async function until(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return Date.now();
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fmt = (millis) => (millis >= 1000 ? `${(millis / 1000).toFixed(2)} s` : `${Math.round(millis)} ms`);

test('push latency bench', { timeout: 600_000 }, async (t) => {
  assert.ok(APP && OUT, 'TESSERA_APP and TESSERA_BENCH_OUT must be set');
  const serverStarted = startServer();
  const { app } = await launchOnNewVault();
  t.after(() => app.close());
  const env = await serverStarted;
  const rp = relyingParty(env);
  await rp.login();
  await enrollThroughUi(app, await rp.enrollmentLink());

  const prompt = [];
  const check = [];
  const approve = [];
  const poll = [];
  for (let run = 0; run < RUNS; run++) {
    // A sign-in starts at a random point of the app's poll cycle, as a real one would.
    await sleep(Math.random() * 3000);
    const sent = Date.now();
    const { transaction_id: transaction } = await rp.trigger();
    check.push(Date.now() - sent);
    const shown = await until('the prompt', async () => app.js(`return document.querySelector('.push-prompt') !== null`));
    prompt.push(shown - sent);
    const clicked = Date.now();
    await app.js(`document.querySelector('.push-approve').click()`);
    const accepted = await until('accept', async () => {
      const asked = Date.now();
      const status = await rp.status(transaction);
      poll.push(Date.now() - asked);
      return status === 'accept';
    });
    approve.push(accepted - clicked);
    assert.equal((await rp.finalize(transaction)).value, true);
    await until('the result', async () => app.js(`return document.querySelector('.push-result') !== null`));
    await app.js(`[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Close')?.click()`);
    step(`sign-in ${run + 1}/${RUNS}: prompt ${prompt.at(-1)} ms, approve ${approve.at(-1)} ms`);
  }

  // Polls while in use: the app's GET /ttype/push lines in the server's request log over 30 s.
  const log = join(env.PI_WORK, 'server.out');
  const polls = () => readFileSync(log, 'utf8').split('\n').filter((line) => line.includes('GET /ttype/push')).length;
  const before = polls();
  await sleep(30_000);
  const perMinute = (polls() - before) * 2;

  // Idle: the window minimised (as when the user is elsewhere). Fast polling goes on for the
  // 2-minute grace after the window was last in use, then the count is taken over 60 s.
  await wd('POST', `${app.base}/window/minimize`, {});
  await sleep(125_000);
  const idleBefore = polls();
  await sleep(60_000);
  const idlePerMinute = polls() - idleBefore;
  step(`idle polls per minute: ${idlePerMinute}`);

  const p50 = (samples) => percentile(samples, 50);
  const p95 = (samples) => percentile(samples, 95);
  const rows = [
    [`push prompt latency, /validate/check → prompt on screen (p50, p95; n=${RUNS})`,
     `${fmt(p50(prompt))}, ${fmt(p95(prompt))}`, '/validate/check round trip (p50)', fmt(p50(check)),
     `${(p50(prompt) / p50(check)).toFixed(1)}x`, 'p95 < 3 s'],
    [`push approve round trip, click → server accepts (p50, p95; n=${RUNS})`,
     `${fmt(p50(approve))}, ${fmt(p95(approve))}`, '/validate/polltransaction round trip (p50)', fmt(p50(poll)),
     `${(p50(approve) / p50(poll)).toFixed(1)}x`, 'report'],
    ['push polls per minute while in use (server request log, 30 s)', `${perMinute}/min`, 'official app (3 s)', '20/min',
     `${(perMinute / 20).toFixed(2)}x`, '<= 20/min'],
    ['push polls per minute while idle (window minimised, server request log, 60 s)', `${idlePerMinute}/min`,
     'official app (3 s)', '20/min', `${(idlePerMinute / 20).toFixed(2)}x`, '<= 4/min'],
  ];
  rows.forEach((row, index) => writeFileSync(join(OUT, `push-${index}.row.json`), JSON.stringify(row)));
  step(rows.map((row) => row.join(' | ')).join('\n'));
});

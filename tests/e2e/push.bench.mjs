// Push latency bench (issues 7 and 15; `make bench` through scripts/bench_push.sh; not a
// *.test.mjs, so run.sh runs it only when named). The real app under Xvfb, a real privacyIDEA
// on loopback, in three states:
//  1. shown and unlocked (the window in use): prompt latency, /validate/check → the prompt on
//     screen, beside that /validate/check's own round trip; approve round trip, click →
//     /validate/polltransaction says accept, beside one polltransaction round trip.
//  2. hidden and locked, the user active at the desktop (issue 15's main case): the window
//     hidden through the tray menu (not minimised), the vault locked, and real X input every
//     few seconds (xdotool), so the X idle time the OS reports stays low. Polls per minute,
//     then n sign-ins: prompt latency (p95 < 3 s at <= 20 polls/min), and the approve round
//     trip while locked, through the stand-in (see below).
//  3. away: no X input for more than 2 minutes, still hidden and locked: polls per minute, then
//     a few sign-ins (prompt latency p50/p95 at <= 4 polls/min).
// Polls per minute are the app's GET /ttype/push lines in the server's request log. Writes rows
// for scripts/bench_report.py into $TESSERA_BENCH_OUT (push-*.row.json).
//
// "On screen" is the prompt in the page *and* the window mapped on the X display (the app shows
// its hidden window for a prompt): what a user can see, not only what the page holds.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { APP, launchOnNewVault, sleep, step, trayMenu, userActivity, windowShown, xIdleMs } from './driver.mjs';
import { enrollThroughUi, relyingParty, startServer } from './privacyidea.mjs';

const RUNS = Number(process.env.TESSERA_PUSH_BENCH_N ?? 20);
// Shown and unlocked was issue 7's case; a few runs keep it in view without lengthening the run.
const SHOWN_RUNS = Number(process.env.TESSERA_PUSH_BENCH_SHOWN_N ?? 5);
// Away, the poll interval is 15 s: each sign-in takes up to ~30 s (a random start in the cycle,
// then the wait for the next poll), so n = 5 keeps the whole bench under ~10 minutes.
const AWAY_RUNS = Number(process.env.TESSERA_PUSH_BENCH_AWAY_N ?? 5);
const OUT = process.env.TESSERA_BENCH_OUT;
// "Away" is more than 2 minutes without X input (src-tauri/src/push/book.rs AWAY_AFTER; without
// an OS idle source, 2 minutes after the window was last seen, ACTIVE_AFTER_FOCUS): each state is measured only after this much time in it, so neither the window shown
// by the previous prompt nor the previous state's input carries over into it.
// TESSERA_PUSH_BENCH_SETTLE_MS shortens it for a quick trial of the bench itself (its figures
// then mean nothing).
const SETTLE_MS = Number(process.env.TESSERA_PUSH_BENCH_SETTLE_MS ?? 125_000);
const AWAY_MS = Math.min(120_000, SETTLE_MS);
// The official app's poll interval (3 s): the peer of the poll counts.
const OFFICIAL_PER_MINUTE = 20;

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
const p50 = (samples) => percentile(samples, 50);
const p95 = (samples) => percentile(samples, 95);
const fmt = (millis) => (millis >= 1000 ? `${(millis / 1000).toFixed(2)} s` : `${Math.round(millis)} ms`);

test('push latency bench', { timeout: 900_000 }, async (t) => {
  assert.ok(APP && OUT, 'TESSERA_APP and TESSERA_BENCH_OUT must be set');
  const serverStarted = startServer();
  const { app, recoveryKey } = await launchOnNewVault();
  let stopActivity = () => {};
  t.after(() => {
    stopActivity();
    return app.close();
  });
  const server = await serverStarted;
  const rp = relyingParty(server);
  await rp.login();
  await enrollThroughUi(app, await rp.enrollmentLink());

  const log = server.files.log;
  const polls = () => readFileSync(log, 'utf8').split('\n').filter((line) => line.includes('GET /ttype/push')).length;
  const pollsPerMinute = async (ms) => {
    const before = polls();
    await sleep(ms);
    return ((polls() - before) * 60_000) / ms;
  };
  const hide = async () => {
    trayMenu('Show or hide Tessera');
    await until('the window to hide', async () => !windowShown(), 5_000);
  };
  const closeResult = async () => {
    await until('the result', async () => app.js(`return document.querySelector('.push-result') !== null`));
    await app.js(`[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Close')?.click()`);
  };
  /** Starts a sign-in; resolves when the prompt is on screen (in the page, window mapped). */
  const signIn = async () => {
    const sent = Date.now();
    const { transaction_id: transaction } = await rp.trigger();
    const checked = Date.now() - sent;
    const shown = await until(
      'the prompt on screen',
      async () => (await app.js(`return document.querySelector('.push-prompt') !== null`)) && windowShown(),
      60_000,
    );
    return { transaction, latency: shown - sent, checked };
  };
  const statusIs = (transaction, wanted, poll = []) =>
    until(`the server to say ${wanted}`, async () => {
      const asked = Date.now();
      const status = await rp.status(transaction);
      poll.push(Date.now() - asked);
      return status === wanted;
    });

  // --- 1. Shown and unlocked: the window in use, approve needs no verification.
  const shownPrompt = [];
  const shownCheck = [];
  const shownApprove = [];
  const pollTrip = [];
  for (let run = 0; run < SHOWN_RUNS; run++) {
    // A sign-in starts at a random point of the app's poll cycle, as a real one would.
    await sleep(Math.random() * 3000);
    const { transaction, latency, checked } = await signIn();
    shownPrompt.push(latency);
    shownCheck.push(checked);
    const clicked = Date.now();
    await app.js(`document.querySelector('.push-approve').click()`);
    shownApprove.push((await statusIs(transaction, 'accept', pollTrip)) - clicked);
    assert.equal((await rp.finalize(transaction)).value, true);
    await closeResult();
    step(`shown sign-in ${run + 1}/${SHOWN_RUNS}: prompt ${shownPrompt.at(-1)} ms, approve ${shownApprove.at(-1)} ms`);
  }

  // --- 2. Hidden and locked, the user active at the desktop.
  await app.button('Lock now (Ctrl+L)');
  await until('the lock screen', async () => /Tessera is locked/.test(await app.text('body')));
  stopActivity = userActivity();
  await hide();
  step(`hidden and locked, user active: settling ${SETTLE_MS / 1000} s`);
  await sleep(SETTLE_MS);
  const activePerMinute = await pollsPerMinute(30_000);
  step(`polls per minute, active at the desktop (hidden, locked): ${activePerMinute}`);
  const activePrompt = [];
  const lockedApprove = [];
  for (let run = 0; run < RUNS; run++) {
    await sleep(Math.random() * 3000);
    const { transaction, latency } = await signIn();
    activePrompt.push(latency);
    // Approving while locked: no OS verifier runs under the e2e session (no system bus, no
    // polkit agent), so the first Approve asks for the stand-in, the vault's recovery key, and
    // the second one sends the approval after checking it against the vault file. Approving
    // (not denying) is what the user does after a sign-in of their own, and it is the path with
    // a verification in it; the figure is from the click that carries the typed key to the
    // server's accept (the typing itself is the user's time). Crate verify's polkit bench
    // (scripts/bench_push.sh) measures the OS verifier's own overhead.
    await app.js(`document.querySelector('.push-approve').click()`);
    await until('the stand-in field', async () => app.js(`return document.querySelector('.push-stand-in input') !== null`));
    await app.type('.push-stand-in input', recoveryKey);
    await until('Approve enabled', async () => app.js(`return document.querySelector('.push-approve')?.disabled === false`));
    const clicked = Date.now();
    await app.js(`document.querySelector('.push-approve').click()`);
    lockedApprove.push((await statusIs(transaction, 'accept')) - clicked);
    assert.equal((await rp.finalize(transaction)).value, true);
    await closeResult();
    await hide();
    step(`hidden+locked sign-in ${run + 1}/${RUNS}: prompt ${activePrompt.at(-1)} ms, approve (stand-in) ${lockedApprove.at(-1)} ms, X idle ${xIdleMs()} ms`);
  }
  assert.match(await app.text('body'), /Tessera is locked/, 'approving did not unlock');

  // --- 3. Away: no input any more; still hidden and locked. run.sh's own "user at the desk"
  // (a nudge every 20 s) stops too.
  stopActivity();
  if (process.env.TESSERA_E2E_PRESENCE_PID) process.kill(Number(process.env.TESSERA_E2E_PRESENCE_PID));
  step(`away: settling ${SETTLE_MS / 1000} s without input`);
  await sleep(SETTLE_MS);
  const awayPerMinute = await pollsPerMinute(60_000);
  step(`polls per minute, away (hidden, locked): ${awayPerMinute}`);
  const awayPrompt = [];
  for (let run = 0; run < AWAY_RUNS; run++) {
    // A random point of the 15 s cycle of the away poll speed.
    await sleep(Math.random() * 15_000);
    // Away by the X server's account, whatever the app makes of it: no input for > 2 minutes.
    assert.ok(xIdleMs() > AWAY_MS, `X idle time ${xIdleMs()} ms: not away`);
    const { transaction, latency } = await signIn();
    awayPrompt.push(latency);
    // Denied: the figure here is the prompt's latency; a denial needs no verification and no
    // X input (WebDriver's click is not one), so the user stays away for the next sign-in.
    await app.js(`document.querySelector('.push-deny').click()`);
    await statusIs(transaction, 'declined');
    await closeResult();
    await hide();
    step(`away sign-in ${run + 1}/${AWAY_RUNS}: prompt ${awayPrompt.at(-1)} ms, X idle ${xIdleMs()} ms`);
  }

  const max = (samples) => Math.max(...samples);
  const rows = [
    [`push prompt latency, shown and unlocked, /validate/check → prompt on screen (p50, p95; n=${SHOWN_RUNS})`,
     `${fmt(p50(shownPrompt))}, ${fmt(p95(shownPrompt))}`, '/validate/check round trip (p50)', fmt(p50(shownCheck)),
     `${(p50(shownPrompt) / p50(shownCheck)).toFixed(1)}x`, 'p95 < 3 s'],
    [`push approve round trip, shown and unlocked, click → server accepts (p50, p95; n=${SHOWN_RUNS})`,
     `${fmt(p50(shownApprove))}, ${fmt(p95(shownApprove))}`, '/validate/polltransaction round trip (p50)', fmt(p50(pollTrip)),
     `${(p50(shownApprove) / p50(pollTrip)).toFixed(1)}x`, 'report'],
    // The max and the first sign-in too. n = 20 puts p95 at the 19th sample, so one slow
    // sign-in would not show; and only the first comes after 2 minutes with the window hidden:
    // each prompt shows the window, so an app that polls fast for a while after its window was
    // seen (ACTIVE_AFTER_FOCUS) is fast for the next ones whatever it makes of the user.
    [`push prompt latency, hidden + locked, user active at the desktop (p50, p95, max; first, after 2 min hidden; n=${RUNS})`,
     `${fmt(p50(activePrompt))}, ${fmt(p95(activePrompt))}, ${fmt(max(activePrompt))}; first ${fmt(activePrompt[0])}`,
     '/validate/check round trip (p50)', fmt(p50(shownCheck)),
     `${(p50(activePrompt) / p50(shownCheck)).toFixed(1)}x`, 'p95 < 3 s'],
    [`push approve round trip while locked, stand-in (recovery key) typed, click → server accepts (p50, p95; n=${RUNS})`,
     `${fmt(p50(lockedApprove))}, ${fmt(p95(lockedApprove))}`, '/validate/polltransaction round trip (p50)', fmt(p50(pollTrip)),
     `${(p50(lockedApprove) / p50(pollTrip)).toFixed(1)}x`, 'report'],
    ['push polls per minute, hidden + locked, user active at the desktop (server log, 30 s after 2 min)',
     `${activePerMinute}/min`, 'official app (3 s)', `${OFFICIAL_PER_MINUTE}/min`,
     `${(activePerMinute / OFFICIAL_PER_MINUTE).toFixed(2)}x`, '<= 20/min'],
    [`push prompt latency, away (no input > 2 min), hidden + locked (p50, p95; first, after 2 min hidden; n=${AWAY_RUNS})`,
     `${fmt(p50(awayPrompt))}, ${fmt(p95(awayPrompt))}; first ${fmt(awayPrompt[0])}`, '/validate/check round trip (p50)', fmt(p50(shownCheck)),
     `${(p50(awayPrompt) / p50(shownCheck)).toFixed(1)}x`, 'report'],
    ['push polls per minute, away (no input > 2 min), hidden + locked (server log, 60 s)',
     `${awayPerMinute}/min`, 'official app (3 s)', `${OFFICIAL_PER_MINUTE}/min`,
     `${(awayPerMinute / OFFICIAL_PER_MINUTE).toFixed(2)}x`, '<= 4/min'],
  ];
  rows.forEach((row, index) => writeFileSync(join(OUT, `push-${index}.row.json`), JSON.stringify(row)));
  step(`prompt latencies, hidden + locked, active (ms): ${activePrompt.join(', ')}`);
  step(`prompt latencies, away (ms): ${awayPrompt.join(', ')}`);
  step(rows.map((row) => row.join(' | ')).join('\n'));
});

// End-to-end test of push sign-in approvals (issue 7) against a real privacyIDEA 3.14 that this
// test starts (scripts/privacyidea/start.sh, stopped when this process exits), in the real app
// under Xvfb via WebDriver.
//
// One story: enroll a push token through the UI from the admin API's enrollment link; a
// /validate/check with the user's password (as a sign-in page would) brings the prompt with the
// server's context; approve → the server reports the sign-in accepted; a second one denied →
// declined; a number-matching one answered wrong, then right → accepted; the Activity view lists
// them. Prints the prompt latency (trigger → prompt shown) and approve round trips.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { APP, launchOnNewVault, sleep, step, waitFor } from './driver.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts a fresh privacyIDEA; resolves to its KEY=VALUE settings. */
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'scripts/privacyidea/start.sh'), [], {
      env: { ...process.env, PI_WATCH_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`start.sh exited ${code}`));
      // Shell-sourceable lines: PI_USERS is double-quoted (it holds spaces).
      const pairs = out
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => line.split(/=(.*)/s).slice(0, 2))
        .map(([key, value]) => [key, value.replace(/^"(.*)"$/s, '$1')]);
      resolve(Object.fromEntries(pairs));
    });
  });
}

/** The relying party and the admin, over privacyIDEA's HTTP API. */
function relyingParty(env) {
  const user = env.PI_USERS.split(' ')[0];
  let jwt = null;
  const call = async (method, path, form, auth = false) => {
    const response = await fetch(`${env.PI_URL}${path}${method === 'GET' && form ? `?${new URLSearchParams(form)}` : ''}`, {
      method,
      headers: auth ? { 'PI-Authorization': jwt } : {},
      body: method === 'GET' || form === undefined ? undefined : new URLSearchParams(form),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.json();
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(body.result)}`);
    return body;
  };
  return {
    user,
    async login() {
      jwt = (await call('POST', '/auth', { username: env.PI_ADMIN_USER, password: env.PI_ADMIN_PASS })).result.value.token;
    },
    /** Enrollment step 1 as the admin: the otpauth://pipush/ link the QR code holds. */
    async enrollmentLink() {
      const body = await call('POST', '/token/init', { type: 'push', genkey: '1', user, realm: env.PI_REALM }, true);
      return body.detail.pushurl.value;
    },
    policy: (name, action) =>
      call('POST', `/policy/${name}`, { scope: 'authentication', realm: env.PI_REALM, user, action, active: 'true' }, true),
    /** The sign-in page's check with the user's password: starts the push. */
    async trigger() {
      const body = await call('POST', '/validate/check', { user, realm: env.PI_REALM, pass: env.PI_USER_PASS });
      assert.equal(body.result.authentication, 'CHALLENGE', JSON.stringify(body.result));
      return body.detail;
    },
    async status(transaction) {
      return (await call('GET', '/validate/polltransaction', { transaction_id: transaction })).detail.challenge_status;
    },
    async finalize(transaction) {
      return (await call('POST', '/validate/check', { user, realm: env.PI_REALM, pass: '', transaction_id: transaction })).result;
    },
  };
}

const ms = (start) => Date.now() - start;

test('push sign-in approvals against a real privacyIDEA', { timeout: 300_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  step('starting privacyIDEA and the app');
  const serverStarted = startServer();
  const { app } = await launchOnNewVault();
  t.after(() => app.close());
  const env = await serverStarted;
  step(`privacyIDEA at ${env.PI_URL}`);
  const rp = relyingParty(env);
  await rp.login();

  // --- Enroll through the UI from the admin API's link (device key made in the app).
  const link = await rp.enrollmentLink();
  const serial = new URL(link).searchParams.get('serial');
  await app.button('Add an account');
  await app.button('Paste an otpauth:// link');
  await app.type('input[name="uri"]', link);
  await app.wait('the TLS warning of sslverify=0', '.form-error');
  let start = Date.now();
  await app.button('Add push token');
  await waitFor('the enrollment to finish', async () =>
    (await app.js(`return document.querySelector('.toast-region')?.textContent ?? ''`)).includes('Push token'),
  60_000);
  step(`enrolled ${serial} in ${ms(start)} ms (RSA-4096 device key + server step 2)`);

  const promptShown = async (transaction) => {
    const since = Date.now();
    await waitFor('the prompt', async () => (await app.js(`return document.querySelector('.push-prompt')?.dataset.nonce ?? null`)) !== null, 30_000);
    return ms(since);
  };
  const latencies = [];
  const roundTrips = [];

  // --- 1: approve.
  step('sign-in 1: approve');
  start = Date.now();
  let detail = await rp.trigger();
  let transaction = detail.transaction_id;
  await promptShown(transaction);
  latencies.push(ms(start));
  const text = await app.text('.push-prompt');
  assert.match(text, /Log in from 127\.0\.0\.1\?/);
  assert.match(text, /CI test/);
  assert.ok(text.includes(env.PI_URL), text);
  assert.ok(text.includes(serial), text);
  assert.match(text, /Expires in \d+ seconds/);
  await app.screenshot('push-prompt');
  assert.equal(await rp.status(transaction), 'pending');
  start = Date.now();
  await app.button('Approve');
  await waitFor('the server to accept', async () => (await rp.status(transaction)) === 'accept');
  roundTrips.push(ms(start));
  await app.wait('the result', '.push-result[data-outcome="accepted"]');
  await app.screenshot('push-approved');
  const finalized = await rp.finalize(transaction);
  assert.equal(finalized.value, true, JSON.stringify(finalized));
  assert.equal(finalized.authentication, 'ACCEPT');
  await app.button('Close');

  // --- 2: deny.
  step('sign-in 2: deny');
  start = Date.now();
  detail = await rp.trigger();
  transaction = detail.transaction_id;
  await promptShown(transaction);
  latencies.push(ms(start));
  await app.button('Deny');
  await waitFor('the server to record the denial', async () => (await rp.status(transaction)) === 'declined');
  assert.equal((await rp.finalize(transaction)).value, false);
  await app.wait('the result', '.push-result[data-outcome="accepted"]');
  await app.button('Close');

  // --- 3: number matching, a wrong pick then the right one.
  step('sign-in 3: number matching');
  await rp.policy(`presence_${rp.user}`, 'push_require_presence=1, push_presence_options=NUMERIC, push_presence_num_options=4');
  start = Date.now();
  detail = await rp.trigger();
  transaction = detail.transaction_id;
  const right = detail.presence_answer;
  assert.match(right, /^\d\d$/);
  await promptShown(transaction);
  latencies.push(ms(start));
  const options = await app.js(`return [...document.querySelectorAll('.push-numbers input')].map((i) => i.value)`);
  assert.equal(options.length, 4);
  assert.ok(options.includes(right), `${right} not in ${options}`);
  const pick = (value) =>
    app.js(`[...document.querySelectorAll('.push-numbers label')].find((l) => l.querySelector('input').value === arguments[0]).click()`, value);
  await app.screenshot('push-number-matching');
  await pick(options.find((option) => option !== right));
  await app.button('Approve');
  await app.wait('"pick again"', '.push-prompt [data-outcome="refused"]');
  assert.equal(await rp.status(transaction), 'pending');
  await pick(right);
  start = Date.now();
  await app.button('Approve');
  await waitFor('the server to accept the right number', async () => (await rp.status(transaction)) === 'accept');
  roundTrips.push(ms(start));
  assert.equal((await rp.finalize(transaction)).value, true);
  await app.button('Close');

  // --- The Activity view lists what happened.
  step('activity');
  await app.button('Sign-in approvals');
  await app.js(`document.querySelector('input[name="push-tab"][value="activity"]').click()`);
  await waitFor('four activity entries', async () => (await app.js(`return document.querySelectorAll('.push-activity li').length`)) === 4);
  const kinds = await app.js(`return [...document.querySelectorAll('.push-activity li')].map((li) => li.dataset.kind)`);
  assert.deepEqual(kinds, ['approved', 'refused', 'denied', 'approved']);
  await app.screenshot('push-activity');

  step(`prompt latency (trigger → prompt shown), ms: ${latencies.join(', ')}`);
  step(`approve round trip (click → server accepts), ms: ${roundTrips.join(', ')}`);
  await sleep(0);
});

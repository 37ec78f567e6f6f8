// Helpers of the push end-to-end test and bench: a throwaway privacyIDEA 3.14
// (scripts/privacyidea/start.sh, stopped when this process exits) and the calls a relying party
// and an admin make to it (protocol doc §8), plus enrolling a push token through the app's UI.
// The server is known by the descriptor start.sh writes (server.json: url, admin, realm, users,
// user_password, files), the one the Rust tests read too (crates/testkit/src/pi.rs).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { waitFor } from './driver.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A server descriptor (server.json) written by start.sh. */
export function readServer(path) {
  const server = JSON.parse(readFileSync(path, 'utf8'));
  assert.ok(server.url.startsWith('http://127.0.0.1:'), `${server.url}: loopback only`);
  return server;
}

/**
 * This test's privacyIDEA: the one TESSERA_PI_DESCRIPTOR names (a descriptor), or a fresh one.
 * Resolves to its descriptor.
 */
export function startServer() {
  if (process.env.TESSERA_PI_DESCRIPTOR) return Promise.resolve(readServer(process.env.TESSERA_PI_DESCRIPTOR));
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
      // Its last line is the descriptor's path.
      resolve(readServer(out.trim().split('\n').at(-1)));
    });
  });
}

/** The relying party and the admin, over privacyIDEA's HTTP API. */
export function relyingParty(server) {
  const user = server.users[0];
  let jwt = null;
  const call = async (method, path, form, auth = false) => {
    const response = await fetch(`${server.url}${path}${method === 'GET' && form ? `?${new URLSearchParams(form)}` : ''}`, {
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
      jwt = (await call('POST', '/auth', { username: server.admin.user, password: server.admin.password })).result.value.token;
    },
    /** Enrollment step 1 as the admin: the otpauth://pipush/ link the QR code holds. */
    async enrollmentLink() {
      const body = await call('POST', '/token/init', { type: 'push', genkey: '1', user, realm: server.realm }, true);
      return body.detail.pushurl.value;
    },
    deleteToken: (serial) => call('DELETE', `/token/${serial}`, undefined, true),
    deletePolicy: (name) => call('DELETE', `/policy/${name}`, undefined, true),
    policy: (name, action) =>
      call('POST', `/policy/${name}`, { scope: 'authentication', realm: server.realm, user, action, active: 'true' }, true),
    /** The sign-in page's check with the user's password: starts the push. */
    async trigger() {
      const body = await call('POST', '/validate/check', { user, realm: server.realm, pass: server.user_password });
      assert.equal(body.result.authentication, 'CHALLENGE', JSON.stringify(body.result));
      return body.detail;
    },
    async status(transaction) {
      return (await call('GET', '/validate/polltransaction', { transaction_id: transaction })).detail.challenge_status;
    },
    /** An `enrollment` policy for the user only, e.g. `push_app_force_unlock=biometric`. */
    enrollmentPolicy: (name, action) =>
      call('POST', `/policy/${name}`, { scope: 'enrollment', realm: server.realm, user, action, active: 'true' }, true),
    /** A `webui` policy for the user only, e.g. `login_mode=privacyIDEA` (self-service sign-in). */
    webuiPolicy: (name, action) =>
      call('POST', `/policy/${name}`, { scope: 'webui', realm: server.realm, user, action, active: 'true' }, true),
    /** The sign-in page's one-step check: the password followed by a code (`otppin=userstore`). */
    async check(code) {
      return (await call('POST', '/validate/check', { user, realm: server.realm, pass: `${server.user_password}${code}` })).result;
    },
    /** The admin's view of one token (`GET /token/?serial=`), or undefined. */
    async token(serial) {
      return (await call('GET', '/token/', { serial }, true)).result.value.tokens[0];
    },
    /** A token enrolled by the admin for the user (e.g. on the phone that will be "lost"). */
    async adminEnroll(type, description) {
      return (await call('POST', '/token/init', { type, genkey: '1', user, realm: server.realm, description }, true)).detail.serial;
    },
    /** The sign-in page's second check: empty `pass` after a push, the code after code to phone. */
    async finalize(transaction, pass = '') {
      return (await call('POST', '/validate/check', { user, realm: server.realm, pass, transaction_id: transaction })).result;
    },
  };
}

/** Enrolls `link` through Add → Paste a link; returns the time it took (key + server step 2). */
export async function enrollThroughUi(app, link) {
  await app.button('Add an account');
  await app.button('Paste an otpauth:// link');
  await app.type('input[name="uri"]', link);
  await app.wait('the TLS warning of sslverify=0', '.form-error');
  // The test server's links turn TLS checks off (plain http on loopback): enrolled only by the
  // explicit choice, never by the default button alone.
  assert.equal(await app.js(`return document.querySelector('input[name="allow-unverified-tls"]').checked`), false);
  await app.click('input[name="allow-unverified-tls"]');
  const start = Date.now();
  await app.button('Add push token');
  await waitFor(
    'the enrollment to finish',
    async () => (await app.js(`return document.querySelector('.toast-region')?.textContent ?? ''`)).includes('Push token'),
    60_000,
  );
  return Date.now() - start;
}

/** Resolves when a prompt other than `previous` is on screen; returns its nonce. */
export function promptShown(app, previous = null, timeoutMs = 30_000) {
  return waitFor(
    'the prompt',
    async () => {
      const nonce = await app.js(`return document.querySelector('.push-prompt')?.dataset.nonce ?? null`);
      return nonce !== null && nonce !== previous ? nonce : null;
    },
    timeoutMs,
  );
}

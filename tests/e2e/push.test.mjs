// End-to-end test of push sign-in approvals (issue 7) against a real privacyIDEA 3.14 that this
// test starts (scripts/privacyidea/start.sh, stopped when this process exits), in the real app
// under Xvfb via WebDriver.
//
// One story: enroll a push token through the UI from the admin API's enrollment link; a
// /validate/check with the user's password (as a sign-in page would) brings the prompt with the
// server's context; approve → the server reports the sign-in accepted; a second one denied →
// declined; a number-matching one answered wrong, then right → accepted; code to phone (the
// shown code completes the sign-in); three in a row grouped, flagged and denied at once; the
// Activity view lists them; the token deleted at the server shows as revoked; a pia:// link given
// at launch is offered and enrolled. Prints the prompt latency (trigger → prompt shown) and approve round trips.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { APP, launch, launchOnNewVault, step, waitFor } from './driver.mjs';
import { enrollThroughUi, promptShown as shown, relyingParty, startServer } from './privacyidea.mjs';

const ms = (start) => Date.now() - start;

test('push sign-in approvals against a real privacyIDEA', { timeout: 300_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  step('starting privacyIDEA and the app');
  const serverStarted = startServer();
  let { app, recoveryKey } = await launchOnNewVault();
  t.after(() => app.close());
  const server = await serverStarted;
  step(`privacyIDEA at ${server.url}`);
  const rp = relyingParty(server);
  await rp.login();

  // --- Enroll through the UI from the admin API's link (device key made in the app).
  const link = await rp.enrollmentLink();
  const serial = new URL(link).searchParams.get('serial');
  const enrollMs = await enrollThroughUi(app, link);
  step(`enrolled ${serial} in ${enrollMs} ms (RSA-4096 device key + server step 2)`);

  const promptShown = async () => {
    const since = Date.now();
    await shown(app);
    return ms(since);
  };
  let start;
  const latencies = [];
  const roundTrips = [];

  // --- 1: approve.
  step('sign-in 1: approve');
  start = Date.now();
  let detail = await rp.trigger();
  let transaction = detail.transaction_id;
  await promptShown();
  latencies.push(ms(start));
  const text = await app.text('.push-prompt');
  assert.match(text, /Log in from 127\.0\.0\.1\?/);
  assert.match(text, /CI test/);
  assert.ok(text.includes(server.url), text);
  assert.ok(text.includes(serial), text);
  assert.match(text, /Expires in \d+ seconds/);
  await app.screenshot('push-prompt');
  // The desktop notification reached the session's notification daemon (dunst, which run.sh
  // starts on the private bus): closing what it shows moves it to its history, read back here.
  const notification = await waitFor('the desktop notification', () => {
    execFileSync('dunstctl', ['close-all']);
    const history = JSON.parse(execFileSync('dunstctl', ['history'], { encoding: 'utf8' }));
    return history.data.flat().find((n) => n.summary.data === 'Sign-in request') ?? null;
  });
  assert.match(notification.body.data, /CI test/);
  assert.match(notification.body.data, /Log in from 127\.0\.0\.1\?/);
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
  await promptShown();
  latencies.push(ms(start));
  await app.button('Deny');
  await waitFor('the server to record the denial', async () => (await rp.status(transaction)) === 'declined');
  assert.equal((await rp.finalize(transaction)).value, false);
  await app.wait('the result', '.push-result[data-outcome="accepted"]');
  await app.button('Close');

  // --- Locked: the pollers keep running from the push key store; the prompt shows over the lock
  // screen. No OS verifier runs in this session (no system bus, no polkit agent), so approving
  // asks for the vault's recovery key instead: a wrong one sends nothing, the right one approves.
  // Denying asks for nothing.
  step('sign-in while locked: approve with the stand-in, deny without');
  await app.button('Lock now (Ctrl+L)');
  await waitFor('the lock screen', async () => /Tessera is locked/.test(await app.text('body')));
  start = Date.now();
  detail = await rp.trigger();
  transaction = detail.transaction_id;
  await promptShown();
  latencies.push(ms(start));
  await app.screenshot('push-prompt-locked');
  await app.button('Approve');
  await app.wait('the stand-in field', '.push-stand-in input');
  assert.match(await app.text('.push-prompt'), /type the vault passphrase or recovery key|Type the vault passphrase or recovery key/i);
  await app.type('.push-stand-in input', 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH');
  await app.button('Approve');
  await app.wait('the refusal', '.push-prompt [data-error-code]');
  assert.equal(await rp.status(transaction), 'pending', 'a wrong stand-in sends nothing');
  await app.type('.push-stand-in input', recoveryKey);
  start = Date.now();
  await app.button('Approve');
  await waitFor('the server to accept', async () => (await rp.status(transaction)) === 'accept');
  roundTrips.push(ms(start));
  assert.equal((await rp.finalize(transaction)).authentication, 'ACCEPT');
  await app.wait('the result', '.push-result[data-outcome="accepted"]');
  await app.button('Close');
  detail = await rp.trigger();
  transaction = detail.transaction_id;
  await promptShown();
  await app.button('Deny');
  await waitFor('the server to record the denial', async () => (await rp.status(transaction)) === 'declined');
  await app.wait('the result', '.push-result[data-outcome="accepted"]');
  await app.button('Close');
  assert.match(await app.text('body'), /Tessera is locked/, 'still locked: approving did not unlock');
  // Unlock again for the rest of the story (the keychain would ask the OS to verify the user,
  // and no verifier runs under Xvfb: the recovery key).
  await app.type('input[name="recovery-key"]', recoveryKey);
  await app.button('Unlock');
  await app.wait('the accounts screen', '.push-button');

  // --- 3: number matching, a wrong pick then the right one.
  step('sign-in 3: number matching');
  await rp.policy(`presence_${rp.user}`, 'push_require_presence=1, push_presence_options=NUMERIC, push_presence_num_options=4');
  start = Date.now();
  detail = await rp.trigger();
  transaction = detail.transaction_id;
  const right = detail.presence_answer;
  assert.match(right, /^\d\d$/);
  await promptShown();
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

  // --- 4: code to phone: approve, then type the code the app shows on the sign-in page.
  step('sign-in 4: code to phone');
  await rp.deletePolicy(`presence_${rp.user}`);
  await rp.policy(`code_${rp.user}`, 'push_code_to_phone=1, push_code_to_phone_message=Type this code on the sign-in page');
  start = Date.now();
  transaction = (await rp.trigger()).transaction_id;
  await promptShown();
  latencies.push(ms(start));
  await app.button('Approve');
  await app.wait('the code', '.push-code');
  const code = (await app.text('.push-code')).trim();
  assert.match(code, /^\d+$/);
  assert.match(await app.text('.dialog'), /Type this code on the sign-in page/);
  await app.screenshot('push-code-to-phone');
  assert.equal((await rp.finalize(transaction, code)).value, true);
  await app.button('Close');
  await rp.deletePolicy(`code_${rp.user}`);

  // --- 5: prompt bombing: three sign-ins in a row are grouped, flagged, and denied at once.
  step('sign-ins 5-7: prompt bombing');
  const burst = [];
  for (let i = 0; i < 3; i++) burst.push((await rp.trigger()).transaction_id);
  await app.wait('the grouped, flagged prompt', '.push-group[data-suspicious="true"]');
  await waitFor('all three prompts', async () => (await app.js(`return document.querySelectorAll('.push-group li').length`)) === 2);
  await app.screenshot('push-bombing');
  await app.button('Deny all and report');
  for (const id of burst) await waitFor(`sign-in ${id} declined`, async () => (await rp.status(id)) === 'declined');
  await waitFor('the prompt to close', async () => (await app.js(`return document.querySelector('.push-prompt') === null`)));

  // --- The Activity view lists what happened, newest first.
  step('activity');
  await app.button('Sign-in approvals');
  await app.js(`document.querySelector('input[name="push-tab"][value="activity"]').click()`);
  // Ten: the two answered while locked included; the approval the wrong stand-in refused was
  // never sent, so it is not there.
  await waitFor('ten activity entries', async () => (await app.js(`return document.querySelectorAll('.push-activity li').length`)) === 10);
  const kinds = await app.js(`return [...document.querySelectorAll('.push-activity li')].map((li) => li.dataset.kind)`);
  assert.deepEqual(kinds, ['reported', 'reported', 'reported', 'approved', 'approved', 'refused', 'denied', 'approved', 'denied', 'approved']);
  assert.match(await app.text('.push-activity'), new RegExp(`Code shown: ${code}`));
  await app.screenshot('push-activity');

  // --- The organisation deletes the token: the app says so on the token.
  step('revoked by the organisation');
  await app.js(`document.querySelector('input[name="push-tab"][value="tokens"]').click()`);
  await rp.deleteToken(serial);
  await app.button('Check now');
  await waitFor('the revoked token', async () =>
    (await app.js(`return document.querySelector('.push-problem')?.textContent ?? ''`)).includes('Revoked by your organisation'),
  );
  await app.screenshot('push-revoked');

  // --- A pia:// link given at launch (as the OS hands over a clicked link) asks before adding.
  step('a push link given at launch');
  // The organisation wants a fingerprint for every approval with the next token.
  await rp.enrollmentPolicy(`force_unlock_${rp.user}`, 'push_app_force_unlock=biometric');
  const piaLink = (await rp.enrollmentLink()).replace(/^otpauth:/, 'pia:');
  await app.close();
  app = await launch(['--uri', piaLink]);
  // Lock means locked at start too: the link waits until the user unlocked.
  await app.wait('the lock screen', 'input[name="recovery-key"]', 60_000);
  assert.equal(await app.js(`return document.querySelector('.dialog');`), null, 'no offer over the lock screen');
  await app.type('input[name="recovery-key"]', recoveryKey);
  await app.button('Unlock');
  await app.wait('"Add a push token?"', '.dialog');
  await waitFor('the link preview', async () => (await app.text('.dialog')).includes('Add a push token?'));
  assert.ok((await app.text('.dialog')).includes(server.url));
  await app.screenshot('push-link-offer');
  // "Add" waits for the explicit choice to enroll a link that turns TLS checks off.
  assert.equal(await app.js(`return [...document.querySelectorAll('.dialog button')].find((b) => b.textContent.trim() === 'Add push token').disabled`), true);
  await app.click('.dialog input[name="allow-unverified-tls"]');
  await app.button('Add push token');
  await waitFor(
    'the enrollment from the link',
    async () => (await app.js(`return document.querySelector('.toast-region')?.textContent ?? ''`)).includes('Push token'),
    60_000,
  );
  await app.button('Sign-in approvals');
  await waitFor('two push tokens', async () => (await app.js(`return document.querySelectorAll('.push-tokens li').length`)) === 2);
  assert.match(piaLink, /app_force_unlock=biometric/);
  await app.js(`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));`);

  // --- That token's link asked for biometrics: approving needs verification even unlocked. No
  // verifier runs here, so the recovery key stands in (and the prompt says why).
  step('app_force_unlock=biometric: verification while unlocked');
  assert.equal(await app.js(`return document.querySelector('input[name="recovery-key"]');`), null, 'unlocked');
  detail = await rp.trigger();
  transaction = detail.transaction_id;
  await promptShown();
  await app.button('Approve');
  await app.wait('the stand-in field', '.push-stand-in input');
  assert.equal(await rp.status(transaction), 'pending', 'nothing sent before the verification');
  await app.type('.push-stand-in input', recoveryKey);
  await app.button('Approve');
  await waitFor('the server to accept', async () => (await rp.status(transaction)) === 'accept');
  assert.equal((await rp.finalize(transaction)).authentication, 'ACCEPT');
  await app.wait('the result', '.push-result[data-outcome="accepted"]');
  await app.button('Close');

  step(`prompt latency (trigger → prompt shown), ms: ${latencies.join(', ')}`);
  step(`approve round trip (click → server accepts), ms: ${roundTrips.join(', ')}`);
});

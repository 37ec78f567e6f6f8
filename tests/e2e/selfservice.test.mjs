// End-to-end test of self-service MFA, "Reset my MFA" (issue 8), against a real privacyIDEA 3.14
// that this test starts (scripts/privacyidea/start.sh, stopped when this process exits), in the
// real app under Xvfb via WebDriver.
//
// One story, the "I lost my device" path: the admin has enrolled a TOTP token for the user (on
// the phone that is now lost). The user signs in through the UI, sees their factors, disables
// the lost phone's token (the admin API shows it inactive), enrolls a replacement TOTP straight
// into Tessera (the secret is never on screen; the server accepts the code the accounts list
// shows at /validate/check), deletes the lost token, then creates backup codes, shown once: one
// of them signs in, and after "I have saved them" they are gone from the page. Locking signs out.
// With login_mode=privacyIDEA the next sign-in asks for a second factor: Tessera offers its own
// token, and a backup code typed instead completes it. Last, the form in French and dark.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { APP, launchOnNewVault, sleep, step, waitFor } from './driver.mjs';
import { relyingParty, startServer } from './privacyidea.mjs';

test('Reset my MFA against a real privacyIDEA', { timeout: 300_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  step('starting privacyIDEA and the app');
  const serverStarted = startServer();
  const { app, recoveryKey } = await launchOnNewVault();
  t.after(() => app.close());
  const server = await serverStarted;
  step(`privacyIDEA at ${server.url}`);
  const rp = relyingParty(server);
  await rp.login();
  const lost = await rp.adminEnroll('totp', 'Old phone');

  const pickCase = (which) => app.js(`document.querySelector('input[name="ss-case"][value="${which}"]').click();`);
  const doneText = () => app.js(`return document.querySelector('.ss-done')?.textContent ?? ''`);
  const pageText = () => app.js(`return document.body.innerText`);

  // --- Connect: Settings → Reset my MFA, sign in with TLS checks left on.
  step('sign in through the UI');
  await app.button('Settings');
  await app.click('[data-open-selfservice]');
  await app.wait('the sign-in form', 'input[name="server"]');
  assert.equal(await app.js(`return document.querySelector('input[name="verifyTls"]').checked`), true);
  await app.type('input[name="server"]', server.url);
  await app.type('input[name="user"]', rp.user);
  await app.type('input[name="realm"]', server.realm);
  await app.type('input[name="password"]', 'wrong password');
  await app.screenshot('selfservice-connect');
  await app.button('Sign in');
  await app.wait('the refusal', '[data-error-code="selfservice_bad_credentials"]');
  await app.type('input[name="password"]', server.user_password);
  const signIn = Date.now();
  await app.button('Sign in');
  await app.wait('the factors', `li[data-serial="${lost}"]`);
  step(`signed in and listed in ${Date.now() - signIn} ms`);
  assert.match(await app.text('.ss-session'), new RegExp(`Signed in as ${rp.user}`));
  assert.equal(await app.js(`return document.querySelector('li[data-serial="${lost}"]').dataset.here`), '');
  await app.screenshot('selfservice-factors');

  // --- I lost my device: disable the old phone's token.
  step('lost device: disable, enroll a replacement here, delete');
  await pickCase('lost');
  await app.wait('the lost-device list', `[data-action="disable"][data-serial="${lost}"]`);
  await app.screenshot('selfservice-lost-device');
  await app.click(`[data-action="disable"][data-serial="${lost}"]`);
  await waitFor('the disabled message', async () => (await doneText()).includes('disabled'));
  assert.equal((await rp.token(lost)).active, false, 'the admin API shows the token disabled');

  // Enroll a replacement TOTP into Tessera.
  await app.click('[data-enroll="totp"]');
  await waitFor('the enrolled message', async () => (await doneText()).includes('added to Tessera'), 60_000);
  // The lost-device list shows only what is not here; the factors view marks the new one.
  await pickCase('factors');
  const here = await waitFor('the new factor marked as here', async () => {
    const rows = await app.js(`return [...document.querySelectorAll('li[data-here="account"]')].map((row) => row.dataset.serial)`);
    return rows.length === 1 ? rows[0] : null;
  });
  assert.match(here, /^TOTP/);
  assert.ok(!(await app.js(`return document.documentElement.outerHTML`)).includes('secret='), 'no secret on the page');
  await app.screenshot('selfservice-enrolled');
  await app.button('Close');
  const issuers = await waitFor('the new account', async () => {
    const list = await app.issuers();
    return list.length === 1 ? list : null;
  });
  // The server accepts the code Tessera shows (retried once across a period boundary).
  let accepted = false;
  for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
    const code = await app.codeOf(issuers[0]);
    assert.match(code, /^\d{6}$/);
    accepted = (await rp.check(code)).value === true;
    if (!accepted) await sleep(2000);
  }
  assert.ok(accepted, '/validate/check accepts the code shown in Tessera');

  // Delete the lost token for good (asks first). The session is still open: no sign-in again.
  await app.button('Settings');
  await app.click('[data-open-selfservice]');
  await app.wait('the resumed session', '.ss-session');
  await app.wait('the factors again', `li[data-serial="${lost}"]`);
  await pickCase('lost');
  await app.wait('the delete button', `[data-action="delete"][data-serial="${lost}"]`);
  await app.click(`[data-action="delete"][data-serial="${lost}"]`);
  await app.wait('the confirmation', '[data-confirm-delete]');
  await app.screenshot('selfservice-confirm-delete');
  await app.click('[data-confirm-delete]');
  await waitFor('the deleted message', async () => (await doneText()).includes('deleted'));
  assert.equal(await rp.token(lost), undefined, 'the admin API no longer lists the lost token');

  // --- Backup codes: created, shown once, each signs in once.
  step('backup codes');
  await pickCase('backup');
  await app.wait('the backup form', 'input[name="count"]');
  await app.type('input[name="count"]', '3');
  await app.button('Create backup codes');
  await app.wait('the codes', '.ss-codes li');
  const codes = await app.js(`return [...document.querySelectorAll('.ss-codes li')].map((li) => li.textContent.trim())`);
  assert.equal(codes.length, 3);
  await app.screenshot('selfservice-backup-codes');
  assert.equal((await rp.check(codes[0])).value, true);
  assert.equal((await rp.check(codes[0])).value, false, 'a backup code works once');
  await app.click('[data-codes-saved]');
  await waitFor('the codes gone', async () => !(await pageText()).includes(codes[1]));
  await pickCase('factors');
  await pickCase('backup');
  assert.ok(!(await pageText()).includes(codes[2]), 'the codes are not shown again');
  await app.button('Close');

  // --- The server now asks for a second factor to sign in here (login_mode=privacyIDEA).
  await rp.webuiPolicy(`login_mode_${rp.user}`, 'login_mode=privacyIDEA');
  await rp.policy('challenge_response', 'challenge_response=totp hotp tan');

  // --- Locking signs out: the dialog opens on the sign-in form again.
  step('lock signs out');
  await app.button('Lock now (Ctrl+L)');
  await app.wait('the lock screen', 'input[name="recovery-key"]');
  // No OS verifier under Xvfb for the keychain button: the recovery key unlocks.
  await app.type('input[name="recovery-key"]', recoveryKey);
  await app.button('Unlock');
  await app.wait('the accounts screen', 'input[type=search]');
  await app.button('Settings');
  await app.click('[data-open-selfservice]');
  await app.wait('the sign-in form again', 'input[name="server"]');
  assert.equal(await app.js(`return document.querySelector('.ss-session')`), null);

  // Signing in again opens the second step: Tessera offers its own TOTP token; a backup code
  // typed instead completes it.
  step('second factor with a backup code');
  // The form remembers the last server and user (never the password).
  await waitFor('the remembered user', async () => (await app.js(`return document.querySelector('input[name="user"]').value`)) === rp.user);
  assert.equal(await app.js(`return document.querySelector('input[name="password"]').value`), '');
  await app.type('input[name="server"]', server.url);
  await app.type('input[name="user"]', rp.user);
  await app.type('input[name="realm"]', server.realm);
  await app.type('input[name="password"]', server.user_password);
  await app.button('Sign in');
  await app.wait('the second step', 'input[name="code"]');
  assert.match(await pageText(), new RegExp(`Use the code from Tessera \\(${here}\\)`));
  await app.screenshot('selfservice-second-factor');
  await app.type('input[name="code"]', codes[1]);
  await app.button('Send code');
  await app.wait('the session', '.ss-session');
  await app.button('Sign out');
  await app.wait('the sign-in form', 'input[name="server"]');
  await app.button('Cancel');

  // --- In French, dark: the sign-in form's words come from the French catalogue.
  step('French, dark');
  await app.button('Settings');
  await app.wait('the settings', '#settings-language');
  await app.js(
    `for (const [id, v] of [['#settings-language', 'fr'], ['#settings-theme', 'dark']]) {
       const s = document.querySelector(id); s.value = v; s.dispatchEvent(new Event('change'));
     }`,
  );
  await app.button('Save');
  await waitFor('the settings to close', async () => !(await app.js(`return Boolean(document.querySelector('#settings-language'));`)));
  await app.button('Paramètres');
  await app.click('[data-open-selfservice]');
  await app.wait('the French sign-in form', 'input[name="server"]');
  assert.match(await pageText(), /Réinitialiser ma MFA/);
  assert.match(await pageText(), /Vérifier le certificat du serveur/);
  await app.screenshot('selfservice-connect-fr-dark');
});

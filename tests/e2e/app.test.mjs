// End-to-end test of the real desktop app against a real keychain (run.sh starts it inside
// scripts/with-keyring.sh with TESSERA_VAULT in a temporary directory), driven through WebDriver
// (tauri-driver in front of WebKitWebDriver) over plain `fetch`.
//
// One story, in order: first run and recovery key, add by link and by form (codes equal
// oathtool's), search, copy (X clipboard read back), edit, delete and undo, screenshots in
// light/dark and English/French, restart keeps everything, lock and unlock, and unlock with the
// recovery key after the keychain entry is deleted.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { APP, KEYRING_SERVICE, assertCode, launch, launchOnNewVault, oathtool, sleep, step, unixNow, waitFor } from './driver.mjs';

// RFC 6238's key ("12345678901234567890") and another one, so expected codes are independent.
const SECRET_URI = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SECRET_FORM = 'JBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Example:alice@example.com?secret=${SECRET_URI}&issuer=Example`;

test('Tessera end to end on a real keychain', { timeout: 600_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  // First run: create the vault, recovery key in groups, retype one group.
  step('launching the app: first run');
  let { app, recoveryKey } = await launchOnNewVault({
    onStep: (app, name) => app.screenshot(`${name}-en-light`),
  });
  t.after(() => app.close());
  try {

    // --- Add by link.
    step('Add by link.');
    await app.button('Add an account');
    await app.button('Paste an otpauth:// link');
    await app.type('input[name="uri"]', URI);
    await app.screenshot('add-link-en-light');
    await app.button('Add account');
    await waitFor('the Example row', async () => (await app.issuers()).includes('Example'));
    await assertCode(app, 'Example', SECRET_URI);

    // --- Add by form.
    step('Add by form.');
    await app.button('Add an account');
    await app.button('Enter a key manually');
    await app.type('input[name="issuer"]', 'Forge');
    await app.type('input[name="name"]', 'bob');
    await app.type('input[name="secret"]', SECRET_FORM.toLowerCase());
    await app.button('Add account');
    await waitFor('the Forge row', async () => (await app.issuers()).includes('Forge'));
    await assertCode(app, 'Forge', SECRET_FORM);

    // The webview never sees a secret.
    const html = await app.js('return document.documentElement.outerHTML;');
    assert.ok(!html.includes(SECRET_URI) && !html.includes(SECRET_FORM), 'a secret reached the webview');

    // --- Search.
    step('Search.');
    await app.type('input[type=search]', 'forg');
    await waitFor('the search result', async () => JSON.stringify(await app.issuers()) === '["Forge"]');
    await app.js(`const s = document.querySelector('input[type=search]'); s.value = ''; s.dispatchEvent(new Event('input'));`);
    await waitFor('both rows', async () => (await app.issuers()).length === 2);

    // --- Copy: the X clipboard holds the code, the toast says when it clears.
    step('Copy: the X clipboard holds the code, the toast says when it clears.');
    const copied = await app.codeOf('Example');
    await app.click('.account-main');
    const clip = await waitFor('the clipboard', () => {
      const value = execFileSync('xclip', ['-selection', 'clipboard', '-o'], { encoding: 'utf8' }).trim();
      return /^\d{6}$/.test(value) ? value : null;
    });
    assert.ok(clip === copied || clip === oathtool(SECRET_URI), `clipboard ${clip}, shown ${copied}`);
    assert.match(await app.text('.toast-text'), /^Copied/);

    // --- Edit: rename and tag.
    step('Edit: rename and tag.');
    await app.click('.account[data-account-id] .row-menu button');
    await app.click('[role=menuitem][data-action=edit]');
    await app.type('input[name="name"]', 'alice (work)');
    await app.type('input[name="tags"]', 'work');
    await app.screenshot('edit-en-light');
    await app.button('Save');
    await waitFor('the new name', async () => (await app.text('.account .name')).includes('alice (work)'));

    // --- Delete, then undo.
    step('Delete, then undo.');
    await app.click('.account[data-account-id] .row-menu button');
    await app.click('[role=menuitem][data-action=delete]');
    await app.wait('the confirmation', '[role=alertdialog]');
    await app.screenshot('delete-confirm-en-light');
    await app.click('[role=alertdialog] button.danger');
    await waitFor('the row to go', async () => JSON.stringify(await app.issuers()) === '["Forge"]');
    await app.button('Undo');
    await waitFor('the row to come back', async () => (await app.issuers()).length === 2);

    // --- Screenshots: light/dark, English/French, through the settings.
    step('Screenshots: light/dark, English/French, through the settings.');
    await app.screenshot('accounts-en-light');
    const setAppearance = async (language, theme, saveLabel, showNextCode = null, shot = null) => {
      await app.click('.toolbar .icon-button:last-child');
      await app.wait('the settings', '#settings-language');
      await app.js(
        `for (const [id, v] of [['#settings-language', arguments[0]], ['#settings-theme', arguments[1]]]) {
           const s = document.querySelector(id); s.value = v; s.dispatchEvent(new Event('change'));
         }`,
        language,
        theme,
      );
      if (showNextCode !== null) {
        await app.js(`const c = document.querySelector('input[name=showNextCode]'); if (c.checked !== arguments[0]) c.click();`, showNextCode);
      }
      if (shot) await app.screenshot(shot);
      await app.button(saveLabel);
      await waitFor('the settings to close', async () => !(await app.js(`return Boolean(document.querySelector('#settings-language'));`)));
    };
    await setAppearance('en', 'dark', 'Save', true);
    await app.screenshot('accounts-en-dark');
    await setAppearance('fr', 'dark', 'Save', null, 'settings-fr-dark');
    await app.screenshot('accounts-fr-dark');
    await setAppearance('fr', 'light', 'Enregistrer');
    await app.screenshot('accounts-fr-light');

    // --- Next code: shown in the last seconds of a period, equal to oathtool's for the next step.
    step('Next code.');
    const nextOf = (issuer) =>
      app.js(
        `const row = [...document.querySelectorAll('.account')].find((r) => r.querySelector('.issuer')?.textContent === arguments[0]);
         const next = row?.querySelector('[data-next-code]');
         // Laid out all along; shown (CSS visibility, from the period's countdown) in the last seconds.
         if (!next || getComputedStyle(next).visibility !== 'visible') return null;
         // The ring draws the period's countdown too: WebKit resolves its dash offset from the written property.
         const ring = row.querySelector('.countdown');
         const drawn = parseFloat(getComputedStyle(ring.querySelector('.progress')).strokeDashoffset);
         const written = parseFloat(ring.style.getPropertyValue('--countdown-offset'));
         if (!(Math.abs(drawn - written) < 0.01)) throw new Error('ring drawn at ' + drawn + ', countdown ' + written);
         return next.dataset.nextCode;`,
        issuer,
      );
    const { before, next, after } = await waitFor(
      'the next code',
      async () => {
        const before = unixNow();
        const next = await nextOf('Forge');
        return next === null ? null : { before, next, after: unixNow() };
      },
      35_000,
    );
    assert.ok(
      [before, after].some((t) => oathtool(SECRET_FORM, t + 30) === next),
      `next code ${next}, oathtool ${oathtool(SECRET_FORM, before + 30)}`,
    );
    await app.screenshot('accounts-next-code-fr-light');
    await app.button('Ajouter un compte');
    await app.button('Saisir une clé à la main');
    await app.screenshot('add-form-fr-light');
    await app.js(`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));`);

    // --- Restart: lock means locked. The keychain unlocks after the OS verified the user (on by
    // default), so the app starts on the lock screen; here no polkit agent runs (no desktop
    // under Xvfb), so the button says the passphrase or recovery key stands in, and stays locked.
    step('Restart: locked until verified; no verifier here, so the recovery key stands in.');
    await app.close();
    app = await launch();
    await app.wait('the lock screen', 'input[name="recovery-key"]', 60_000);
    assert.equal(await app.js(`return document.querySelector('.form-error');`), null, 'no error before the user tries');
    await app.button('Utiliser le trousseau');
    await app.wait('the stand-in line', '.form-error[data-error-code="verify_stand_in"]');
    assert.match(await app.text('.form-error'), /clé de secours/);
    await app.screenshot('unlock-verify-stand-in-fr');
    assert.equal(await app.js(`return document.querySelector('input[type=search]');`), null, 'still locked');
    await app.type('input[name="recovery-key"]', recoveryKey);
    await app.button('Déverrouiller');
    await waitFor('the accounts after the recovery key', async () => (await app.issuers()).length === 2);

    // --- The user turns the verification off: the next start unlocks silently again.
    step('Verification off: the next start unlocks silently with the keychain.');
    await app.click('.toolbar .icon-button:last-child');
    await app.wait('the settings', 'input[name=verifyKeychainUnlock]');
    await app.js(`const c = document.querySelector('input[name=verifyKeychainUnlock]'); if (c.checked) c.click();`);
    await app.button('Enregistrer');
    await waitFor('the settings to close', async () => !(await app.js(`return Boolean(document.querySelector('#settings-language'));`)));
    await app.close();
    app = await launch();
    await waitFor('the accounts after restart', async () => (await app.issuers()).length === 2, 60_000);
    await assertCode(app, 'Example', SECRET_URI);
    assert.equal(await app.js(`return document.documentElement.lang;`), 'fr');

    // --- Lock, then unlock with the keychain.
    step('Lock, then unlock with the keychain.');
    await app.button('Verrouiller');
    await app.wait('the lock screen', 'input[name="recovery-key"]');
    await app.screenshot('unlock-fr-light');
    await app.button('Utiliser le trousseau');
    await waitFor('the accounts after unlock', async () => (await app.issuers()).length === 2);

    // --- The keychain entry is deleted: unlock with the recovery key.
    step('The keychain entry is deleted: unlock with the recovery key.');
    await app.close();
    execFileSync('secret-tool', ['clear', 'service', KEYRING_SERVICE]);
    app = await launch();
    await app.wait('the lock screen', 'input[name="recovery-key"]');
    const code = await app.js(`return document.querySelector('.form-error')?.dataset.errorCode ?? null;`);
    assert.equal(code, 'keychain_entry_missing');
    await app.type('input[name="recovery-key"]', recoveryKey.toLowerCase());
    await app.button('Déverrouiller');
    await waitFor('the accounts after recovery', async () => (await app.issuers()).length === 2);
    await assertCode(app, 'Forge', SECRET_FORM);
    // Asked, never re-bound silently: the entry goes back only when the user says so.
    await app.wait('the keychain question', '.keychain-lost');
    await app.screenshot('accounts-after-recovery');
    // "Not now" then a lock: the keychain still cannot open it.
    await app.button('Pas maintenant');
    await app.button('Verrouiller');
    await app.wait('the lock screen', 'input[name="recovery-key"]');
    await app.button('Utiliser le trousseau');
    await app.wait('the keychain refusal', '.form-error[data-error-code="keychain_entry_missing"]');
    await app.type('input[name="recovery-key"]', recoveryKey);
    await app.button('Déverrouiller');
    await app.wait('the keychain question again', '.keychain-lost');
    await app.click('[data-rebind-keychain]');
    await waitFor('the question to go', async () => !(await app.js(`return Boolean(document.querySelector('.keychain-lost'));`)));
    await app.button('Verrouiller');
    await app.wait('the lock screen', 'input[name="recovery-key"]');
    await app.button('Utiliser le trousseau');
    await waitFor('the accounts after the keychain unlock', async () => (await app.issuers()).length === 2);
  } catch (error) {
    // Where it stopped: a screenshot and any error the UI shows.
    step(`failed: ${error.message}`);
    await app.screenshot('failure').catch(() => {});
    const shown = await app.js(`return [...document.querySelectorAll('[role=alert], .form-error')].map((e) => e.textContent);`).catch(() => []);
    if (shown.length) step(`errors shown: ${JSON.stringify(shown)}`);
    throw error;
  }
});

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
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DRIVER = process.env.TESSERA_WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
const APP = process.env.TESSERA_APP;
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
// RFC 6238's key ("12345678901234567890") and another one, so expected codes are independent.
const SECRET_URI = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SECRET_FORM = 'JBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Example:alice@example.com?secret=${SECRET_URI}&issuer=Example`;
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
// The keyring service of debug builds (crates/core/src/keystore.rs DEBUG_SERVICE).
const KEYRING_SERVICE = process.env.TESSERA_KEYRING_SERVICE ?? 'tessera-dev';

const started = Date.now();
/** Progress on stderr, so a failure or a hang says where it was. */
const step = (what) => process.stderr.write(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${what}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const oathtool = (secret, at = null) =>
  execFileSync('oathtool', ['--totp', '-b', secret, ...(at === null ? [] : [`--now=@${at}`])], { encoding: 'utf8' }).trim();
const unixNow = () => Math.floor(Date.now() / 1000);

async function wd(method, path, body) {
  if (process.env.TESSERA_E2E_DEBUG) step(`${method} ${path} ${JSON.stringify(body ?? '').slice(0, 120)}`);
  const response = await fetch(`${DRIVER}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

async function waitFor(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** One app process behind a WebDriver session, with small helpers. */
async function launch() {
  const session = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: APP, args: [] } } },
  });
  const base = `/session/${session.sessionId}`;
  const app = {
    base,
    find: async (css) => (await wd('POST', `${base}/element`, { using: 'css selector', value: css }))[ELEMENT],
    findAll: async (css) => (await wd('POST', `${base}/elements`, { using: 'css selector', value: css })).map((e) => e[ELEMENT]),
    js: (script, ...args) => wd('POST', `${base}/execute/sync`, { script, args }),
    click: async (css) => wd('POST', `${base}/element/${await app.find(css)}/click`, {}),
    type: async (css, text) => {
      const id = await app.find(css);
      await wd('POST', `${base}/element/${id}/clear`, {});
      await wd('POST', `${base}/element/${id}/value`, { text });
    },
    text: async (css) => wd('GET', `${base}/element/${await app.find(css)}/property/innerText`),
    wait: (what, css) => waitFor(what, () => app.find(css)),
    /** Clicks the enabled button whose visible text or aria-label is `label` (else contains it). */
    button: async (label) => {
      await waitFor(`button ${label}`, () =>
        app.js(
          `const enabled = [...document.querySelectorAll('button')].filter((b) => !b.disabled);
           const names = (b) => [b.getAttribute('aria-label') ?? '', b.innerText.trim()];
           const b = enabled.find((b) => names(b).includes(arguments[0])) ?? enabled.find((b) => names(b).some((n) => n.includes(arguments[0])));
           if (b) b.click(); return Boolean(b);`,
          label,
        ),
      );
    },
    issuers: () => app.js(`return [...document.querySelectorAll('.account .issuer')].map((e) => e.textContent);`),
    codeOf: (issuer) =>
      app.js(
        `const row = [...document.querySelectorAll('.account')].find((r) => r.querySelector('.issuer')?.textContent === arguments[0]);
         return row ? row.querySelector('.code-groups').innerText.replace(/\\s+/g, '') : null;`,
        issuer,
      ),
    screenshot: async (name) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await sleep(400);
      // WebKitGTK answers a screenshot after the next presentation update, which a static page
      // never has: repaint one nearly transparent corner pixel until the screenshot is taken.
      await app.js(
        `const dot = document.createElement('div');
         dot.id = 'e2e-repaint';
         dot.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;background:#000;opacity:0.01';
         document.body.append(dot);
         window.__e2eRepaint = setInterval(() => { dot.style.opacity = dot.style.opacity === '0.01' ? '0.02' : '0.01'; }, 40);`,
      );
      const png = await wd('GET', `${base}/screenshot`).catch((error) => {
        step(`screenshot ${name} failed: ${error.message}`);
        return null;
      });
      await app.js(`clearInterval(window.__e2eRepaint); document.querySelector('#e2e-repaint')?.remove();`);
      assert.ok(png, `no screenshot ${name}`);
      writeFileSync(join(ARTIFACTS, `${name}.png`), Buffer.from(png, 'base64'));
    },
    close: () => wd('DELETE', base).catch(() => {}),
  };
  return app;
}

/** The shown code equals oathtool's at the same moment (a period boundary between reads retries). */
async function assertCode(app, issuer, secret) {
  const seen = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    const before = oathtool(secret);
    const shown = await app.codeOf(issuer);
    const after = oathtool(secret);
    seen.push({ before, shown, after });
    if (before === after && shown === before) return shown;
    await sleep(1500);
  }
  assert.fail(`codes of ${issuer} never matched oathtool: ${JSON.stringify(seen)}`);
}

test('Tessera end to end on a real keychain', { timeout: 600_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  await waitFor('tauri-driver', async () => (await wd('GET', '/status')).ready !== false);
  step('launching the app');
  let app = await launch();
  step('session created');
  t.after(() => app.close());
  try {

    // --- First run: create the vault, recovery key in groups, retype one group.
    step('First run: create the vault, recovery key in groups, retype one group.');
    await app.wait('the first-run screen', '#first-language');
    await app.js(`const s = document.querySelector('#first-language'); s.value = 'en'; s.dispatchEvent(new Event('change'));`);
    await app.js(`const s = document.querySelector('#first-theme'); s.value = 'light'; s.dispatchEvent(new Event('change'));`);
    await app.screenshot('first-run-en-light');
    await app.button('Create my vault');
    await app.wait('the recovery key', '.recovery-key');
    const groups = await app.js(`return [...document.querySelectorAll('.recovery-group')].map((g) => g.textContent);`);
    assert.equal(groups.length, 8);
    const recoveryKey = groups.join('-');
    assert.match(recoveryKey, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    await app.screenshot('recovery-key-en-light');
    await app.click('.check input[type=checkbox]');
    await app.wait('the group check', 'input[name="recovery-check"]');
    const label = await app.js(`return document.querySelector('input[name="recovery-check"]').labels[0].textContent;`);
    const number = Number(/group (\d)/.exec(label)[1]);
    await app.type('input[name="recovery-check"]', groups[number - 1]);
    await app.button('Continue');
    await app.wait('the accounts screen', 'input[type=search]');

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
         return row?.querySelector('[data-next-code]')?.dataset.nextCode ?? null;`,
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

    // --- Restart: the silent keychain unlock shows everything again.
    step('Restart: the silent keychain unlock shows everything again.');
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
    await app.screenshot('accounts-after-recovery');
  } catch (error) {
    // Where it stopped: a screenshot and any error the UI shows.
    step(`failed: ${error.message}`);
    await app.screenshot('failure').catch(() => {});
    const shown = await app.js(`return [...document.querySelectorAll('[role=alert], .form-error')].map((e) => e.textContent);`).catch(() => []);
    if (shown.length) step(`errors shown: ${JSON.stringify(shown)}`);
    throw error;
  }
});

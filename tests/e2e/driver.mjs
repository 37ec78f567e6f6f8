// Shared WebDriver helpers of the end-to-end tests (plain `fetch` to tauri-driver, which starts
// WebKitWebDriver and the app). run.sh runs each `*.test.mjs` in its own private keyring session,
// X display and vault directory, so test files never see each other's state.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DRIVER = process.env.TESSERA_WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
export const APP = process.env.TESSERA_APP;
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
export const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
// The keyring service of debug builds (crates/core/src/keystore.rs DEBUG_SERVICE).
export const KEYRING_SERVICE = process.env.TESSERA_KEYRING_SERVICE ?? 'tessera-dev';

const started = Date.now();
/** Progress on stderr, so a failure or a hang says where it was. */
export const step = (what) => process.stderr.write(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${what}\n`);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const oathtool = (secret, at = null) =>
  execFileSync('oathtool', ['--totp', '-b', secret, ...(at === null ? [] : [`--now=@${at}`])], { encoding: 'utf8' }).trim();
export const unixNow = () => Math.floor(Date.now() / 1000);

export async function wd(method, path, body) {
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

export async function waitFor(what, probe, timeoutMs = 30_000) {
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
export async function launch(args = []) {
  const session = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: APP, args } } },
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
    wait: (what, css, timeoutMs) => waitFor(what, () => app.find(css), timeoutMs),
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
export async function assertCode(app, issuer, secret) {
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

/** Starts tauri-driver's session on a fresh vault and goes through the first run (English, light
 * theme): the recovery key is shown in 8 groups and one of them is typed back. Returns the app on
 * its accounts screen and the recovery key. `onStep(app, name)` runs on the first-run screen and
 * on the recovery key (app.test.mjs takes its screenshots there). */
export async function launchOnNewVault({ onStep = async () => {} } = {}) {
  await waitFor('tauri-driver', async () => (await wd('GET', '/status')).ready !== false);
  const app = await launch();
  await app.wait('the first-run screen', '#first-language');
  await app.js(`const s = document.querySelector('#first-language'); s.value = 'en'; s.dispatchEvent(new Event('change'));`);
  await app.js(`const s = document.querySelector('#first-theme'); s.value = 'light'; s.dispatchEvent(new Event('change'));`);
  await onStep(app, 'first-run');
  await app.button('Create my vault');
  await app.wait('the recovery key', '.recovery-key');
  const groups = await app.js(`return [...document.querySelectorAll('.recovery-group')].map((g) => g.textContent);`);
  assert.equal(groups.length, 8);
  const recoveryKey = groups.join('-');
  assert.match(recoveryKey, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  await onStep(app, 'recovery-key');
  await app.click('.check input[type=checkbox]');
  await app.wait('the group check', 'input[name="recovery-check"]');
  const label = await app.js(`return document.querySelector('input[name="recovery-check"]').labels[0].textContent;`);
  const number = Number(/group (\d)/.exec(label)[1]);
  await app.type('input[name="recovery-check"]', groups[number - 1]);
  await app.button('Continue');
  await app.wait('the accounts screen', 'input[type=search]');
  return { app, recoveryKey };
}

// --- The desktop around the app: its tray menu, whether its window is on screen, the user's input.

const run = (command, args) => execFileSync(command, args, { encoding: 'utf8' });
let trayMenuAddress = null;

/** Clicks the tray menu item `label` as the desktop's panel does: libayatana-appindicator
 * exports the menu on the session bus (com.canonical.dbusmenu); a click in the panel is its
 * `Event(id, "clicked")`. run.sh gives each test its own bus, so the only tessera-desktop on it
 * is the app under test. */
export function trayMenu(label) {
  if (trayMenuAddress === null) {
    const names = run('busctl', ['--user', 'list', '--no-pager', '--no-legend'])
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[0]?.startsWith(':') && fields[2] === 'tessera-desktop')
      .map((fields) => fields[0]);
    // The indicator's objects are /org/ayatana/NotificationItem/<id>{,/Menu}. Only that node is
    // introspected: one of the app's connections does not answer introspection at all, and
    // `busctl tree` waits 25 s on it whatever --timeout says.
    const root = '/org/ayatana/NotificationItem';
    for (const name of names) {
      let xml;
      try {
        xml = run('busctl', ['--user', '--timeout=2', '--json=short', 'call', name, root, 'org.freedesktop.DBus.Introspectable', 'Introspect']);
      } catch {
        continue;
      }
      const id = /<node name="([^"]+)"/.exec(JSON.parse(xml).data[0])?.[1];
      if (id) {
        trayMenuAddress = { name, menu: `${root}/${id}/Menu` };
        break;
      }
    }
    assert.ok(trayMenuAddress, 'the app exports no tray menu on the session bus');
  }
  const { name, menu } = trayMenuAddress;
  const layout = JSON.parse(run('busctl', ['--user', '--json=short', '--', 'call', name, menu, 'com.canonical.dbusmenu', 'GetLayout', 'iias', '0', '-1', '0']));
  // (id, properties, children) nodes; children are variants of the same.
  const find = ([id, properties, children]) =>
    properties.label?.data === label ? id : children.map((child) => find(child.data)).find((found) => found !== undefined);
  const id = find(layout.data[1]);
  assert.ok(id !== undefined, `no tray menu item ${label}`);
  run('busctl', ['--user', '--', 'call', name, menu, 'com.canonical.dbusmenu', 'Event', 'isvu', String(id), 'clicked', 'i', '0', '0']);
}

/** Whether the app's main window is mapped on the X display (what the user can see), by the X
 * server's own account (xdotool), not the app's. */
export function windowShown() {
  try {
    return run('xdotool', ['search', '--onlyvisible', '--name', '^Tessera$']).trim() !== '';
  } catch {
    return false; // xdotool exits 1 when no window matches
  }
}

/** Milliseconds since the last keyboard or mouse input, from the X server's screensaver
 * extension (xprintidle): what an app asks to know whether the user is at the desktop. */
export const xIdleMs = () => Number(run('xprintidle', []).trim());

/** A user at the desktop: real X input (a one-pixel pointer move through XTEST, xdotool) every
 * `everyMs`, so the X idle time stays low. WebDriver's clicks do not count: they are events
 * inside the webview, not X input. Returns the function that stops it. */
export function userActivity(everyMs = 5000) {
  let sign = 1;
  const nudge = () => {
    sign = -sign;
    run('xdotool', ['mousemove_relative', '--', String(sign), '0']);
  };
  nudge();
  const timer = setInterval(nudge, everyMs);
  return () => clearInterval(timer);
}

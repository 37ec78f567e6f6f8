// End-to-end smoke test of the real desktop app, driven through WebDriver (tauri-driver in front
// of WebKitWebDriver). Plain `fetch` speaks the W3C WebDriver protocol, so no client library is
// needed. Started by run.sh, which provides the app, the display and the driver.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DRIVER = process.env.TESSERA_WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
const APP = process.env.TESSERA_APP;
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
// RFC 6238's test key ("12345678901234567890"), so the expected code is independently known.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const GOOD_URI = `otpauth://totp/Example:alice@example.com?secret=${SECRET}&issuer=Example`;
// No secret: must be reported in the window, not dropped.
const BAD_URI = 'otpauth://totp/Broken:bob?issuer=Broken';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function wd(method, path, body) {
  const response = await fetch(`${DRIVER}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    // Bounded: WebKitWebDriver's screenshot can wait forever for a repaint of a static page.
    signal: AbortSignal.timeout(60_000),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json.value ?? json)}`);
  }
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

const oathtool = () => execFileSync('oathtool', ['--totp', '-b', SECRET], { encoding: 'utf8' }).trim();

test('the window shows the same TOTP code as oathtool, and reports the bad URI', async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  await waitFor('tauri-driver', async () => (await wd('GET', '/status')).ready !== false);

  const session = await wd('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        'tauri:options': { application: APP, args: ['--uri', GOOD_URI, '--uri', BAD_URI] },
      },
    },
  });
  const base = `/session/${session.sessionId}`;
  // Whatever happens, keep a picture and the DOM of the window for the humans (and CI logs).
  t.after(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const png = await wd('GET', `${base}/screenshot`).catch(() => null);
    if (png) writeFileSync(join(ARTIFACTS, 'main-window.png'), Buffer.from(png, 'base64'));
    const html = await wd('GET', `${base}/source`).catch(() => null);
    if (html) writeFileSync(join(ARTIFACTS, 'main-window.html'), html);
    // After the pictures (hooks run in registration order): closes the app.
    await wd('DELETE', base).catch(() => {});
  });

  const find = async (css) => (await wd('POST', `${base}/element`, { using: 'css selector', value: css }))[ELEMENT];
  const text = async (css) => wd('GET', `${base}/element/${await find(css)}/text`);
  // WebKitWebDriver's Get Element Text returns "" for some visible flex children; innerText is
  // the rendered text too, and reliable there.
  const innerText = async (css) =>
    wd('GET', `${base}/element/${await find(css)}/property/innerText`);
  const attribute = async (css, name) =>
    wd('GET', `${base}/element/${await find(css)}/attribute/${name}`);

  await waitFor('the account row', () => find('.account .code-groups'));

  // The code is read as the user sees it (groups joined), and must equal oathtool's at the same
  // moment. A period boundary between the reads makes the pair inconclusive: read again.
  let seen = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    const before = oathtool();
    const shown = (await text('.account .code-groups')).replace(/\s+/g, '');
    const after = oathtool();
    seen.push({ before, shown, after });
    if (before === after && shown === before) break;
    await sleep(1500);
  }
  const final = seen.at(-1);
  assert.equal(final.shown, final.before, `codes never matched: ${JSON.stringify(seen)}`);
  assert.match(final.shown, /^\d{6}$/);

  // The grouping the user reads: "123 456" is two groups of three.
  const groups = await wd('POST', `${base}/elements`, {
    using: 'css selector',
    value: '.account .code-group',
  });
  assert.equal(groups.length, 2);

  assert.equal(await innerText('.account .issuer'), 'Example');
  assert.equal(await innerText('.account .name'), 'alice@example.com');
  const seconds = Number(await innerText('.countdown-number'));
  assert.ok(seconds >= 1 && seconds <= 30, `countdown out of range: ${seconds}`);
  // Announced on demand as text (run.sh sets an English locale), not as a live region.
  assert.match(await attribute('.countdown', 'aria-label'), /^\d{1,2} seconds? left$/);
  assert.equal(await attribute('.countdown', 'role'), 'timer');

  // The URI without a secret is listed with its position and core error code.
  const rejected = await attribute('.notice li', 'data-error-code');
  assert.ok(rejected && rejected.length > 0, 'the bad URI is reported with a code');
  assert.match(await innerText('.notice li'), /2/);

  // The webview never sees the secret: not in the DOM, not in any attribute.
  const html = await wd('POST', `${base}/execute/sync`, {
    script: 'return document.documentElement.outerHTML;',
    args: [],
  });
  assert.ok(!html.includes(SECRET), 'the secret reached the webview');
});

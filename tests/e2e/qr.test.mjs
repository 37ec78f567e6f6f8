// End-to-end QR enrollment in the real app (run.sh gives this file its own keyring session,
// Xvfb display and fresh vault):
// - a QR code shown on the Xvfb screen beside the app window (qrencode draws it, feh shows it)
//   is found by "Scan screen" (the window hides during the capture), added, and its code equals
//   oathtool's;
// - "Show QR code" asks first, then shows an SVG drawn in Rust, with no otpauth text in the page;
// - image files go through `qr_scan_paths`, the command behind a drop on the window (native file
//   pickers and OS drops cannot be driven through WebDriver): it decodes in Rust and sends the
//   result on the events channel, where the open scan step shows it exactly as after a drop.
//   A Google Authenticator export (one complete, one with 3 of 4 codes missing) is listed, the
//   complete one added;
// - "Paste image" reads a PNG that xclip serves on the X clipboard.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { APP, assertCode, launchOnNewVault, sleep, step, waitFor, wd } from './driver.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testdata = join(root, 'tests', 'data');
const GOOGLE = join(testdata, 'imports', 'google-migration');
const SECRET = 'KRSXG5CTMVRXEZLU';
const CLIP_SECRET = 'MFRGGZDFMZTWQ2LK';
const URI = `otpauth://totp/Screen%20Co:carol@example.com?secret=${SECRET}&issuer=Screen%20Co`;

/** Runs a Tauri command from the webview, as the UI's drop path would, and waits for it. */
async function invoke(app, command, args) {
  return wd('POST', `${app.base}/execute/async`, {
    script: `const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
               .then((value) => done({ value }), (error) => done({ error }));`,
    args: [command, args],
  });
}

const pageText = (app) => app.js(`return document.body.innerText;`);

test('QR enrollment: screen, Show QR, image files', { timeout: 240_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  const work = mkdtempSync(join(tmpdir(), 'tessera-e2e-qr-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  // The code on the screen, right of the 440 px app window (the 1280x900 Xvfb screen has no
  // window manager, so feh's geometry is where it shows).
  const png = join(work, 'code.png');
  execFileSync('qrencode', ['-s', '6', '-o', png, URI]);
  const viewer = spawn('feh', ['--borderless', '--geometry', '+880+120', png], { stdio: 'ignore' });
  t.after(() => viewer.kill());

  const { app } = await launchOnNewVault();
  t.after(() => app.close());

  step('Add > Scan a QR code > Scan screen');
  await app.button('Add an account (Ctrl+N)');
  await app.button('Scan a QR code');
  await app.wait('the scan step', '.qr-scan');
  await app.screenshot('qr-scan-menu');
  await sleep(500); // feh maps its window meanwhile
  await app.button('Scan screen');
  await app.wait('the account found on the screen', '.qr-item[data-kind="account"]');
  const found = await app.text('.qr-results');
  // Xvfb's one RandR monitor is named `screen`: shown as "Screen".
  assert.match(found, /Screen Co \(carol@example\.com\)\s+Screen/);
  assert.ok(!(await app.js(`return document.documentElement.outerHTML;`)).includes(SECRET), 'secret in the page');
  // The window came back after the capture.
  assert.equal(await app.js(`return document.visibilityState;`), 'visible');
  await app.screenshot('qr-scan-screen-result');
  await app.button('Add 1 account');
  await waitFor('the Screen Co row', async () => (await app.issuers()).includes('Screen Co'));
  await assertCode(app, 'Screen Co', SECRET);

  step('Show QR code: warning first, then an SVG and no link text');
  await app.button('Actions for Screen Co');
  await app.button('Show QR code');
  await app.wait('the warning', '[role="alertdialog"]');
  assert.match(await pageText(app), /Anyone who sees or photographs this code/);
  await app.screenshot('qr-show-warning');
  await app.button('Show the QR code');
  await app.wait('the QR code', '.account-qr svg');
  const html = await app.js(`return document.documentElement.outerHTML;`);
  assert.ok(!html.includes('otpauth') && !html.includes(SECRET), 'the URI reached the DOM');
  const rects = await app.js(`return document.querySelectorAll('.account-qr svg path, .account-qr svg rect').length;`);
  assert.ok(rects > 0, 'an empty SVG');
  await app.screenshot('qr-show-svg');
  await app.button('Close');

  step('Paste image: a PNG on the X clipboard (xclip serves it as image/png)');
  const clipPng = join(work, 'clip.png');
  execFileSync('qrencode', ['-s', '5', '-o', clipPng, `otpauth://totp/Clip%20Co:dave?secret=${CLIP_SECRET}&issuer=Clip%20Co`]);
  const clip = spawn('xclip', ['-selection', 'clipboard', '-t', 'image/png', '-i', clipPng], { stdio: 'ignore' });
  t.after(() => clip.kill());
  await app.button('Add an account (Ctrl+N)');
  await app.button('Scan a QR code');
  await app.wait('the scan step', '.qr-scan');
  await waitFor('the clipboard image', async () => {
    await app.button('Paste image');
    return /Clip Co \(dave\)\s+Clipboard/.test(await app.text('.qr-scan'));
  });
  await app.screenshot('qr-scan-clipboard-result');

  step('image files through the drop path: a complete export and one missing 3 of 4 codes');
  const scanned = await invoke(app, 'qr_scan_paths', {
    paths: [join(GOOGLE, 'scito-example_export.png'), join(GOOGLE, 'proton-GoogleAuthenticatorExport_3.png')],
  });
  assert.equal(scanned.value?.found, 2, JSON.stringify(scanned));
  await waitFor('the export accounts', async () => /Test3/.test(await app.text('.qr-results')));
  const listed = await pageText(app);
  assert.match(listed, /codes 2, 3, 4 of 4 were not scanned/);
  assert.match(listed, /Export code 1 of 4/);
  assert.doesNotMatch(listed, /Waiting/);
  await app.screenshot('qr-scan-files-result');
  // The clipboard's account is still listed and picked: the list grows until add or close. The
  // ten accounts of code 1 of 4 are picked too: as an import does, they are added now.
  await app.button('Add 14 accounts');
  await waitFor('the Test1 row', async () => (await app.issuers()).includes('Test1'));
  const issuers = await app.issuers();
  for (const issuer of ['Test1', 'Test2', 'Test3', 'TestApp', 'Screen Co', 'Clip Co']) assert.ok(issuers.includes(issuer), issuer);
  await assertCode(app, 'Clip Co', CLIP_SECRET);
  await assertCode(app, 'Test1', 'JBSWY3DPEHPK3PXP');
});

// End-to-end import and export in the real app (run.sh gives this file its own keyring session,
// display and fresh vault): a real encrypted Aegis export goes through the import wizard (wrong
// password first, then the right one), its preview matches the sample's .expected.json, one entry
// is left unchecked, the rest is committed and a code equals oathtool's; then an encrypted Aegis
// export and a Tessera backup are written and checked by re-importing them with the CLI.
//
// Native file dialogs cannot be driven through WebDriver. For the file to import, the test calls
// `import_open_paths`, the command behind a drop on the window: it opens the files and sends the
// result on the events channel, where the open wizard picks it up exactly as after a drop. For
// the export, the dialog is filled in, then `export_save` is called with a `path`, which stands
// in for the answer of the native save dialog (the same command, the same checks and writer).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { APP, assertCode, launchOnNewVault, step, waitFor, wd } from './driver.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testdata = join(root, 'tests', 'data');
const SAMPLE = join(testdata, 'imports', 'aegis', 'aegisapp-aegis_encrypted.json');
const EXPORT_PASSWORD = 'correct horse battery staple';

/** Runs `script` in the webview and waits for the promise it returns. */
async function invoke(app, command, args) {
  return wd('POST', `${app.base}/execute/async`, {
    script: `const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
               .then((value) => done({ value }), (error) => done({ error }));`,
    args: [command, args],
  });
}

const cli = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'tessera');

/** The CLI's dry-run import of `file` as JSON (same vault and keychain as the app). */
function cliImport(file, password) {
  const out = execFileSync(cli, ['import', file, '--dry-run', '--json', '--password-stdin'], {
    input: `${password}\n`,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

test('import wizard and export dialog, checked against the CLI', { timeout: 300_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must name the tessera-desktop binary');
  const expected = JSON.parse(readFileSync(`${SAMPLE}.expected.json`, 'utf8'));
  // scripts/test.sh's Rust test step built the CLI already (its integration tests run it):
  // building it here again, outside the test build's features, would rebuild its tree.
  if (process.env.TESSERA_E2E_PREBUILT !== '1' || !existsSync(cli)) {
    step('building the CLI for the re-import checks');
    execFileSync('cargo', ['build', '--quiet', '-p', 'tessera-cli'], { cwd: root, stdio: 'inherit' });
  }
  const out = mkdtempSync(join(tmpdir(), 'tessera-e2e-export-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));

  const { app } = await launchOnNewVault();
  t.after(() => app.close());

  // --- Import: the Add menu's entry opens the wizard; the file arrives as a drop would.
  step('import wizard from the Add menu');
  await app.button('Add an account (Ctrl+N)');
  await app.button('Import from another app');
  await app.wait('the import wizard', '.import-wizard[data-step="pick"]');
  const opened = await invoke(app, 'import_open_paths', { paths: [SAMPLE] });
  assert.equal(opened.value?.step, 'needsPassword', JSON.stringify(opened));
  await app.wait('the password step', 'input[name="import-password"]');
  assert.match(await app.text('.import-wizard'), /This Aegis file is encrypted/);

  step('a wrong password, then the right one');
  await app.type('input[name="import-password"]', 'not the password');
  await app.button('Open the file');
  await app.wait('the wrong password error', '.form-error[data-error-code="wrong_password"]');
  await app.type('input[name="import-password"]', expected.password);
  await app.button('Open the file');
  await app.wait('the preview', '.import-items');

  const items = await app.js(
    `return [...document.querySelectorAll('.import-item')].map((li) => ({
       status: li.dataset.status,
       name: li.querySelector('.import-name').textContent,
       checked: li.querySelector('input[type=checkbox]')?.checked ?? null,
     }));`,
  );
  assert.equal(items.length, expected.entry_count);
  assert.deepEqual(
    items.map((item) => item.name),
    expected.entries.map((entry) => `${entry.issuer} (${entry.name})`),
  );
  assert.ok(items.every((item) => item.status === 'new' && item.checked === true), JSON.stringify(items));
  assert.match(await app.text('[data-count="importable"]'), new RegExp(`^${expected.entry_count} accounts`));
  await app.screenshot('import-preview');

  step('one entry unchecked, the rest committed in one write');
  const left = expected.entries[1];
  await app.js(`document.querySelectorAll('.import-item input[type=checkbox]')[1].click();`);
  await app.button(`Import ${expected.entry_count - 1} accounts`);
  await app.wait('the summary', '.import-summary');
  const summary = await app.text('.import-summary');
  assert.match(summary, new RegExp(`${expected.entry_count - 1} accounts added`));
  assert.match(summary, /1 left unchecked/);
  await app.button('Close');
  await waitFor('the imported accounts', async () => (await app.issuers()).length === expected.entry_count - 1);
  const issuers = await app.issuers();
  assert.ok(!issuers.includes(left.issuer), `${left.issuer} was left unchecked`);
  const deno = expected.entries[0];
  assert.equal(deno.period, 30);
  await assertCode(app, deno.issuer, deno.secret);

  // --- A long key derivation shows its progress and can be cancelled at once. The Ente sample
  // with Ente's own "sensitive" cost (Argon2id 256 MiB, 32 passes: the most the importer allows)
  // derives for seconds; the password does not matter, the cancel comes first.
  step('progress and cancel during a long key derivation');
  const ente = JSON.parse(readFileSync(join(testdata, 'imports', 'ente', 'proton-ente-encrypted.lowcomplexity.txt'), 'utf8'));
  ente.kdfParams = { ...ente.kdfParams, memLimit: 256 * 1024 * 1024, opsLimit: 32 };
  const slow = join(out, 'ente-sensitive.txt');
  writeFileSync(slow, JSON.stringify(ente));
  await app.button('Add an account (Ctrl+N)');
  await app.button('Import from another app');
  await app.wait('the import wizard', '.import-wizard[data-step="pick"]');
  await invoke(app, 'import_open_paths', { paths: [slow] });
  await app.wait('the password step', 'input[name="import-password"]');
  await app.type('input[name="import-password"]', 'anything');
  await app.button('Open the file');
  await app.wait('the progress bar', '.import-wizard[data-step="deriving"] progress');
  await waitFor('a progress report', async () => /^[1-9]\d* s$/.test(await app.text('.elapsed')));
  await app.screenshot('import-progress');
  const cancelled = Date.now();
  await app.button('Cancel');
  await app.wait('the wizard back at the start', '.import-wizard[data-step="pick"]');
  const cancelMs = Date.now() - cancelled;
  step(`cancelled in ${cancelMs} ms`);
  assert.ok(cancelMs < 1500, `cancel took ${cancelMs} ms`);
  await app.button('Cancel');
  assert.equal((await app.issuers()).length, expected.entry_count - 1, 'a cancelled import writes nothing');

  // --- Export: the dialog from the settings; the save dialog's answer is given as a path.
  step('export dialog');
  await app.button('Settings');
  await app.button('Export accounts…');
  await app.wait('the export dialog', '.export-form');
  await app.js(`document.querySelector('input[name="export-format"][value="aegis_encrypted"]').click();`);
  await app.type('input[name="export-password"]', EXPORT_PASSWORD);
  await app.type('input[name="export-confirm"]', EXPORT_PASSWORD);
  await app.screenshot('export-dialog');

  const count = expected.entry_count - 1;
  for (const [format, file] of [
    ['aegis_encrypted', 'aegis-export.json'],
    ['tessera_backup', 'backup.tessera'],
  ]) {
    step(`export ${format}, then the CLI reads it back`);
    const path = join(out, file);
    const written = await invoke(app, 'export_save', {
      format,
      password: EXPORT_PASSWORD,
      confirm: EXPORT_PASSWORD,
      plainConfirmed: false,
      path,
    });
    assert.deepEqual(written.value, { path, accounts: count }, JSON.stringify(written));
    assert.equal(statSync(path).mode & 0o777, 0o600, `${file} is owner-only`);
    const read = cliImport(path, EXPORT_PASSWORD);
    assert.equal(read.format, format === 'aegis_encrypted' ? 'aegis' : 'tessera_backup');
    assert.equal(read.entries.length, count);
    // Every exported account is already in the vault: the round trip gave back the same ones.
    assert.ok(read.entries.every((entry) => entry.status === 'duplicate'), JSON.stringify(read.entries));
    assert.deepEqual(read.rejected, []);
  }
  const refused = await invoke(app, 'export_save', {
    format: 'otpauth_list',
    password: null,
    confirm: null,
    plainConfirmed: false,
    path: join(out, 'plain.txt'),
  });
  assert.equal(refused.error?.code, 'plain_not_confirmed');

  // --- Google Authenticator: QR codes drawn in Rust, shown only after the warning is accepted.
  step('migration QR codes');
  await app.js(`document.querySelector('input[name="export-format"][value="google_migration"]').click();`);
  await app.wait('the QR warning', 'input[name="export-plain-confirmed"]');
  await app.click('input[name="export-plain-confirmed"]');
  await app.button('I understand: show the codes');
  await app.wait('the QR code', '.qr-image svg');
  assert.match(await app.text('.export-qr-batch'), /^Code 1 of 1$/);
  // Steam cannot go to Google Authenticator (the 7- and 50-second entries were imported too).
  const skipped = await app.text('.export-skipped');
  assert.match(skipped, /Boeing/);
  await app.screenshot('export-qr');
  // The code on screen is a real Google Authenticator export: the CLI's scanner reads it back.
  const scanned = JSON.parse(
    execFileSync(cli, ['scan', join(root, 'tests', 'e2e', 'artifacts', 'export-qr.png'), '--json'], { encoding: 'utf8' }),
  );
  assert.equal(scanned.found.length, 1, JSON.stringify(scanned));
  assert.equal(scanned.found[0].type, 'migration');
  assert.deepEqual(
    scanned.found[0].accounts.map((account) => account.issuer),
    ['Deno', 'Issuu', 'WWE'],
  );
  await app.button('Close');
});

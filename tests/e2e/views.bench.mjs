// Click-to-ready bench of the rarely used views (issue 19; not a *.test.mjs, so run.sh runs it
// only when named: `tests/e2e/run.sh tests/e2e/views.bench.mjs`). The real app under Xvfb: for
// Settings, the push panel, the import wizard, the export dialog and "Reset my MFA", the time
// from the click that opens it to the frame after its dialog is in the page (measured inside the
// page, so WebDriver's own round trips are not in it). The first open of each comes ≥ 3 s after
// the codes are shown, as a user's would; then RUNS more. Prints one line per view and writes
// them to $TESSERA_BENCH_OUT/views.json when that is set.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { APP, launchOnNewVault, sleep, step, wd } from './driver.mjs';

const RUNS = Number(process.env.TESSERA_VIEWS_BENCH_N ?? 10);
const OUT = process.env.TESSERA_BENCH_OUT;

// In the page: clicks the button named `opener` (aria-label or text; inside an open dialog when
// `inDialog`), then resolves with the ms until the frame after a dialog titled `title` appears.
const OPEN = `
  const [opener, title, done] = arguments;
  const named = (b) => [b.getAttribute('aria-label') ?? '', b.innerText.trim()].includes(opener);
  const button = [...document.querySelectorAll('button')].find((b) => !b.disabled && named(b));
  if (!button) return done(-1);
  const shown = () => [...document.querySelectorAll('[role="dialog"], [role="alertdialog"]')].some((d) =>
    document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent?.trim() === title);
  const t0 = performance.now();
  const ready = () => requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
  const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); ready(); } });
  observer.observe(document.body, { childList: true, subtree: true });
  button.click();
  if (shown()) { observer.disconnect(); ready(); }
`;
const CLOSE = `
  for (const d of [...document.querySelectorAll('[role="dialog"]')].reverse())
    d.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  return document.querySelectorAll('[role="dialog"]').length;
`;

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor((samples.length - 1) / 2)];

test('views click-to-ready bench', { timeout: 600_000 }, async (t) => {
  assert.ok(APP, 'TESSERA_APP must be set');
  const { app } = await launchOnNewVault();
  t.after(() => app.close());
  const open = async (opener, title) => {
    const ms = (await wd('POST', `${app.base}/execute/async`, { script: OPEN, args: [opener, title] })) ?? -1;
    assert.ok(ms >= 0, `no button ${opener}`);
    return ms;
  };
  const closeAll = async () => {
    for (let i = 0; i < 3 && (await app.js(CLOSE)) > 0; i++) await sleep(100);
    await sleep(300);
  };
  // [name, steps]: each step is [button, dialog title]; the last step is the one measured.
  const views = [
    ['settings', [['Settings', 'Settings']]],
    ['push panel', [['Sign-in approvals', 'Sign-in approvals']]],
    ['import wizard', [['Settings', 'Settings'], ['Import accounts…', 'Import accounts']]],
    ['export dialog', [['Settings', 'Settings'], ['Export accounts…', 'Export accounts']]],
    ['self-service', [['Settings', 'Settings'], ['Reset my MFA…', 'Reset my MFA']]],
  ];
  await sleep(3000);
  // A page WebKit believes hidden draws no countdown (AccountsView stops its clock): say so.
  step(`page visibility: ${await app.js('return document.visibilityState;')}`);
  const rows = [];
  for (const [name, steps] of views) {
    const samples = [];
    for (let i = 0; i <= RUNS; i++) {
      let ms = 0;
      for (const [opener, title] of steps) ms = await open(opener, title);
      samples.push(ms);
      await closeAll();
    }
    const [first, ...rest] = samples;
    rows.push({ view: name, firstMs: first, medianMs: median(rest), maxMs: Math.max(...rest) });
    step(`${name}: first ${first.toFixed(1)} ms, then median ${median(rest).toFixed(1)} ms (max ${Math.max(...rest).toFixed(1)}, n=${rest.length})`);
  }
  if (OUT) writeFileSync(join(OUT, 'views.json'), JSON.stringify(rows, null, 1));
});

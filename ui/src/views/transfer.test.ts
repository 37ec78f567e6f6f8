// The import wizard and the export dialog inside the app, on the fake backend: reached from the
// Add menu and the settings, keyboard-usable, in English and French.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte';
import { FakeBackend } from '../lib/ipc/fake';
import { settle, startApp, totpForm } from '../testing/app';

const totp = (issuer: string, secret: string) => totpForm(issuer, 'alice', secret);
const start = startApp;

function backendWithFile() {
  const backend = new FakeBackend({ accounts: [totp('GitHub', 'JBSWY3DPEHPK3PXP')] });
  backend.transfer.importFiles.set('/tmp/2fas.2fas', {
    format: 'two_fas',
    password: 'secret',
    entries: [totp('GitHub', 'JBSWY3DPEHPK3PXP'), totp('Proton', 'KRSXG5CTMVRXEZLU')],
    problems: [{ label: 'Old bank', status: 'unsupported', reason: 'unsupported_type' }],
  });
  backend.transfer.nextPick = '/tmp/2fas.2fas';
  return backend;
}

describe('import and export in the app', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('imports from the Add menu: password retry, preview with duplicates unchecked, summary', async () => {
    const backend = backendWithFile();
    await start(backend);
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: /Import from another app/ }));
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Import accounts' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await settle();
    expect(dialog.textContent).toContain('This 2FAS file is encrypted');

    const field = () => within(dialog).getByLabelText('Password of the file') as HTMLInputElement;
    await fireEvent.input(field(), { target: { value: 'wrong' } });
    await fireEvent.submit(field().form as HTMLFormElement);
    await settle();
    expect(within(dialog).getByRole('alert').textContent).toBe('Wrong password for this file.');
    // Emptied and focused again for the next try.
    expect(field().value).toBe('');
    expect(document.activeElement).toBe(field());
    const password = field();

    await fireEvent.input(password, { target: { value: 'secret' } });
    await fireEvent.submit(password.form as HTMLFormElement);
    await settle();
    const boxes = within(dialog).getAllByRole('checkbox') as HTMLInputElement[];
    expect(document.activeElement).toBe(boxes[0]);
    expect(boxes.map((box) => box.checked)).toEqual([false, true]);
    expect(dialog.textContent).toContain('Already in Tessera');
    expect(dialog.textContent).toContain('Not supported: this code type (mOTP, Yandex) is not supported');
    expect(dialog.textContent).toContain('2 accounts can be imported');

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Import 1 account' }));
    await settle();
    expect(within(dialog).getByRole('status').textContent).toContain('1 account added');
    expect(dialog.textContent).toContain('1 already in Tessera, skipped');
    expect(dialog.textContent).toContain('1 not supported');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await settle();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(backend.vault.accounts.map((stored) => stored.view.issuer)).toEqual(['GitHub', 'Proton']);
    expect(backend.transfer.heldImports).toBe(0);
  });

  it('a file dropped on the window opens the wizard on its preview', async () => {
    const backend = backendWithFile();
    backend.transfer.importFiles.set('/tmp/list.txt', { format: 'otpauth_uri', password: null, entries: [totp('Cloud', 'MFRGGZDFMZTWQ2LK')], problems: [] });
    await start(backend);
    await backend.importOpenPaths(['/tmp/list.txt']);
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Import accounts' });
    expect(dialog.textContent).toContain('File from a list of otpauth:// links');
    await backend.importOpenPaths(['/tmp/none']).catch(() => {});
    await settle();
    expect(within(dialog).getByRole('alert').dataset.errorCode).toBe('unknown_format');
  });

  it('names the codes of a Google Authenticator export that were not given, in English and French', async () => {
    const backend = new FakeBackend();
    const code = {
      format: 'google_migration',
      password: null,
      entries: [totp('Cloud', 'MFRGGZDFMZTWQ2LK')],
      problems: [],
      missing: [{ batchId: -7, size: 3, numbers: [2, 3] }],
    };
    backend.transfer.importFiles.set('/tmp/code1.png', code);
    backend.transfer.importFiles.set('/tmp/code3.png', { ...code, missing: [{ batchId: -7, size: 3, numbers: [2] }] });
    backend.transfer.importFiles.set('/tmp/all.png', { ...code, missing: [] });
    await start(backend);
    await backend.importOpenPaths(['/tmp/code1.png']);
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Import accounts' });
    expect(dialog.querySelector('.import-missing')?.textContent?.trim()).toBe(
      'Google Authenticator export: codes 2, 3 of 3 were not given. Their accounts are not listed here; import them too, now or later.',
    );
    // The account of the code given can still be imported.
    expect(within(dialog).getByRole('button', { name: 'Import 1 account' })).toBeTruthy();
    cleanup();

    await start(backend, ['fr-FR']);
    await backend.importOpenPaths(['/tmp/code3.png']);
    await settle();
    const french = screen.getByRole('dialog', { name: 'Importer des comptes' });
    expect(french.querySelector('.import-missing')?.textContent?.trim()).toBe(
      'Export Google Authenticator : le code 2 sur 3 n’a pas été donné. Ses comptes ne sont pas dans cette liste ; importez-le aussi, maintenant ou plus tard.',
    );
    cleanup();

    await start(backend);
    await backend.importOpenPaths(['/tmp/all.png']);
    await settle();
    expect(screen.getByRole('dialog', { name: 'Import accounts' }).querySelector('.import-missing')).toBeNull();
  });

  it('exports from the settings: passwords must match, plain files need consent, QR codes page', async () => {
    const backend = new FakeBackend({ accounts: Array.from({ length: 12 }, (_, i) => totp(`Site ${i}`, `JBSWY3DPEHPK3PX${'ABCDEFGHIJKL'[i]}`)) });
    await start(backend, ['fr-FR']);
    await fireEvent.click(screen.getByRole('button', { name: 'Paramètres' }));
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: 'Exporter les comptes…' }));
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Exporter les comptes' });
    await fireEvent.input(within(dialog).getByLabelText('Mot de passe de l’export'), { target: { value: 'a' } });
    await fireEvent.input(within(dialog).getByLabelText('Mot de passe, à nouveau'), { target: { value: 'b' } });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Enregistrer…' }));
    await settle();
    expect(dialog.textContent).toContain('Les deux mots de passe sont différents.');
    expect(backend.transfer.exports).toEqual([]);

    await fireEvent.click(within(dialog).getByLabelText(/Liens otpauth:\/\//));
    await settle();
    const save = within(dialog).getByRole('button', { name: 'Enregistrer…' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.click(within(dialog).getByLabelText('J’ai compris que ce fichier n’est pas chiffré'));
    await settle();
    await fireEvent.click(save);
    await settle();
    expect(backend.transfer.exports).toEqual([{ format: 'otpauth_list', path: '/home/user/tessera-export' }]);
    expect(screen.getByRole('status').textContent).toContain('12 comptes exportés');

    await fireEvent.click(screen.getByRole('button', { name: 'Paramètres' }));
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: 'Exporter les comptes…' }));
    await settle();
    const again = screen.getByRole('dialog', { name: 'Exporter les comptes' });
    await fireEvent.click(within(again).getByLabelText(/QR codes pour Google Authenticator/));
    await settle();
    await fireEvent.click(within(again).getByRole('checkbox'));
    await settle();
    await fireEvent.click(within(again).getByRole('button', { name: 'J’ai compris : afficher les codes' }));
    await settle();
    expect(within(again).getByRole('img', { name: /QR code 1 sur 2/ }).innerHTML).toContain('<svg');
    expect(document.activeElement).toBe(within(again).getByRole('button', { name: 'Fermer' }));
    await fireEvent.click(within(again).getByRole('button', { name: 'Suivant' }));
    await settle();
    expect(again.textContent).toContain('Code 2 sur 2');
    expect((within(again).getByRole('button', { name: 'Suivant' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

// QR enrollment inside the app, on the fake backend: the Add menu's scan step (screen, image,
// clipboard), the result list with an incomplete export, a drop on the window, and "Show QR"
// behind its warning.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte';
import { FakeBackend } from '../lib/ipc/fake';
import { settle, startApp, totpForm } from '../testing/app';

const totp = totpForm;
const start = startApp;

async function openScan() {
  await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
  await settle();
  await fireEvent.click(screen.getByRole('button', { name: /Scan a QR code/ }));
  await settle();
  return screen.getByRole('dialog', { name: 'Scan a QR code' });
}

describe('QR enrollment in the app', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('scans the screen, names the export codes not scanned, adds the picked accounts in one call', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice', 'JBSWY3DPEHPK3PXP')] });
    backend.qr.screen = {
      'DP-1': [
        { kind: 'account', form: totp('ACME', 'bob', 'KRSXG5CTMVRXEZLU') },
        { kind: 'account', form: totp('Bank', 'bob', 'GEZDGNBVGY3TQOJQ'), batch: { id: 7, number: 1, size: 2 } },
        { kind: 'other', detail: 'https://example.com' },
      ],
      'HDMI-1': [{ kind: 'account', form: totp('GitHub', 'alice', 'JBSWY3DPEHPK3PXP') }],
    };
    await start(backend);
    const dialog = await openScan();
    // The first source has the focus, and the drop zone is explained.
    expect(document.activeElement?.textContent).toContain('Scan screen');
    expect(dialog.textContent).toContain('drop image files on this window');
    await fireEvent.click(within(dialog).getByRole('button', { name: /Scan screen/ }));
    await settle();

    const boxes = within(dialog).getAllByRole('checkbox') as HTMLInputElement[];
    // The account of code 1 of 2 can be added now, as an import adds it; code 2 is named.
    expect(boxes.map((box) => [box.checked, box.disabled])).toEqual([
      [true, false],
      [true, false],
      [false, true],
    ]);
    expect(dialog.textContent).toContain('Screen DP-1 · Export code 1 of 2');
    expect(dialog.textContent).not.toContain('Waiting');
    expect(dialog.textContent).toContain('Screen HDMI-1 · Already in Tessera');
    expect(dialog.textContent).toContain('Not an account: https://example.com');
    expect(dialog.querySelector('.qr-missing')?.textContent).toBe(
      'Google Authenticator export: code 2 of 2 was not scanned. Its accounts are not listed here; scan it too, now or later.',
    );

    // The second code of the export, from the clipboard: the export is complete, its account picked.
    backend.qr.clipboard = [
      { kind: 'account', form: totp('Shop', 'bob', 'MFRGGZDFMZTWQ2LK'), batch: { id: 7, number: 2, size: 2 } },
    ];
    await fireEvent.click(within(dialog).getByRole('button', { name: /Paste image/ }));
    await settle();
    expect(dialog.querySelector('.qr-missing')).toBeNull();
    const add = within(dialog).getByRole('button', { name: 'Add 3 accounts' });
    await fireEvent.click(add);
    await settle();
    const call = backend.calls.find((c) => c.method === 'qrAdd');
    expect(call?.args).toEqual(['scan-1', [0, 1, 4]]);
    expect(backend.vault.accounts.map((a) => a.view.issuer)).toEqual(['GitHub', 'ACME', 'Bank', 'Shop']);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.body.textContent).toContain('3 accounts added');
  });

  it('says when nothing was found and when the screen cannot be read, in French too', async () => {
    const backend = new FakeBackend();
    backend.qr.screenFailure = { code: 'screen_capture_cancelled', message: 'cancelled' };
    await start(backend, ['fr-FR']);
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: /Scanner un QR code/ }));
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Scanner un QR code' });
    await fireEvent.click(within(dialog).getByRole('button', { name: /Scanner l’écran/ }));
    await settle();
    expect(within(dialog).getByRole('alert').textContent).toBe('La capture d’écran a été annulée.');
    await fireEvent.click(within(dialog).getByRole('button', { name: /Scanner l’écran/ }));
    await settle();
    expect(dialog.textContent).toContain('Aucun QR code trouvé.');
    // Leaving forgets the held scan in the backend.
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Retour' }));
    await settle();
    expect(backend.calls.some((c) => c.method === 'qrDismiss')).toBe(true);
  });

  it('opens the scan step when images are dropped on the window, listing unreadable files', async () => {
    const backend = new FakeBackend();
    backend.qr.files.set('/tmp/code.png', [{ kind: 'account', form: totp('ACME', 'bob', 'KRSXG5CTMVRXEZLU') }]);
    await start(backend);
    // The path a drop takes (commands::qr): the result comes on the events channel.
    await backend.qrScanPaths(['/tmp/code.png', '/tmp/notes.png']);
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Scan a QR code' });
    expect(dialog.textContent).toContain('ACME (bob)');
    expect(dialog.textContent).toContain('notes.png: Not an image Tessera reads');
    expect((within(dialog).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
  });

  it('reads an image chosen in the native picker, whose filter is named in the UI language', async () => {
    const backend = new FakeBackend();
    backend.qr.files.set('/home/user/code.png', [{ kind: 'push', link: 'otpauth://pipush/PIPU1?v=1' }]);
    backend.qr.nextPick = '/home/user/code.png';
    await start(backend, ['fr-FR']);
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: /Scanner un QR code/ }));
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Scanner un QR code' });
    await fireEvent.click(within(dialog).getByRole('button', { name: /Depuis une image/ }));
    await settle();
    expect(backend.calls.find((c) => c.method === 'qrScanPick')?.args).toEqual(['Images']);
    // A push enrollment: enrolled from Rust's copy of the link, which the page never had.
    expect(dialog.textContent).toContain('Jeton de connexion push');
    expect(document.body.innerHTML).not.toContain('pipush');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Enrôler' }));
    await settle();
    expect(backend.calls.find((c) => c.method === 'qrEnrollPush')?.args).toEqual(['scan-1', 0, false]);
  });

  it('a scanned push link with TLS checks off is enrolled only after the explicit choice', async () => {
    const backend = new FakeBackend();
    const link =
      'otpauth://pipush/PIPU2?v=1&serial=PIPU2&enrollment_credential=c&sslverify=0&url=https%3A//pi.example.com/ttype/push';
    backend.qr.files.set('/home/user/code.png', [{ kind: 'push', link }]);
    backend.qr.nextPick = '/home/user/code.png';
    await start(backend);
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: /Scan a QR code/ }));
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Scan a QR code' });
    await fireEvent.click(within(dialog).getByRole('button', { name: /From image/ }));
    await settle();
    const enroll = () => within(dialog).getByRole('button', { name: 'Enroll' }) as HTMLButtonElement;
    await fireEvent.click(enroll());
    await settle();
    // Refused by the backend (Rust) without the choice; the choice appears, unticked.
    expect(dialog.querySelector('[data-error-code]')?.getAttribute('data-error-code')).toBe('push_unverified_tls');
    expect(enroll().disabled).toBe(true);
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /without checking the server’s certificate/ }));
    await settle();
    await fireEvent.click(enroll());
    await settle();
    const calls = backend.calls.filter((c) => c.method === 'qrEnrollPush').map((c) => c.args);
    expect(calls).toEqual([
      ['scan-1', 0, false],
      ['scan-1', 0, true],
    ]);
    expect(backend.push.tokens.map((token) => token.id)).toEqual(['PIPU2@https://pi.example.com']);
  });

  it('shows an account as a QR code only after the warning, without its link in the page', async () => {
    const backend = new FakeBackend({ accounts: [totp('ACME', 'bob', 'KRSXG5CTMVRXEZLU')] });
    await start(backend);
    await fireEvent.click(screen.getByRole('button', { name: 'Actions for ACME' }));
    await settle();
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Show QR code' }));
    await settle();
    const warning = screen.getByRole('alertdialog');
    expect(warning.textContent).toContain('Anyone who sees or photographs this code');
    expect(warning.querySelector('svg')).toBeNull();
    expect(backend.calls.some((c) => c.method === 'accountQrSvg')).toBe(false);
    await fireEvent.click(within(warning).getByRole('button', { name: 'Show the QR code' }));
    await settle();
    const shown = screen.getByRole('dialog');
    expect(within(shown).getByRole('img', { name: 'QR code of ACME' }).querySelector('svg')).not.toBeNull();
    expect(document.body.innerHTML).not.toContain('KRSXG5CTMVRXEZLU');
    expect(document.body.innerHTML).not.toContain('otpauth');
  });
});

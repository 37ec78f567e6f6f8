import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte';
import { FAKE_RECOVERY_KEY, FakeBackend } from './lib/ipc/fake';
import { settle, startApp, totpForm } from './testing/app';

// 1_700_000_000 is 20 s into its 30 s step: 10 s left.
const START = 1_700_000_000_000;
const SECRET = 'JBSWY3DPEHPK3PXP';
const totp = (issuer: string, name: string, secret = SECRET) => totpForm(issuer, name, secret);
const start = startApp;

const rows = () => screen.queryAllByRole('listitem').filter((li) => li.classList.contains('account'));
const rowOf = (text: string) => {
  const row = rows().find((li) => li.textContent?.includes(text));
  if (row === undefined) throw new Error(`no row with ${text}`);
  return row;
};
const issuers = () => rows().map((li) => li.querySelector('.issuer')?.textContent);

describe('App', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(START + 400);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    delete document.documentElement.dataset.theme;
  });

  it('first run: creates the vault, shows the recovery key once and checks one group', async () => {
    const backend = new FakeBackend({ state: 'noVault' });
    await start(backend);
    expect(screen.getByRole('heading', { name: 'Welcome to Tessera' })).toBeTruthy();

    // Choosing French and dark applies at once, before the vault exists.
    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    await fireEvent.change(screen.getByLabelText('Thème'), { target: { value: 'dark' } });
    expect(document.documentElement.lang).toBe('fr');
    expect(document.documentElement.dataset.theme).toBe('dark');
    await fireEvent.click(screen.getByRole('button', { name: 'Créer mon coffre' }));
    await settle();
    expect(backend.calls.find((c) => c.method === 'createVault')?.args).toEqual([null]);
    expect(backend.vault.settings.language).toBe('fr');
    expect(backend.vault.settings.theme).toBe('dark');

    const key = screen.getByRole('list', { name: 'Clé de secours, en 8 groupes' });
    const groups = [...key.querySelectorAll('.recovery-group')].map((g) => g.textContent);
    expect(groups.join('-')).toBe(FAKE_RECOVERY_KEY);
    const next = screen.getByRole('button', { name: 'Continuer' }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText('Je l’ai recopiée'));
    const field = screen.getByLabelText(/Pour vérifier, saisissez le groupe \d/) as HTMLInputElement;
    const number = Number(/groupe (\d)/.exec(field.labels?.[0]?.textContent ?? '')?.[1]);
    const wrong = groups[number % 8] as string;
    await fireEvent.input(field, { target: { value: wrong } });
    await fireEvent.click(next);
    await settle();
    expect(screen.getByText(`Ce n’est pas le groupe ${number}. Comparez avec ce que vous avez noté.`)).toBeTruthy();
    await fireEvent.input(field, { target: { value: (groups[number - 1] as string).toLowerCase() } });
    await fireEvent.click(next);
    await settle();
    expect(screen.getByRole('heading', { name: 'Aucun compte pour l’instant' })).toBeTruthy();
    // The key is gone from the DOM for good.
    expect(document.body.textContent).not.toContain(groups[0]);
  });

  it('first run with a passphrase refuses two different ones', async () => {
    const backend = new FakeBackend({ state: 'noVault' });
    await start(backend);
    await fireEvent.click(screen.getByLabelText('Also protect the vault with a passphrase'));
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'correct horse' } });
    await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: 'correct hose' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create my vault' }));
    await settle();
    expect(screen.getByText('The two passphrases are different.')).toBeTruthy();
    expect(backend.calls.some((c) => c.method === 'createVault')).toBe(false);
    await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: 'correct horse' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create my vault' }));
    await settle();
    expect(backend.vault.passphrase).toBe('correct horse');
    expect(screen.getByRole('heading', { name: 'Your recovery key' })).toBeTruthy();
  });

  it('unlocks silently with the keychain once the user turned the verification off', async () => {
    const backend = new FakeBackend({ state: 'locked', accounts: [totp('GitHub', 'alice')] });
    backend.vault.settings.verifyKeychainUnlock = false;
    await start(backend);
    expect(backend.calls.find((c) => c.method === 'unlockVault')?.args).toEqual(['keychain']);
    expect(issuers()).toEqual(['GitHub']);
  });

  it('asks the OS to verify before the keychain unlocks; refused, it stays locked', async () => {
    const backend = new FakeBackend({ state: 'locked', accounts: [totp('GitHub', 'alice')] });
    backend.vault.verifier = 'refused';
    await start(backend);
    // At start: no dialog nobody asked for, no error, the lock screen and its button.
    expect(screen.queryByRole('alert')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Use the keychain' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe('Your computer could not verify it’s you: Tessera stays locked.');
    expect(screen.getByRole('heading', { name: 'Tessera is locked' })).toBeTruthy();
    // No verifier on this desktop: the passphrase or recovery key stands in, and it says so.
    backend.vault.verifier = 'none';
    await fireEvent.click(screen.getByRole('button', { name: 'Use the keychain' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Unlock with your passphrase or recovery key');
    backend.vault.verifier = 'ok';
    await fireEvent.click(screen.getByRole('button', { name: 'Use the keychain' }));
    await settle();
    expect(issuers()).toEqual(['GitHub']);
  });

  it('explains a missing keychain entry and unlocks with the recovery key', async () => {
    const backend = new FakeBackend({ state: 'locked', accounts: [totp('GitHub', 'alice')] });
    backend.vault.keychainEntry = false;
    await start(backend);
    const alert = screen.getByRole('alert');
    expect(alert.dataset.errorCode).toBe('keychain_entry_missing');
    expect(alert.textContent).toContain('no longer in the system keychain');
    // Retrying the keychain would fail the same way: only the recovery key is offered.
    expect(screen.queryByRole('button', { name: 'Use the keychain' })).toBeNull();

    const field = screen.getByLabelText('Recovery key') as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'AAAA-BBBB' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('8 groups of 4');
    // What was typed is not kept after a failed attempt.
    expect((screen.getByLabelText('Recovery key') as HTMLInputElement).value).toBe('');

    await fireEvent.input(screen.getByLabelText('Recovery key'), { target: { value: FAKE_RECOVERY_KEY.toLowerCase() } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await settle();
    expect(issuers()).toEqual(['GitHub']);
    // The keychain lost the entry: asked, never re-bound silently.
    expect(backend.vault.keychainEntry).toBe(false);
    expect(screen.getByRole('alert').textContent).toContain('no longer holds Tessera’s key');
    await fireEvent.click(screen.getByRole('button', { name: 'Store in the keychain' }));
    await settle();
    expect(backend.vault.keychainEntry).toBe(true);
    expect(screen.queryByRole('button', { name: 'Store in the keychain' })).toBeNull();
  });

  it('offers the passphrase when the vault has one, with its error text', async () => {
    const backend = new FakeBackend({ state: 'locked', keychainAvailable: false, passphrase: 'pw' });
    await start(backend, ['fr-FR']);
    expect(screen.getByRole('heading', { name: 'Tessera est verrouillé' })).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Phrase secrète', { selector: 'input[type=password]' }), { target: { value: 'nope' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Déverrouiller' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe('Cette phrase secrète n’ouvre pas le coffre.');
    await fireEvent.input(screen.getByLabelText('Phrase secrète', { selector: 'input[type=password]' }), { target: { value: 'pw' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Déverrouiller' }));
    await settle();
    expect(screen.getByRole('heading', { name: 'Aucun compte pour l’instant' })).toBeTruthy();
  });

  it('locks with Ctrl+L and when Rust reports an auto-lock', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice')] });
    backend.vault.keychainAvailable = false;
    await start(backend);
    await fireEvent.keyDown(window, { key: 'l', ctrlKey: true });
    await settle();
    expect(backend.vault.state).toBe('locked');
    expect(screen.getByRole('heading', { name: 'Tessera is locked' })).toBeTruthy();
    expect(screen.queryByText('GitHub')).toBeNull();

    backend.vault.state = 'unlocked';
    backend.vault.emit({ type: 'vaultChanged' });
    await fireEvent.input(screen.getByLabelText('Recovery key'), { target: { value: FAKE_RECOVERY_KEY } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await settle();
    expect(issuers()).toEqual(['GitHub']);
    backend.vault.state = 'locked';
    backend.vault.emit({ type: 'vaultLocked' });
    await settle();
    expect(screen.getByRole('heading', { name: 'Tessera is locked' })).toBeTruthy();
  });

  it('shows grouped codes, counts down in ring steps and refreshes at the step boundary', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice@example.com')] });
    await start(backend);
    const row = rowOf('GitHub');
    const code = backend.vault.codeOf('acc-1');
    expect(row.querySelector('.code')?.getAttribute('data-code')).toBe(code);
    expect([...row.querySelectorAll('.code-group')].map((g) => g.textContent)).toEqual([code.slice(0, 3), code.slice(3)]);
    expect(within(row).getByText(`Code ${code.split('').join(' ')}`)).toBeTruthy();
    // Every ring of a period draws that period's countdown, labelled by one hidden label.
    const ring = (part: string) =>
      rowOf('GitHub').querySelector<HTMLElement>('.countdown')?.style.getPropertyValue(`--countdown-${part}`);
    const nextShown = () => rowOf('GitHub').querySelector<HTMLElement>('.next-code')?.style.visibility;
    const timerText = () =>
      document.getElementById(within(rowOf('GitHub')).getByRole('timer').getAttribute('aria-labelledby') ?? '')?.textContent;
    expect(within(row).getByRole('timer', { name: 'at most 10 seconds left' })).toBeTruthy();
    // 10 s of 30 left: a third of the ring (circumference 94.25) is drawn.
    expect(ring('offset')).toBe('62.83');
    expect(ring('color')).toBe('var(--accent)');
    // The next code is laid out all along (the row does not grow when it shows), shown from 10 s
    // left (setting on by default).
    const next = row.querySelector('.next-code')?.getAttribute('data-next-code');
    expect(next).toMatch(/^\d{6}$/);
    expect(nextShown()).toBe('visible');
    // The first codes came with the first screen's one reply.
    const lists = () => backend.calls.filter((c) => c.method === 'listAccounts').length;
    expect(backend.calls.map((c) => c.method)).toEqual(['firstScreen']);

    // The last step: 5 s or less, in the ending colour.
    await vi.advanceTimersByTimeAsync(5000);
    expect(timerText()).toBe('at most 5 seconds left');
    expect(ring('color')).toBe('var(--ending)');
    expect(lists()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(lists()).toBe(1);
    expect(rowOf('GitHub').querySelector('.code')?.getAttribute('data-code')).toBe(next);
    expect(timerText()).toBe('at most 30 seconds left');
    expect(ring('offset')).toBe('0.00');
    expect(ring('color')).toBe('var(--accent)');
    expect(nextShown()).toBe('hidden');
  });

  it('searches issuer, name and tags, filters by tag, pins favourites', async () => {
    const backend = new FakeBackend({
      accounts: [totp('GitHub', 'alice'), totp('Société Générale', 'bob'), totp('Google', 'carol'), totp('Proton', 'dave')],
    });
    backend.vault.accounts[2]!.view.favorite = true;
    backend.vault.accounts[1]!.view.tags = ['banque'];
    backend.vault.accounts[3]!.view.tags = ['perso'];
    await start(backend);
    expect(issuers()).toEqual(['Google', 'GitHub', 'Société Générale', 'Proton']);

    await fireEvent.keyDown(window, { key: 'f', ctrlKey: true });
    const search = screen.getByRole('searchbox', { name: 'Search accounts' });
    expect(document.activeElement).toBe(search);
    await fireEvent.input(search, { target: { value: 'societe' } });
    expect(issuers()).toEqual(['Société Générale']);
    await fireEvent.input(search, { target: { value: 'dave' } });
    expect(issuers()).toEqual(['Proton']);
    await fireEvent.input(search, { target: { value: 'zzz' } });
    expect(screen.getByText('No account matches “zzz”.')).toBeTruthy();
    await fireEvent.keyDown(search, { key: 'Escape' });
    expect(issuers()).toHaveLength(4);

    const tags = screen.getByRole('group', { name: 'Filter by tag' });
    await fireEvent.click(within(tags).getByRole('button', { name: 'banque' }));
    expect(issuers()).toEqual(['Société Générale']);
    await fireEvent.click(within(tags).getByRole('button', { name: 'All' }));
    expect(issuers()).toHaveLength(4);
  });

  it('copies on click and on Enter, arrows move through the list, and a toast confirms', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice'), totp('Google', 'carol')] });
    backend.vault.settings.clipboardClearSecs = 20;
    await start(backend);
    const first = rowOf('GitHub').querySelector('.account-main') as HTMLButtonElement;
    await fireEvent.click(first);
    await settle();
    expect(backend.calls.filter((c) => c.method === 'copyCode').map((c) => c.args)).toEqual([['acc-1']]);
    expect(screen.getByRole('status', { name: '' }).textContent).toContain('Copied — clears in 20 s');

    first.focus();
    await fireEvent.keyDown(first, { key: 'ArrowDown' });
    const second = rowOf('Google').querySelector('.account-main') as HTMLButtonElement;
    expect(document.activeElement).toBe(second);
    await fireEvent.keyDown(second, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(first);

    backend.failNext.set('copyCode', { code: 'clipboard', message: 'no display' });
    await fireEvent.click(first);
    await settle();
    expect(document.querySelector('.toast-text')?.textContent).toBe('The clipboard could not be written.');
  });

  it('deletes after confirmation and undoes from the toast', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice'), totp('Google', 'carol')] });
    await start(backend);
    await fireEvent.click(within(rowOf('GitHub')).getByRole('button', { name: 'Actions for GitHub' }));
    await settle();
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete' }));
    await settle();
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this account?' });
    // Cancel is focused first: Enter does not delete by accident.
    expect(document.activeElement?.textContent).toBe('Cancel');
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await settle();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(issuers()).toEqual(['GitHub', 'Google']);

    await fireEvent.click(within(rowOf('GitHub')).getByRole('button', { name: 'Actions for GitHub' }));
    await settle();
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete' }));
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await settle();
    expect(issuers()).toEqual(['Google']);
    expect(document.querySelector('.toast-text')?.textContent).toBe('GitHub deleted');
    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await settle();
    expect(issuers()).toEqual(['GitHub', 'Google']);
    expect(document.querySelector('.toast-text')?.textContent).toBe('GitHub restored');
  });

  it('adds by form with validation as you type, and forgets the secret', async () => {
    const backend = new FakeBackend();
    await start(backend);
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Add an account' });
    const scan = within(dialog).getByRole('button', { name: /Scan a QR code/ }) as HTMLButtonElement;
    expect(scan.disabled).toBe(false);
    expect((within(dialog).getByRole('button', { name: /Import from another app/ }) as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(within(dialog).getByRole('button', { name: /Enter a key manually/ }));
    await settle();

    await fireEvent.input(screen.getByLabelText('Service'), { target: { value: 'Example' } });
    await fireEvent.input(screen.getByLabelText('Account'), { target: { value: 'alice' } });
    const secret = screen.getByLabelText('Secret key') as HTMLInputElement;
    await fireEvent.input(secret, { target: { value: 'JBSW Y3DP 0000' } });
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Only letters A–Z and digits 2–7 are allowed (no 0, 1, 8 or 9).')).toBeTruthy();
    await fireEvent.input(secret, { target: { value: 'jbsw y3dp ehpk 3pxp' } });
    expect(secret.getAttribute('aria-invalid')).toBe('false');

    await fireEvent.click(screen.getByText('Advanced settings'));
    await fireEvent.input(screen.getByLabelText('Digits'), { target: { value: '4' } });
    expect(screen.getByText('From 5 to 10 digits.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    await settle();
    expect(backend.vault.accounts).toHaveLength(0);
    await fireEvent.input(screen.getByLabelText('Digits'), { target: { value: '8' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    await settle();

    expect(backend.vault.accounts[0]?.secret).toBe('JBSWY3DPEHPK3PXP');
    expect(backend.vault.accounts[0]?.view.digits).toBe(8);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(issuers()).toEqual(['Example']);
    expect(document.querySelector('.toast-text')?.textContent).toBe('Example added');
    expect(document.body.innerHTML).not.toContain('JBSW');
  });

  it('adds by otpauth:// link and words the parser’s error code', async () => {
    const backend = new FakeBackend();
    await start(backend, ['fr']);
    await fireEvent.click(screen.getByRole('button', { name: 'Ajouter un compte (Ctrl+N)' }));
    await settle();
    await fireEvent.click(screen.getByRole('button', { name: /Coller un lien otpauth/ }));
    await settle();
    const field = screen.getByLabelText('Lien otpauth://');
    await fireEvent.input(field, { target: { value: 'otpauth://totp/Broken:bob?issuer=Broken' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ajouter le compte' }));
    await settle();
    const alert = screen.getByRole('alert');
    expect(alert.dataset.errorCode).toBe('missing_secret');
    expect(alert.textContent).toBe('Le lien ne contient pas de secret.');
    await fireEvent.input(field, { target: { value: `otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example` } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ajouter le compte' }));
    await settle();
    expect(issuers()).toEqual(['Example']);
  });

  it('edits name, tags, icon and favourite', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice'), totp('Work mail', 'carol')] });
    await start(backend);
    await fireEvent.click(within(rowOf('Work mail')).getByRole('button', { name: 'Actions for Work mail' }));
    await settle();
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Edit' }));
    await settle();
    await fireEvent.input(screen.getByLabelText('Service'), { target: { value: 'Proton' } });
    await fireEvent.input(screen.getByLabelText('Tags'), { target: { value: 'work, perso, work ,' } });
    await fireEvent.change(screen.getByLabelText('Icon'), { target: { value: 'proton' } });
    await fireEvent.click(screen.getByLabelText('Pin to the top of the list'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await settle();
    expect(backend.calls.find((c) => c.method === 'updateAccount')?.args).toEqual([
      'acc-2',
      { issuer: 'Proton', name: 'carol', tags: ['work', 'perso'], icon: 'proton', favorite: true },
    ]);
    expect(issuers()).toEqual(['Proton', 'GitHub']);
    expect(rowOf('Proton').querySelector('[data-icon="proton"]')).toBeTruthy();
  });

  it('moves accounts with Alt+arrows and the menu', async () => {
    const backend = new FakeBackend({ accounts: [totp('A', 'a'), totp('B', 'b'), totp('C', 'c')] });
    await start(backend);
    const b = rowOf('B').querySelector('.account-main') as HTMLElement;
    b.focus();
    await fireEvent.keyDown(b, { key: 'ArrowUp', altKey: true });
    await settle();
    expect(issuers()).toEqual(['B', 'A', 'C']);
    expect(backend.vault.accounts.map((s) => s.view.issuer)).toEqual(['B', 'A', 'C']);
    expect(document.activeElement).toBe(rowOf('B').querySelector('.account-main'));
    await fireEvent.click(within(rowOf('A')).getByRole('button', { name: 'Actions for A' }));
    await settle();
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Move down' }));
    await settle();
    expect(backend.vault.accounts.map((s) => s.view.issuer)).toEqual(['B', 'C', 'A']);
  });

  it('HOTP: shows the next-code button instead of a countdown', async () => {
    const backend = new FakeBackend({ accounts: [{ ...totp('Bank', 'alice'), kind: 'hotp', counter: 3 }] });
    await start(backend);
    const before = rowOf('Bank').querySelector('.code')?.getAttribute('data-code');
    expect(within(rowOf('Bank')).queryByRole('timer')).toBeNull();
    await fireEvent.click(within(rowOf('Bank')).getByRole('button', { name: 'Next code for Bank' }));
    await settle();
    expect(backend.vault.accounts[0]?.view.counter).toBe(4);
    expect(rowOf('Bank').querySelector('.code')?.getAttribute('data-code')).not.toBe(before);
  });

  it('asks before adding a deep link, and can refuse', async () => {
    const backend = new FakeBackend();
    await start(backend);
    backend.vault.openLink(`otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example`);
    await settle();
    const dialog = screen.getByRole('alertdialog', { name: 'Add this account?' });
    expect(dialog.textContent).toContain('Example');
    expect(dialog.textContent).toContain('alice');
    // A link from a web page is not one Enter away from being added: focus is on "Dismiss".
    expect(document.activeElement?.textContent).toBe('Don’t add');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Add account' }));
    // "Add" names the link it showed.
    expect(backend.calls.find((c) => c.method === 'confirmDeepLink')?.args).toEqual([expect.any(Number)]);
    await settle();
    expect(issuers()).toEqual(['Example']);

    backend.vault.openLink(`otpauth://totp/Other:bob?secret=${SECRET}`);
    await settle();
    await fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    await settle();
    expect(backend.vault.pending).toBeNull();
    expect(issuers()).toEqual(['Example']);
  });

  it('saves settings and applies language and theme at once', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice')] });
    await start(backend);
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    await settle();
    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    await fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'light' } });
    await fireEvent.change(screen.getByLabelText('Clear the copied code after'), { target: { value: '45' } });
    await fireEvent.click(screen.getByLabelText('Show the next code when the current one is about to expire'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await settle();
    expect(backend.vault.settings).toMatchObject({ language: 'fr', theme: 'light', clipboardClearSecs: 45, showNextCode: false });
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(screen.getByRole('button', { name: 'Paramètres' })).toBeTruthy();
    // The lock screen keeps the language: Rust remembers it outside the vault.
    expect(backend.vault.appearance).toEqual({ language: 'fr', theme: 'light' });
  });

  it('draws the lock screen in the language and theme Rust kept, from one round trip', async () => {
    const backend = new FakeBackend({ state: 'locked', keychainAvailable: false, passphrase: 'pass' });
    backend.vault.appearance = { language: 'fr', theme: 'dark' };
    await start(backend);
    expect(screen.getByText('Tessera est verrouillé')).toBeTruthy();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(backend.calls.map((c) => c.method)).toEqual(['firstScreen']);
  });

  it('reports activity at most once per 30 s', async () => {
    const backend = new FakeBackend({ accounts: [totp('GitHub', 'alice')] });
    await start(backend);
    const reports = () => backend.calls.filter((c) => c.method === 'reportActivity').length;
    await fireEvent.keyDown(window, { key: 'a' });
    await fireEvent.pointerDown(window);
    expect(reports()).toBe(1);
    await vi.advanceTimersByTimeAsync(31_000);
    await fireEvent.keyDown(window, { key: 'a' });
    expect(reports()).toBe(2);
  });
});

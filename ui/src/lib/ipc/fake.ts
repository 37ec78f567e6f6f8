// The in-memory `Backend` for vitest and for `npm run dev` previews (see main.ts). It behaves like
// the Rust side where the UI can tell. One fake per feature, each recording its commands on the
// one shared recorder (fakeRecorder.ts):
//   vault     vaultFake.ts         vault states, accounts, codes, settings, deep links, events
//   transfer  transferFake.ts      import and export
//   push      pushFake.ts          push tokens, prompts, the activity log
//   qr        qrFake.ts            QR scans and "Show QR"
//   selfservice selfserviceFake.ts the user's tokens at privacyIDEA
// Tests set each feature's state on it (`backend.vault.accounts`, `backend.push.request(…)`).

import { COMMANDS, type Backend, type BackendEvent, type FirstScreen } from './contract';
import type { PushEvent } from './pushContract';
import { CallRecorder } from './fakeRecorder';
import { FakePush } from './pushFake';
import { FakeQr } from './qrFake';
import { FakeSelfService } from './selfserviceFake';
import { FakeTransfer } from './transferFake';
import { FakeVault, type FakeOptions } from './vaultFake';

export { FAKE_RECOVERY_KEY, DEFAULT_SETTINGS, type FakeOptions } from './vaultFake';
export type { FakeImportFile } from './transferFake';

/** Every `Backend` method: the commands (camelCase, generated from Rust). */
const BACKEND_METHODS = Object.keys(COMMANDS);

// The class gets its `Backend` methods from the feature fakes in the constructor; this merged
// interface gives them their types, and fake.test.ts checks that each one is there.
export interface FakeBackend extends Backend {}

export class FakeBackend {
  readonly recorder = new CallRecorder();
  readonly vault: FakeVault;
  readonly transfer: FakeTransfer;
  readonly push: FakePush;
  readonly qr: FakeQr;
  readonly selfservice: FakeSelfService;

  constructor(options: FakeOptions = {}) {
    const recorder = this.recorder;
    // Self-service signs out when the vault locks, as the Rust session does.
    const vault = new FakeVault(recorder, options, () => this.selfservice.signOut());
    this.vault = vault;
    this.transfer = new FakeTransfer(recorder, vault);
    this.push = new FakePush(recorder, () => vault.clock());
    this.qr = new FakeQr(recorder, {
      unlocked: () => vault.unlocked(),
      has: (form) => vault.has(form),
      add: (form) => vault.addAccountForm(form),
      enrollPush: (link, allowUnverifiedTls, onProgress) => this.push.enroll(link, allowUnverifiedTls, onProgress),
      emit: (event) => vault.emit(event),
    });
    this.selfservice = new FakeSelfService(recorder, {
      requireUnlocked: () => vault.unlocked(),
      add: (form) => {
        const stored = vault.store(form);
        vault.emit({ type: 'vaultChanged' });
        return stored.view.id;
      },
    });
    const self = this as unknown as Record<string, unknown>;
    for (const feature of [this.vault, this.transfer, this.push, this.qr, this.selfservice]) {
      const methods = feature as unknown as Record<string, unknown>;
      for (const name of BACKEND_METHODS) {
        const method = methods[name];
        if (typeof method === 'function') self[name] = method.bind(feature);
      }
    }
  }

  async firstScreen(
    onEvent: (event: BackendEvent) => void,
    onPushEvent: (event: PushEvent) => void,
  ): Promise<{ first: FirstScreen; unsubscribe: () => void }> {
    this.recorder.record('firstScreen', []);
    const offEvents = await this.vault.onEvent(onEvent);
    const offPush = await this.push.onPushEvent(onPushEvent);
    const first = { ...this.vault.firstScreenPart(), push: await this.push.pushStatus() };
    return {
      first,
      unsubscribe: () => {
        offEvents();
        offPush();
      },
    };
  }

  /** Every command called, for assertions (see `CallRecorder.calls`). */
  get calls() {
    return this.recorder.calls;
  }

  /** Fails the next call of a method once. */
  get failNext() {
    return this.recorder.failNext;
  }
}

/** A vault with a few accounts, for `npm run dev` previews. */
export function demoBackend(): FakeBackend {
  const secret = 'JBSWY3DPEHPK3PXP';
  const backend = new FakeBackend({
    state: 'locked',
    accounts: [
      { issuer: 'GitHub', name: 'alice@example.com', secret, kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 },
      { issuer: 'Google', name: 'alice@gmail.com', secret: secret + 'A', kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 },
      { issuer: 'Proton', name: 'alice@proton.me', secret: secret + 'B', kind: 'totp', algorithm: 'SHA256', digits: 8, period: 30, counter: 0 },
      { issuer: 'Steam', name: 'alice_gamer', secret: secret + 'C', kind: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 },
      { issuer: 'Banque Exemple', name: 'alice', secret: secret + 'D', kind: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 3 },
    ],
  });
  backend.vault.accounts[0]!.view.tags = ['work'];
  backend.vault.accounts[1]!.view.favorite = true;
  backend.vault.accounts[4]!.view.tags = ['banque'];
  return backend;
}

import { mount } from 'svelte';
import App from './App.svelte';
import type { Backend } from './lib/ipc';
import { tauriBackend } from './lib/ipc/tauri';
import './app.css';

// `npm run dev` in a plain browser (no Tauri) previews the UI against the in-memory fake.
async function pickBackend(): Promise<Backend> {
  if (import.meta.env.DEV && !('__TAURI_INTERNALS__' in window)) {
    const { demoBackend } = await import('./lib/ipc/fake');
    return demoBackend();
  }
  return tauriBackend;
}

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
// The webview reports the system locale through navigator.languages.
const languages = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
mount(App, { target, props: { backend: await pickBackend(), languages } });

import { mount } from 'svelte';
import App from './App.svelte';
import { pickLocale } from './lib/i18n';
import { tauriBackend } from './lib/ipc/tauri';
import './app.css';

// The webview reports the system locale through navigator.languages.
const locale = pickLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
document.documentElement.lang = locale;

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
mount(App, { target, props: { backend: tauriBackend, locale } });

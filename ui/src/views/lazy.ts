// The rarely used views (settings, import, export, self-service, the push panel), each its own
// chunk: their code is not fetched nor parsed before the first screen paints. Each is loaded
// once; `preloadViews` loads them when the first screen is idle, so the first click on one is
// not slower than when they were in the main bundle (docs/performance.md).

function once<T>(load: () => Promise<{ default: T }>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load().then((module) => module.default));
}

export const lazyViews = {
  settings: once(() => import('./SettingsDialog.svelte')),
  importWizard: once(() => import('./ImportWizard.svelte')),
  exportDialog: once(() => import('./ExportDialog.svelte')),
  resetMfa: once(() => import('./ResetMfa.svelte')),
  pushPanel: once(() => import('./PushPanel.svelte')),
};

/** Loads every lazy view (all settle; a failed load is retried by its next use). */
export async function preloadViews(): Promise<void> {
  await Promise.allSettled(Object.values(lazyViews).map((load) => load()));
}

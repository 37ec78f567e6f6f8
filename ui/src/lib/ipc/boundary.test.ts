import { describe, expect, it } from 'vitest';

// Every source file's text, read at test time through Vite.
const sources = import.meta.glob(['/src/**/*.ts', '/src/**/*.svelte', '!/src/**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('IPC boundary', () => {
  it('only src/lib/ipc/ imports @tauri-apps/api', () => {
    const importers = Object.entries(sources)
      .filter(([, text]) => text.includes('@tauri-apps/api'))
      .map(([path]) => path);
    expect(importers.length).toBeGreaterThan(0);
    for (const path of importers) expect(path).toMatch(/^\/src\/lib\/ipc\//);
  });

  it('presentational components make no IPC calls', () => {
    const components = Object.entries(sources).filter(([path]) =>
      path.startsWith('/src/lib/components/'),
    );
    expect(components.length).toBeGreaterThan(0);
    for (const [path, text] of components) {
      expect(text, path).not.toMatch(/lib\/ipc\/tauri|invoke\(|Backend\b/);
    }
  });
});

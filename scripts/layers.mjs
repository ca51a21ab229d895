// The one-way layers of src/, highest first: a folder may import only from the folders after it (and itself).
export const LAYERS = [
  'cli',
  'ui',
  'controllers',
  'export',
  'render',
  'sources',
  'store',
  'actions',
  'analyze',
  'parse',
  'model',
];

/** Pairs kept apart though the order would allow them: collection knows nothing of the app's state. */
const APART = { sources: ['store'] };

/** Folders whose code is pure: no file system, process, terminal or UI library. */
export const PURE = ['render', 'analyze', 'parse', 'model'];

const IMPURE_MODULES = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:tty',
  'fs',
  'child_process',
];
const UI_MODULES = ['ink', 'react', 'react/jsx-runtime', 'zustand', 'zustand/vanilla'];

/** eslint `no-restricted-imports` settings for one folder of src/. */
export function restrictionsFor(folder) {
  const above = LAYERS.slice(0, LAYERS.indexOf(folder));
  const patterns = above.map((layer) => ({
    group: [`../${layer}/*`, `../${layer}`],
    message: `src/${folder} sits below src/${layer}: the layers run ${LAYERS.join(' → ')}.`,
  }));
  for (const layer of APART[folder] ?? [])
    patterns.push({
      group: [`../${layer}/*`, `../${layer}`],
      message: `src/${folder} stays apart from src/${layer}: what is collected knows nothing of the app's state.`,
    });
  const paths = [];
  if (PURE.includes(folder))
    for (const name of [...IMPURE_MODULES, ...UI_MODULES])
      paths.push({ name, message: `src/${folder} is pure: no I/O, terminal or UI library.` });
  else if (folder !== 'ui' && folder !== 'cli')
    for (const name of ['ink', 'react', 'react/jsx-runtime'])
      paths.push({ name, message: 'Only src/ui and src/cli use Ink and React.' });
  return { patterns, paths };
}

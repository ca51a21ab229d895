// Bundles the CLI (and the bench) into single ESM files under dist/ for fast start-up.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const banner = {
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  js: "import { createRequire as __fragtopCreateRequire } from 'node:module'; const require = __fragtopCreateRequire(import.meta.url);",
};

// Ink imports react-devtools-core only when DEV=true; it is not installed, so bundle an empty stand-in.
const withoutDevtools = {
  name: 'without-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'react-devtools-core',
      namespace: 'empty',
    }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {};' }));
  },
};

await build({
  entryPoints: { fragtop: 'src/cli/main.tsx', bench: 'scripts/bench.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Modes import their code lazily; chunks keep Ink out of snapshot, record and guard.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node20',
  sourcemap: 'linked',
  banner,
  define: { 'process.env.NODE_ENV': '"production"', FRAGTOP_VERSION: JSON.stringify(version) },
  plugins: [withoutDevtools],
  logLevel: 'warning',
});

// Bundles the CLI (and the bench) into single ESM files under dist/ for fast start-up.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const banner = {
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  js: "import { createRequire as __fragtopCreateRequire } from 'node:module'; const require = __fragtopCreateRequire(import.meta.url);",
};

await build({
  entryPoints: { fragtop: 'src/cli/main.tsx', bench: 'scripts/bench.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  banner,
  define: { 'process.env.NODE_ENV': '"production"', FRAGTOP_VERSION: JSON.stringify(version) },
  // react-devtools-core is an optional Ink dependency that is never loaded in production.
  external: ['react-devtools-core'],
  logLevel: 'warning',
});

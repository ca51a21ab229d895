// Bundles the CLI (and the bench) into ESM files under dist/; `--release` builds only what the package ships.
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// The published package and the executables carry only the CLI: no bench, no source maps.
const release = process.argv.includes('--release');
// The executables take their own copy of the release bundle (scripts/build-exe.mjs), leaving dist/ alone.
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt > 0 ? process.argv[outdirAt + 1] : 'dist';

const banner = {
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  js: "import { createRequire as __fragtopCreateRequire } from 'node:module'; const require = __fragtopCreateRequire(import.meta.url);",
};

// Ink loads its React devtools bridge (and with it a WebSocket client) only when DEV=true. Bundling it would ship
// 130 KB that never runs, so it becomes a module that fails the way Ink expects when react-devtools-core is absent:
// Ink then prints its own hint instead of crashing.
const withoutDevtools = {
  name: 'without-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]build$/.test(args.resolveDir) ? { path: 'ink-devtools', namespace: 'absent' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({
      contents:
        "const error = new Error('react-devtools-core is not bundled'); error.code = 'ERR_MODULE_NOT_FOUND'; throw error;",
    }));
  },
};

// Ink 6.8's incremental renderer moves the cursor up one line too few when the frame ends in a newline (every frame
// shorter than the terminal, as fragtop's always is), so the first line was never rewritten. Ink 8 has the fix
// (previousLines.length - 1) but needs Node 22; until then the bundle carries the one-line fix.
const INK_CURSOR_UP_BUG = 'ansiEscapes.cursorUp(previousVisible - 1)';
const inkIncrementalFix = {
  name: 'ink-incremental-fix',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(INK_CURSOR_UP_BUG))
        // A newer Ink: check it has the fix, then drop this plugin.
        throw new Error(`ink log-update changed: ${INK_CURSOR_UP_BUG} not found in ${args.path}`);
      return {
        contents: source.replace(INK_CURSOR_UP_BUG, 'ansiEscapes.cursorUp(previousLines.length - 1)'),
        loader: 'js',
      };
    });
  },
};

if (release) rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: release
    ? { fragtop: 'src/cli/main.tsx' }
    : { fragtop: 'src/cli/main.tsx', bench: 'scripts/bench.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Modes import their code lazily; chunks keep Ink out of snapshot, record and guard.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node20',
  sourcemap: release ? false : 'linked',
  banner,
  define: { 'process.env.NODE_ENV': '"production"', FRAGTOP_VERSION: JSON.stringify(version) },
  plugins: [withoutDevtools, inkIncrementalFix],
  logLevel: 'warning',
});

// The man page and completions come from the option table the parser uses.
const docsEntry = `${outdir}/.write-docs.mjs`;
await build({
  entryPoints: ['scripts/write-docs.ts'],
  outfile: docsEntry,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
// --outdir may be absolute (build-exe passes one): resolve from the working directory, not this file.
const { writeDocs } = await import(pathToFileURL(resolve(docsEntry)).href);
writeDocs(outdir, version);
rmSync(docsEntry);

// The npm package: packed from a copy of this checkout, it ships only what runs and installs offline as one package.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT } from '../helpers/frames.js';
import { VERSION } from '../helpers/dist.js';
import { exitStatus, HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const work = mkdtempSync(join(tmpdir(), 'fragtop-pack-'));
let tarball = '';
let files: string[] = [];
const unpacked = join(work, 'unpacked');
const prefix = join(work, 'prefix');

beforeAll(() => {
  // prepack rebuilds dist/ in release mode: do it in a copy so the other tests keep the checkout's build.
  const copy = join(work, 'checkout');
  // Everything but what a build or an install makes (and .git, which another user may not be allowed to read).
  const skipped = new Set(['node_modules', 'dist', 'build', '.git']);
  cpSync(REPO_ROOT, copy, {
    recursive: true,
    filter: (source) => !skipped.has(source.slice(REPO_ROOT.length).split('/')[0] ?? ''),
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: copy,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )[0];
  tarball = join(work, packed.filename);
  files = packed.files.map((f: { path: string }) => f.path);
  mkdirSync(unpacked);
  execFileSync('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1']);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('ships the CLI, its demo recording, LICENSE, README and docs, and nothing that does not run', () => {
    for (const wanted of [
      'bin/fragtop.js',
      'dist/fragtop.js',
      'LICENSE',
      'README.md',
      'docs/json.md',
      'fixtures/recordings/k8s-order6-incident.ftr',
      'package.json',
    ])
      expect(files).toContain(wanted);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /bench/.test(f))).toEqual([]);
    expect(
      files.filter((f) => f.startsWith('fixtures/') && !f.startsWith('fixtures/recordings/k8s')),
    ).toEqual([]);
    expect(
      files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('scripts/')),
    ).toEqual([]);
    expect(readFileSync(join(unpacked, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('declares no runtime dependency, a repository, and builds on prepack rather than prepare', () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.repository.url).toMatch(/^git\+https:\/\//);
    expect(manifest.license).toBe('MIT');
    expect(manifest.scripts.prepare).toBeUndefined();
    expect(manifest.scripts.prepack).toContain('--release');
  });

  it('imports only Node built-ins from its JavaScript, and carries no devtools client', () => {
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(unpacked, file), 'utf8');
      for (const [, specifier] of code.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) {
        if (specifier?.startsWith('.')) continue;
        expect(isBuiltin(specifier ?? ''), `${file} imports ${specifier}`).toBe(true);
      }
      // Ink's devtools bridge brings the ws WebSocket client; it runs only under DEV=true.
      expect(code, file).not.toContain('node_modules/ws/');
    }
  });

  it('installs globally offline as one package and runs with only Node on the PATH', () => {
    const install = spawnSync(
      'npm',
      ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
      { encoding: 'utf8' },
    );
    expect(install.stderr).not.toMatch(/ERR!/);
    expect(install.status).toBe(0);
    expect(install.stdout).toMatch(/added 1 package\b/);
    // Only the directory of node itself: no npm tools, no checkout, no node_modules beside the package.
    const env = { PATH: dirname(process.execPath) };
    const bin = join(prefix, 'bin/fragtop');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
    expect(version.stdout).toBe(`fragtop ${VERSION}\n`);
    const snapshot = spawnSync(
      bin,
      ['snapshot', '--json', '--proc-root', fixturePath('centos7-numa-k8s', 'proc')],
      {
        encoding: 'utf8',
        env,
      },
    );
    expect(snapshot.status).toBe(0);
    expect(JSON.parse(snapshot.stdout).kernel).toBe('3.10.0-1160.49.1.el7.x86_64');
  });

  it.skipIf(!HAS_TMUX)(
    `plays the bundled demo from the global install${HAS_TMUX ? '' : ' (skipped: tmux is not installed)'}`,
    async () => {
      const session = new TmuxSession(
        `PATH=${dirname(process.execPath)} ${join(prefix, 'bin/fragtop')} demo`,
      );
      try {
        await session.waitFor(
          (s) => s.includes('demo: a CentOS 7 Kubernetes node') && s.includes('Free blocks'),
        );
        session.send('q');
        const screen = await session.waitFor((s) => exitStatus(s) !== null);
        expect(exitStatus(screen)).toBe(0);
      } finally {
        session.kill();
      }
    },
  );
});

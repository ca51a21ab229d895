// Measures each way fragtop is delivered: npm package, standalone executables, container image (size, start-up).
//
//   node scripts/measure-dist.mjs [--checkout DIR] [--only npm]
//
// --checkout packs and installs another checkout (an older commit, to compare) instead of this one.
// Needs: npm run build:exe first for the executables; podman as root for the image; `script` (util-linux) for the pty.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { dirname, join, resolve } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : null);
const checkout = resolve(option('--checkout') ?? ROOT);
const only = option('--only');
const RUNS = 5;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (value) => `${value.toFixed(0)} ms`;
const rows = [];
const row = (what, value) => {
  rows.push([what, value]);
  console.log(`${what}: ${value}`);
};

function duBytes(path) {
  return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
}

function timed(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return { ms: performance.now() - started, stdout: result.stdout };
}

/** From spawn to the first screen's zone table on a 120x40 pseudo-terminal; -1 when it never came. */
function firstFrameMs(command) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn('script', ['-qfc', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, CI: 'false' },
    });
    let output = '';
    const finish = (value) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      // `script` forwards the terminal's q: leave the screen cleanly before the next run.
      child.stdin.end('q');
      child.once('exit', () => done(value));
    };
    const timer = setTimeout(() => finish(-1), 20_000);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      if (output.includes('Free blocks by order')) finish(performance.now() - started);
    });
  });
}

async function firstFrame(command) {
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await firstFrameMs(command));
  return `${ms(median(times))} (median of ${times.map((t) => t.toFixed(0)).join(', ')})`;
}

async function measureNpm() {
  const work = mkdtempSync(join(tmpdir(), 'fragtop-measure-'));
  try {
    // Pack a copy: prepack/prepare rebuild dist/ there, not in the checkout.
    const copy = join(work, 'checkout');
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: checkout,
      encoding: 'utf8',
    });
    for (const file of files.split('\0').filter(Boolean)) {
      if (!existsSync(join(checkout, file))) continue;
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(checkout, file), join(copy, file));
    }
    symlinkSync(join(checkout, 'node_modules'), join(copy, 'node_modules'));
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: copy, encoding: 'utf8' }),
    );
    const tarball = join(work, packed.filename);
    row(
      'npm tarball',
      `${mb(packed.size)} (${packed.entryCount} files, ${mb(packed.unpackedSize)} unpacked)`,
    );
    const times = [];
    let added = '';
    let prefix = '';
    for (let i = 0; i < 3; i++) {
      prefix = join(work, `prefix-${i}`);
      // From npm's cache, as a second install on the same machine: the network is not what is measured.
      const { ms: took, stdout } = timed('npm', [
        'install',
        '-g',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        tarball,
      ]);
      times.push(took);
      added = /added (\d+) packages?/.exec(stdout)?.[1] ?? '?';
    }
    row('npm i -g: packages added', added);
    row('npm i -g: installed size', mb(duBytes(join(prefix, 'lib/node_modules'))));
    row(
      'npm i -g: install time',
      `${ms(median(times))} (median of ${times.map((t) => t.toFixed(0)).join(', ')})`,
    );
    row('npm i -g: first frame (live /proc)', await firstFrame(join(prefix, 'bin/fragtop')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureExe(arch) {
  const folder = join(ROOT, `build/exe/fragtop-linux-${arch}`);
  if (!existsSync(join(folder, 'fragtop'))) return row(`executable ${arch}`, 'not built (npm run build:exe)');
  const tarball = `${folder}.tar.gz`;
  row(
    `executable ${arch}: size`,
    `${mb(duBytes(folder))} folder${existsSync(tarball) ? `, ${mb(duBytes(tarball))} .tar.gz` : ''}`,
  );
  const versions = [];
  for (let i = 0; i < RUNS; i++) versions.push(timed(join(folder, 'fragtop'), ['--version'], { env: {} }).ms);
  row(`executable ${arch}: --version`, `${ms(median(versions))} (median of ${RUNS})`);
  row(`executable ${arch}: first frame (live /proc)`, await firstFrame(join(folder, 'fragtop')));
}

async function measureImage() {
  if (process.getuid?.() !== 0 || spawnSync('podman', ['--version']).status !== 0)
    return row('image', 'skipped: needs podman as root');
  const { version } = JSON.parse(execFileSync('cat', [join(ROOT, 'package.json')], { encoding: 'utf8' }));
  const image = `localhost/fragtop:${version}`;
  timed('podman', ['--runtime', 'runc', 'build', '-t', image, '-f', 'Containerfile', ROOT]);
  const size = Number(timed('podman', ['image', 'inspect', image, '--format', '{{.Size}}']).stdout);
  const saved = timed('sh', ['-c', `podman save ${image} | gzip -c | wc -c`]).stdout;
  row('image: size', `${mb(size)} (${mb(Number(saved))} as gzipped podman save)`);
  const run = 'podman --runtime runc run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024';
  const versions = [];
  for (let i = 0; i < RUNS; i++) versions.push(timed('sh', ['-c', `${run} ${image} --version`]).ms);
  row('image: podman run --version', `${ms(median(versions))} (median of ${RUNS})`);
  row('image: podman run -it first frame', await firstFrame(`${run} -it ${image}`));
}

await measureNpm();
if (only !== 'npm') {
  await measureExe('x64');
  await measureExe('arm64');
  await measureImage();
}
console.log(`\n| what | ${checkout === resolve(ROOT) ? 'this checkout' : checkout} |\n|---|---|`);
for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);

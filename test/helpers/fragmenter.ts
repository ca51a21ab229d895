// Builds and runs fragmenter.c, which fragments this machine's free memory, for tests that need a fragmented buddy allocator.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Next to this file; from the repository root when this module is bundled elsewhere (the bench). */
const SOURCE_PATHS = [
  fileURLToPath(new URL('./fragmenter.c', import.meta.url)),
  join(process.cwd(), 'test/helpers/fragmenter.c'),
];
/** The program's own limit; larger sizes are refused with exit 2. */
export const FRAGMENTER_MAX_MIB = 2048;
export const FRAGMENTER_DEFAULT_MIB = 1024;

export interface Fragmenter {
  pid: number;
  mebibytes: number;
  /** Resolves to the exit code when the program exits, for whatever reason. */
  exited: Promise<number | null>;
  /** Closes its stdin (it then frees everything and exits) and waits for it; resolves to the exit code. */
  stop(): Promise<number | null>;
}

let built: { binary: string } | { reason: string } | undefined;

/** Compiles fragmenter.c once per process; the reason is set when it cannot run here. */
function build(): { binary: string } | { reason: string } {
  if (built !== undefined) return built;
  if (process.platform !== 'linux') return (built = { reason: 'the fragmenter needs Linux' });
  const source = SOURCE_PATHS.find((path) => existsSync(path));
  if (source === undefined) return (built = { reason: 'test/helpers/fragmenter.c is not there' });
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return (built = { reason: 'gcc is not installed, so the fragmenter cannot be built' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'fragtop-fragmenter-'));
  const binary = join(dir, 'fragmenter');
  try {
    execFileSync('gcc', ['-O2', '-Wall', '-o', binary, source], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
    return (built = {
      reason: `gcc could not build the fragmenter: ${stderr.split('\n')[0] ?? 'unknown error'}`,
    });
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (built = { binary });
}

/** Why the fragmenter cannot run on this machine, or null when it can (use with it.skipIf / describe.skipIf). */
export function fragmenterUnavailable(): string | null {
  const result = build();
  return 'reason' in result ? result.reason : null;
}

/**
 * Starts the fragmenter with `mebibytes` of memory (default 1024, at most 2048) and resolves once
 * it has touched every page and given back every other one ("ready"); with `pageTables`, half of the memory
 * goes to page tables instead (unmovable pages that make the kernel steal pageblocks). Rejects when it cannot be
 * built or exits early (for example when mmap fails).
 */
export function startFragmenter(
  mebibytes = FRAGMENTER_DEFAULT_MIB,
  options: { pageTables?: boolean } = {},
): Promise<Fragmenter> {
  const result = build();
  if ('reason' in result) return Promise.reject(new Error(result.reason));
  return new Promise((resolve, reject) => {
    const args = [String(mebibytes), ...(options.pageTables ? ['pagetables'] : [])];
    const child: ChildProcess = spawn(result.binary, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let ready = false;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (ready || !/^ready$/m.test(stdout)) return;
      ready = true;
      resolve({
        pid: child.pid ?? -1,
        mebibytes,
        exited,
        stop: () => {
          child.stdin?.end();
          return exited;
        },
      });
    });
    child.once('error', (error) => reject(error));
    void exited.then((code) => {
      if (!ready)
        reject(
          new Error(`fragmenter exited with ${code ?? 'a signal'} before it was ready: ${stderr.trim()}`),
        );
    });
  });
}

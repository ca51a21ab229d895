// Writes the man page and the shell completions from the option table; the build runs it, so they never drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bashCompletion, fishCompletion, zshCompletion } from '../src/cli/completions.js';
import { manPage } from '../src/cli/man-page.js';

export function writeDocs(outdir: string, version: string): void {
  mkdirSync(join(outdir, 'man'), { recursive: true });
  mkdirSync(join(outdir, 'completions'), { recursive: true });
  // The date of the version, not of the build: the same sources give the same page.
  writeFileSync(join(outdir, 'man', 'fragtop.1'), manPage(version, '2026-11'));
  writeFileSync(join(outdir, 'completions', 'fragtop.bash'), bashCompletion());
  writeFileSync(join(outdir, 'completions', '_fragtop'), zshCompletion());
  writeFileSync(join(outdir, 'completions', 'fragtop.fish'), fishCompletion());
}

// Tests the pages generated from the option table: per-command help within 80 columns with defaults, examples and
// exit codes; the man page (groff finds no problem); completions that real bash, zsh and fish load and answer.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashCompletion, fishCompletion, zshCompletion } from '../../src/cli/completions.js';
import { helpText, HELP_WIDTH } from '../../src/cli/help-text.js';
import { manPage } from '../../src/cli/man-page.js';
import { COMMANDS, OPTIONS, optionsFor, spellings } from '../../src/cli/option-table.js';
import { writeDocs } from '../../scripts/write-docs.js';

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const docs = mkdtempSync(join(tmpdir(), 'fragtop-docs-'));
writeDocs(docs, '0.0.0-test');

describe('help pages', () => {
  it.each([null, ...COMMANDS.filter((c) => c !== 'live')])('fragtop %s --help fits 80 columns', (command) => {
    const text = helpText(command);
    const wide = text.split('\n').filter((line) => line.length > HELP_WIDTH);
    expect(wide).toEqual([]);
  });

  it.each(COMMANDS)(
    'the %s page lists every option of the command with its default, examples and exit codes',
    (command) => {
      const text = helpText(command);
      for (const option of optionsFor(command)) {
        expect(text).toContain(option.long);
        const fallback = option.defaults?.[command] ?? option.defaults?.all;
        // A default may be wrapped onto the next line: compare with spaces squeezed.
        if (fallback) expect(text.replace(/\s+/g, ' ')).toContain(`(default: ${fallback})`);
      }
      expect(text).toMatch(/\nexamples:\n {2}fragtop/);
      expect(text).toMatch(/\nexit codes:\n {2}0 {3}/);
    },
  );

  it("guard's page names its defaults: 5 s interval, 10 m cooldown, compact", () => {
    const text = helpText('guard').replace(/\s+/g, ' ');
    expect(text).toContain('(default: 5s)');
    expect(text).toContain('(default: 10m)');
    expect(text).toContain('(default: compact)');
  });
});

describe('man page', () => {
  const page = manPage('1.2.3', '2026-11');

  it('names every option of every command', () => {
    for (const option of OPTIONS)
      for (const name of spellings(option)) expect(page).toContain(name.replace(/-/g, '\\-'));
  });

  it.skipIf(!has('groff'))(
    `renders with no groff warning${has('groff') ? '' : ' (skipped: groff is not installed)'}`,
    () => {
      const result = spawnSync('groff', ['-man', '-ww', '-z', join(docs, 'man', 'fragtop.1')], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
    },
  );
});

describe('completions', () => {
  it('are written by the build from the same table', () => {
    expect(execFileSync('cat', [join(docs, 'completions', 'fragtop.bash')], { encoding: 'utf8' })).toBe(
      bashCompletion(),
    );
  });

  it.skipIf(!has('bash'))('bash completes commands, options, values and slab sort letters', () => {
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${join(docs, 'completions', 'fragtop.bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _fragtop; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(complete('fragtop', 'gu')).toBe('guard');
    expect(complete('fragtop', 'guard', '--co')).toBe('--cooldown');
    expect(complete('fragtop', '--rea').split(' ')).toEqual(['--read-only', '--readonly']);
    expect(complete('fragtop', '-s', '').split(' ')).toContain('c');
    expect(complete('fragtop', 'guard', '--action', 'dr').split(' ')).toContain('drop-caches=3');
    // An option of another command is not offered.
    expect(complete('fragtop', 'check', '--dry')).toBe('');
  });

  it.skipIf(!has('zsh'))(
    `zsh loads the completion without a syntax error${has('zsh') ? '' : ' (skipped: zsh is not installed)'}`,
    () => {
      expect(spawnSync('zsh', ['-n', join(docs, 'completions', '_fragtop')]).status).toBe(0);
      expect(zshCompletion()).toMatch(/^#compdef fragtop/);
    },
  );

  it.skipIf(!has('fish'))(
    `fish completes options for a command${has('fish') ? '' : ' (skipped: fish is not installed)'}`,
    () => {
      const out = execFileSync(
        'fish',
        ['-c', `source ${join(docs, 'completions', 'fragtop.fish')}; complete -C 'fragtop guard --co'`],
        { encoding: 'utf8' },
      );
      expect(out).toMatch(/^--cooldown\t/m);
      expect(fishCompletion()).toContain('complete -c fragtop');
    },
  );
});

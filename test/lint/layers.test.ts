// Tests that the lint enforces the one-way layers of src/: a wrong-way import fails, a right-way one passes.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../scripts/layers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function importErrors(folder: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}src/${folder}/layer-probe.ts` });
  return result!.messages
    .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((message) => message.message);
}

describe('layer lint', () => {
  it.each([
    ['parse', "import { decodeGfp } from '../analyze/gfp-decode.js';\nexport const x = decodeGfp;\n"],
    ['render', "import type { App } from '../ui/App.js';\nexport type X = typeof App;\n"],
    [
      'sources',
      "import type { FragtopStore } from '../store/create-store.js';\nexport type X = FragtopStore;\n",
    ],
    ['ui', "import { main } from '../cli/main.js';\nexport const x = main;\n"],
    ['model', "import type { Problem } from '../parse/types.js';\nexport type X = Problem;\n"],
  ])('fails a wrong-way import from src/%s', async (folder, code) => {
    const errors = await importErrors(folder, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`src/${folder} (sits below|stays apart from)`));
  });

  it.each([
    ['analyze', "import type { Problem } from '../parse/types.js';\nexport type X = Problem;\n"],
    ['ui', "import { humanBytes } from '../render/format.js';\nexport const x = humanBytes;\n"],
    ['cli', "import type { App } from '../ui/App.js';\nexport type X = typeof App;\n"],
  ])('passes a right-way import from src/%s', async (folder, code) => {
    expect(await importErrors(folder, code)).toEqual([]);
  });

  it('keeps the pure layers free of I/O and of Ink', async () => {
    const fs = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n";
    const ink = "import { Text } from 'ink';\nexport const x = Text;\n";
    for (const [folder, code] of [
      ['analyze', fs],
      ['render', ink],
    ] as const) {
      const errors = await importErrors(folder, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`src/${folder} is pure: no I/O, terminal or UI library.`);
    }
  });

  it('names every folder of src/ as a layer', async () => {
    const { readdirSync } = await import('node:fs');
    const folders = readdirSync(`${root}src`, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.map((e) => e.name).sort()).toEqual([...LAYERS].sort());
  });
});

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { LAYERS, restrictionsFor } from './scripts/layers.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The layers run one way: a wrong-way import fails the lint, and so `npm test`.
  ...LAYERS.map((folder) => ({
    files: [`src/${folder}/**/*.{ts,tsx}`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictionsFor(folder)] },
  })),
);

/**
 * ESLint (flat config): typescript-eslint's type-aware recommended rules (floating promises,
 * unsafe `any`, misused promises …) over the TypeScript, and the layer rule: the edges under
 * functions/ import only core and commons, never each other (CONTRIBUTING.md, "Layers").
 */
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const EDGES = ['http', 'scim', 'import', 'export', 'notify', 'activation'];

/**
 * Element types the dependency policies speak of, most specific first (a file is the first that
 * matches). The manifest (functions/manifest.ts) is none of them: it reads every layer, and
 * `boundaries/no-unknown` keeps every layer from reading it (or infra/, test/, bench/).
 */
const elements = [
  { type: 'api', pattern: 'functions/commons/api/**', partialMatch: false },
  { type: 'commons', pattern: 'functions/commons/**', partialMatch: false },
  { type: 'core', pattern: 'functions/core/**', partialMatch: false },
  ...EDGES.map((edge) => ({ type: edge, pattern: `functions/${edge}/**`, partialMatch: false })),
];

const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });

/** Who may import whom; everything else under functions/ is refused. */
const policies = [
  // The bottom: generic helpers and AWS clients, which know nothing of Seatkeeper's rules.
  { from: { element: { type: 'commons' } }, allow: to('commons') },
  // The seat rules, fields, roles, errors, tables, buckets and records.
  { from: { element: { type: 'core' } }, allow: to('core', 'commons') },
  // API Gateway plumbing shared by the edges that answer HTTP (middy handler, roles, error bodies, request parsing).
  { from: { element: { type: 'api' } }, allow: to('api', 'core', 'commons') },
  // Each edge: itself, core and commons; never another edge, never the manifest.
  ...EDGES.map((edge) => ({ from: { element: { type: edge } }, allow: to(edge, 'core', 'commons', 'api') })),
];

/** The layer rule on its own, so a test can show it refuses a change that crosses a layer (test/infra/layers.test.ts). */
export const layers = {
  files: ['functions/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'import/resolver': { typescript: { project: './tsconfig.json' } },
    'boundaries/elements': elements,
    // Static imports, re-exports and import(): a layer cannot be crossed by any of them.
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
  },
  rules: {
    'boundaries/dependencies': ['error', { default: 'disallow', policies }],
    'boundaries/no-unknown-dependencies': 'error',
  },
};

export default defineConfig(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', '.bench/', 'coverage/', 'web/dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'vitest.config.ts', 'playwright.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Middy middleware and Lambda handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks what is left out on purpose: `const { key: _, ...rest } = item`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The local runtime's servers take async listeners (node:http), each catching its own errors.
    files: ['infra/local/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },
  {
    // Tests read JSON response bodies, which are `any`, field by field: that is what they check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  layers,
);

// Type-aware linting: floating promises are the classic Temporal bug (an un-awaited
// activity or signal silently does nothing). The import rules below keep data flowing one
// way: workflow code reaches nothing with side effects, and the rest of the code reaches
// workflows only through their definitions (types, signals, queries, ids).
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];
const noNodeApis = nodeBuiltins
  .flatMap((name) => [name, `node:${name}`])
  .map((name) => ({ name, message: 'Workflow code must be deterministic: no Node APIs.' }));

/** Values from workflows/ only through workflows/definitions; workflow bodies and their parts as types at most. */
const onlyDefinitionsFromWorkflows = {
  regex: '^(\\.\\./)+workflows(?!/definitions(/|$))(/.*)?$',
  allowTypeImports: true,
  message: 'Import workflows/definitions (or a workflow as a type); workflow code is loaded by the worker, not imported.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cloro-temporal/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node APIs, not even through an import.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeApis,
          patterns: [
            {
              regex: '^(?!\\.\\.?/|@temporalio/(workflow|common)$)',
              message:
                'Workflow code imports only @temporalio/workflow (and its deterministic core @temporalio/common), its own folder and pure modules.',
            },
            {
              regex: '^(\\.\\./)+src/(?!prompts/start-options$|cloro/prices$|cloro/task-rules$)',
              allowTypeImports: true,
              message:
                'Workflow code imports values only from pure modules (src/prompts/start-options, src/cloro/prices, src/cloro/task-rules); anything else as a type.',
            },
            {
              regex: '^(\\.\\./)+activities(/|$)',
              allowTypeImports: true,
              message: 'Reach activities through workflows/retry-policies.ts; import their types only.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No env reads in workflow code.' }],
    },
  },
  {
    // Imported by workflow code, so held to its rules.
    files: ['src/prompts/start-options.ts', 'src/cloro/prices.ts', 'src/cloro/task-rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeApis,
          patterns: [
            {
              regex: '^(?!\\.\\./\\.\\./workflows/definitions$|@temporalio/common$)',
              allowTypeImports: true,
              message: 'A pure module imports only workflows/definitions and @temporalio/common.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No env reads in workflow code.' }],
    },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [onlyDefinitionsFromWorkflows] }] },
  },
  {
    // Loaded into users' workflow sandboxes: it re-exports workflow code and nothing else.
    files: ['src/package/workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeApis,
          patterns: [
            {
              regex: '^(?!\\.\\./\\.\\./workflows(/|$))',
              allowTypeImports: true,
              message: 'The workflow entry runs in the sandbox: it re-exports workflows/ only (anything else as a type).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            onlyDefinitionsFromWorkflows,
            {
              regex: '^(\\.\\./)+src/(app|cli)(/|$)',
              message: 'Activities get their dependencies injected (createActivities(deps)); they never reach the app or the CLI.',
            },
          ],
        },
      ],
    },
  },
);

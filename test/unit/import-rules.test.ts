import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The import rules in eslint.config.mjs keep data flowing one way. `npm test` lints the
 * tree; this shows the rules themselves still catch each kind of wrong import.
 */
// ESLint loads its config with a dynamic import, which jest's VM refuses: lint in a child process.
// Only the import rules run, so no type information is needed.
const lintScript = `
const { ESLint } = require('eslint');
const eslint = new ESLint({
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});
eslint.lintText(process.argv[2], { filePath: process.argv[1] }).then(([r]) => console.log(JSON.stringify(r.messages.map((m) => m.message))));
`;

/** The import sources the rules refuse in `code`, as if it were the file `file`. */
async function blocked(file: string, code: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', lintScript, file, code], { cwd: path.join(__dirname, '..', '..') });
  return (JSON.parse(stdout) as string[]).map((message) => message.split("'")[1] ?? message);
}

/** Each case: a file, the imports it tries, and those the rules must refuse (the rest must pass). */
const cases: { rule: string; file: string; imports: string[]; refused: string[] }[] = [
  {
    rule: 'keeps workflow code away from Node, npm packages, config and activity values',
    file: 'workflows/example.ts',
    imports: [
      "import { readFile } from 'node:fs/promises';",
      "import { z } from 'zod';",
      "import { loadConfig } from '../src/config';",
      "import { createActivities } from '../activities';",
      "import type { Activities } from '../activities';",
      "import type { CloroTask } from '../src/cloro/schemas';",
      "import { promptSummaryLine } from '../src/prompts/start-options';",
      "import { ASYNC_CREDIT_PRICES } from '../src/cloro/prices';",
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { DELIVERIES } from './definitions';",
    ],
    refused: ['node:fs/promises', 'zod', '../src/config', '../activities'],
  },
  {
    rule: 'lets the rest of the code import only definitions from workflows (workflow bodies as types)',
    file: 'src/example.ts',
    imports: [
      "import { promptWorkflow } from '../workflows/prompt';",
      "import { batchWorkflow } from '../workflows';",
      "import type { promptWorkflow as P } from '../workflows/prompt';",
      "import { DELIVERIES } from '../workflows/definitions';",
      "import { NON_RETRYABLE_ERROR_TYPES } from '../workflows/definitions/errors';",
    ],
    refused: ['../workflows/prompt', '../workflows'],
  },
  {
    rule: "keeps the package's workflow entry, which users' sandboxes load, to workflow code",
    file: 'src/package/workflow.ts',
    imports: [
      "export { cloroPrompt } from '../../workflows/child';",
      "export { promptWorkflow } from '../../workflows/prompt';",
      "export type { TaskType } from '../cloro/schemas';",
      "export { startPrompt } from '../prompts/start';",
      "export { z } from 'zod';",
      "export { readFile } from 'node:fs/promises';",
    ],
    refused: ['../prompts/start', 'zod', 'node:fs/promises'],
  },
  {
    rule: 'keeps activities away from the app and the CLI',
    file: 'activities/example.ts',
    imports: [
      "import { runDemo } from '../src/app/demo';",
      "import { program } from '../src/cli/index';",
      "import { PollSchedule } from '../workflows/poll-schedule';",
      "import { toApplicationFailure } from '../src/cloro/errors';",
    ],
    refused: ['../src/app/demo', '../src/cli/index', '../workflows/poll-schedule'],
  },
];

describe('import direction', () => {
  it.each(cases)('$rule', async ({ file, imports, refused }) => {
    expect(new Set(await blocked(file, imports.join('\n')))).toEqual(new Set(refused));
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildProgram } from '../../../src/cli';
import { EXIT_USAGE, handleError } from '../../../src/cli/handle-error';

/** A bad monitor file is refused whole before anything is created: no Temporal, no database needed. */
describe('monitor create with a bad file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cloro-monitor-file-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs the command line in-process; returns the exit code handleError gives and what was printed as errors. */
  async function cli(args: string[]): Promise<{ code: number; errors: string }> {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    try {
      await buildProgram().parseAsync(['node', 'cloro-temporal', ...args]);
      return { code: 0, errors: errors.join('\n') };
    } catch (err) {
      return { code: handleError(err), errors: errors.join('\n') };
    } finally {
      spy.mockRestore();
    }
  }

  async function create(yaml: string) {
    const file = path.join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, yaml);
    return cli(['monitor', 'create', file]);
  }

  it('lists every problem by path and exits 2', async () => {
    const { code, errors } = await create(
      [
        'id: Bad Id',
        'brand: { name: HubSpot }',
        'competitors: [{ name: Salesforce, aliases: [""] }]',
        'prompts: [Best CRM?, best crm?]',
        'engines: [CHATGPT, ALTAVISTA]',
        'countries: [US]',
        'samples: 0',
        'cadence: { cron: "61 * * * *", timezone: Mars/Olympus }',
        'budgetPerRun: 1',
      ].join('\n'),
    );
    expect(code).toBe(EXIT_USAGE);
    for (const where of ['id:', 'competitors[0].aliases[0]:', 'engines[1]:', 'samples:', 'cadence.cron:', 'cadence.timezone:']) {
      expect(errors).toContain(where);
    }
    expect(errors).toMatch(/nothing was created/);
  });

  it('names a file that is not there', async () => {
    const { code, errors } = await cli(['monitor', 'create', path.join(dir, 'missing.yaml')]);
    expect(code).toBe(EXIT_USAGE);
    expect(errors).toMatch(/cannot read .*missing\.yaml: no such file/);
  });
});

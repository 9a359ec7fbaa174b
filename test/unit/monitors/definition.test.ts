import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { IdempotencyKeySchema } from '../../../src/prompts/request';
import { cellKey, cellsOf, minimumRunCost, parseMonitorFile, promptIdOf, trackedOf, type Monitor } from '../../../src/monitors/definition';

const EXAMPLE = path.join(__dirname, '../../../examples/monitors/crm.yaml');
const exampleYaml = readFileSync(EXAMPLE, 'utf8');

function exampleObject(): Record<string, unknown> {
  return parseYaml(exampleYaml) as Record<string, unknown>;
}

/** The example with some fields replaced, as JSON. */
function variant(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...exampleObject(), ...changes });
}

function problemsOf(text: string, fileName = 'monitor.json'): string[] {
  const result = parseMonitorFile(text, fileName);
  if (result.ok) throw new Error('expected problems, the file parsed');
  return result.problems;
}

function parsed(text: string, fileName = 'monitor.json'): Monitor {
  const result = parseMonitorFile(text, fileName);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.monitor;
}

describe('parseMonitorFile', () => {
  test('reads the CRM example (YAML) with defaults applied and prompt ids attached', () => {
    const monitor = parsed(exampleYaml, 'crm.yaml');
    expect(monitor.id).toBe('hubspot-crm');
    expect(monitor.brand).toEqual({ name: 'HubSpot', aliases: ['HubSpot CRM', 'Hubspot Sales Hub'], domains: ['hubspot.com'] });
    expect(monitor.competitors.map((c) => c.name)).toEqual(['Salesforce', 'Pipedrive', 'Zoho CRM']);
    expect(monitor.competitors[1]?.aliases).toEqual([]);
    expect(monitor.prompts).toHaveLength(6);
    expect(monitor.prompts[0]).toEqual({
      id: promptIdOf(monitor.prompts[0]?.text ?? ''),
      text: expect.any(String),
      tags: ['category', 'smb'],
    });
    expect(monitor.engines).toEqual(['CHATGPT', 'PERPLEXITY']);
    expect(monitor.cadence).toEqual({ every: '1d', timezone: 'Europe/London', jitter: '30m' });
    expect(monitor.samples).toBe(3);
    expect(minimumRunCost(monitor)).toBe(324);
  });

  test('reads the same monitor from JSON, plain-string prompts included', () => {
    const fromJson = parsed(JSON.stringify(exampleObject()), 'crm.json');
    expect(fromJson).toEqual(parsed(exampleYaml, 'crm.yaml'));
    const plain = parsed(variant({ prompts: ['Best CRM?'], budgetPerRun: 100 }));
    expect(plain.prompts).toEqual([{ id: promptIdOf('Best CRM?'), text: 'Best CRM?', tags: [] }]);
  });

  test('applies defaults: samples 1, priority 1, timezone UTC, no competitors', () => {
    const minimal = {
      id: 'acme',
      brand: { name: 'Acme' },
      prompts: ['Who makes the best anvils?'],
      engines: ['GOOGLE'],
      countries: ['US'],
      cadence: { cron: '0 6 * * 1' },
      budgetPerRun: 3,
    };
    const monitor = parsed(JSON.stringify(minimal));
    expect(monitor).toMatchObject({ samples: 1, priority: 1, competitors: [], cadence: { cron: '0 6 * * 1', timezone: 'UTC' } });
    expect(monitor.brand).toEqual({ name: 'Acme', aliases: [], domains: [] });
  });

  test.each([
    ['id', { id: 'HubSpot CRM' }, 'id: must be a slug'],
    ['id length', { id: 'a'.repeat(65) }, 'id: must be at most 64 characters'],
    ['empty alias', { competitors: [{ name: 'Salesforce', aliases: [''] }] }, 'competitors[0].aliases[0]: must not be empty'],
    ['domain with scheme', { brand: { name: 'HubSpot', domains: ['https://hubspot.com/'] } }, 'brand.domains[0]: must be a domain'],
    ['unknown engine', { engines: ['CHATGPT', 'BING'] }, 'engines[1]: Invalid option'],
    ['country format', { countries: ['us'] }, 'countries[0]: must be an ISO 3166-1 alpha-2 code'],
    ['unknown country', { countries: ['XX'] }, 'countries[0]: is not a known country code'],
    ['engine not in country', { countries: ['US', 'CN'] }, 'countries[1]: CN is not available for CHATGPT, PERPLEXITY'],
    ['bad every', { cadence: { every: 'daily' } }, 'cadence.every: must be a duration'],
    ['bad cron', { cadence: { cron: '0 25 * * *' } }, 'cadence.cron: is not a valid cron pattern'],
    ['cron and every', { cadence: { cron: '0 6 * * *', every: '1d' } }, 'cadence: give either every or cron, not both'],
    ['no schedule', { cadence: { timezone: 'UTC' } }, 'cadence: needs every'],
    ['time zone', { cadence: { every: '1d', timezone: 'Mars/Olympus' } }, 'cadence.timezone: must be an IANA time zone'],
    ['samples 0', { samples: 0 }, 'samples: must be at least 1'],
    ['auto without settings', { samples: 'auto' }, 'autoSampling: is required when samples is "auto"'],
    [
      'settings without auto',
      { autoSampling: { targetHalfWidth: 0.1, maxSamples: 5 } },
      'autoSampling: applies only when samples is "auto"',
    ],
    ['priority', { priority: 11 }, 'priority: Too big'],
    ['stopAt', { stopAt: 'next year' }, 'stopAt: must be an ISO date'],
    ['unknown field', { cadance: { every: '1d' } }, 'cadance: is not a known field'],
    ['missing field', { prompts: undefined }, 'prompts: is required'],
    ['no prompts', { prompts: [] }, 'prompts: must list at least one prompt'],
    ['duplicate prompt', { prompts: ['Best CRM?', '  best   crm? '] }, 'prompts[1].text: repeats prompts[0]'],
    ['duplicate engine', { engines: ['CHATGPT', 'CHATGPT'] }, 'engines[1]: CHATGPT is listed twice'],
    [
      'duplicate competitor',
      { competitors: [{ name: 'Pipedrive' }, { name: 'pipedrive' }] },
      'competitors[1].name: "pipedrive" also belongs to competitor Pipedrive',
    ],
    [
      'alias of another brand',
      { competitors: [{ name: 'Salesforce', aliases: ['HubSpot CRM'] }] },
      'competitors[0].aliases[0]: "HubSpot CRM" also belongs to the brand HubSpot',
    ],
    [
      'shared domain',
      { competitors: [{ name: 'Zoho CRM', domains: ['www.hubspot.com'] }] },
      'competitors[0].domains[0]: "hubspot.com" also belongs to the brand HubSpot',
    ],
  ])('reports %s with its path', (_kind, changes, expected) => {
    expect(problemsOf(variant(changes))).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test('says what one run costs at least when the budget is below it', () => {
    expect(problemsOf(variant({ budgetPerRun: 300 }))).toEqual([
      'budgetPerRun: must be at least 324 credits, the cost of one run (6 prompts × 2 countries × 3 samples × CHATGPT + PERPLEXITY at their prices)',
    ]);
    expect(parsed(variant({ samples: 'auto', autoSampling: { targetHalfWidth: 0.1, maxSamples: 6 }, budgetPerRun: 108 })).samples).toBe(
      'auto',
    );
  });

  test('reports every problem of a file at once, cross-field checks included', () => {
    const problems = problemsOf(
      variant({
        id: 'Bad Id',
        competitors: [{ name: 'Salesforce' }, { name: 'Pipedrive' }, { name: 'Zoho', aliases: [''] }],
        prompts: ['Best CRM?', 'best crm?'],
        cadence: { every: '1d', cron: '* * *', timezone: 'Nowhere/City' },
        budgetPerRun: 1,
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: /),
        'competitors[2].aliases[0]: must not be empty',
        expect.stringMatching(/^cadence\.cron: is not a valid cron pattern/),
        expect.stringMatching(/^cadence\.timezone: /),
        'prompts[1].text: repeats prompts[0]',
        'cadence: give either every or cron, not both',
        expect.stringMatching(/^budgetPerRun: must be at least 108 credits/),
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  test('gives YAML syntax errors with line and column, and never throws', () => {
    const problems = problemsOf('id: x\nbrand: {name: HubSpot\nprompts: [a]\n', 'bad.yaml');
    expect(problems[0]).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML: /);
    expect(problemsOf('id: a\nid: b\n', 'dup.yml')[0]).toMatch(/^dup\.yml:2:1: invalid YAML: Map keys must be unique/);
    expect(problemsOf('{"id": "a",\n  "brand": }', 'bad.json')).toEqual(["bad.json:2:12: invalid JSON: Unexpected token '}'"]);
    expect(problemsOf('{"id": "a"\n "b": 2}', 'bad.json')).toEqual([
      "bad.json:2:2: invalid JSON: Expected ',' or '}' after property value",
    ]);
    expect(problemsOf('', 'empty.yaml')).toEqual(['must be a mapping of fields (id, brand, prompts, engines, …)']);
    expect(problemsOf('- a\n- b\n', 'list.yaml')).toEqual(['must be a mapping of fields (id, brand, prompts, engines, …)']);
    expect(problemsOf('{}', 'monitor.txt')).toEqual(['monitor.txt: a monitor file must end in .yaml, .yml or .json']);
    const laughs =
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(problemsOf(laughs, 'laughs.yaml')[0]).toMatch(/^laughs\.yaml: invalid YAML: /);
  });
});

describe('monitor helpers', () => {
  const monitor = parsed(exampleYaml, 'crm.yaml');

  test('trackedOf gives the brand and competitors in the analysis shape', () => {
    expect(trackedOf(monitor)).toEqual({
      brand: { name: 'HubSpot', aliases: ['HubSpot CRM', 'Hubspot Sales Hub'], domains: ['hubspot.com'] },
      competitors: [
        { name: 'Salesforce', aliases: ['Salesforce Sales Cloud'], domains: ['salesforce.com'] },
        { name: 'Pipedrive', aliases: [], domains: ['pipedrive.com'] },
        { name: 'Zoho CRM', aliases: ['Zoho'], domains: ['zoho.com'] },
      ],
    });
  });

  test('cellsOf gives prompt × engine × country × sample cells, Google engines asking by query', () => {
    const cells = cellsOf(monitor);
    expect(cells).toHaveLength(6 * 2 * 2 * 3);
    expect(new Set(cells.map((c) => `${c.promptId}|${c.engine}|${c.country}|${c.sample}`)).size).toBe(cells.length);
    expect(cells[0]).toEqual({
      promptId: monitor.prompts[0]?.id,
      prompt: 'What is the best CRM for a small business?',
      tags: ['category', 'smb'],
      engine: 'CHATGPT',
      textField: 'prompt',
      country: 'US',
      sample: 1,
    });
    expect(cellsOf({ ...monitor, engines: ['GOOGLE'], samples: 'auto' })).toHaveLength(6 * 2);
    expect(cellsOf({ ...monitor, engines: ['GOOGLE'] })[0]?.textField).toBe('query');
  });

  test('prompt ids are stable across case and spacing, and differ between prompts', () => {
    expect(promptIdOf('Best CRM?')).toBe(promptIdOf('  best   CRM? '));
    expect(promptIdOf('Best CRM?')).toMatch(/^[0-9a-f]{12}$/);
    expect(promptIdOf('Best CRM?')).not.toBe(promptIdOf('Best CRM for startups?'));
  });

  test('cell keys are stable for a re-triggered run, distinct per cell, and valid idempotency keys', () => {
    const at = '2026-03-01T06:00:00.000Z';
    const keys = cellsOf(monitor).map((c) => cellKey(monitor.id, at, c.promptId, c.engine, c.country, c.sample));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe(`hubspot-crm:20260301T060000Z:${monitor.prompts[0]?.id}:chatgpt:us:1`);
    expect(cellKey(monitor.id, new Date(at), monitor.prompts[0]?.id ?? '', 'CHATGPT', 'US', 1)).toBe(keys[0]);
    expect(cellKey(monitor.id, '2026-03-02T06:00:00Z', monitor.prompts[0]?.id ?? '', 'CHATGPT', 'US', 1)).not.toBe(keys[0]);
    const longest = cellKey('a'.repeat(64), at, 'f'.repeat(12), 'GOOGLE_NEWS', 'GB', 100);
    for (const key of [...keys, longest]) expect(IdempotencyKeySchema.safeParse(key).success).toBe(true);
    expect(() => cellKey(monitor.id, 'not a date', 'x', 'CHATGPT', 'US', 1)).toThrow(RangeError);
  });
});

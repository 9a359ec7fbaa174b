import type { TaskResult, TaskType } from '../../../src/cloro/schemas';
import {
  BrandCatalogueSchema,
  DEFAULT_BRAND_CATALOGUE,
  categoryFor,
  rateFor,
  type BrandCatalogue,
} from '../../../src/simulator/brand-catalogue';
import { AnswerGenerator, generateAnswer } from '../../../src/simulator/results';

const CRM_PROMPT = 'What is the best CRM for a small business?';
const CRM = DEFAULT_BRAND_CATALOGUE.categories.find((c) => c.name === 'crm');
const N = 400;
// Binomial sd at n = 400 is at most 0.025; 0.08 is over three of them.
const TOLERANCE = 0.08;

function ask(generator: AnswerGenerator, taskType: TaskType, country: string, prompt = CRM_PROMPT, times = N): TaskResult[] {
  return Array.from({ length: times }, () => generator.answer({ taskType, prompt, country }));
}

const share = (answers: TaskResult[], test: (a: TaskResult) => boolean) => answers.filter(test).length / answers.length;
const names = (a: TaskResult, brand: string) => (a.text ?? '').includes(brand);
const cites = (a: TaskResult, host: string) => (a.sources ?? []).some((s) => new URL(s.url).hostname.endsWith(host));

describe('simulated answers name brands at the catalogue rates', () => {
  const cuts: [TaskType, string][] = [
    ['CHATGPT', 'US'],
    ['CHATGPT', 'GB'],
    ['PERPLEXITY', 'US'],
    ['PERPLEXITY', 'GB'],
  ];

  test.each(cuts)('%s in %s: each CRM brand named, and G2 cited, near its configured rate', (engine, country) => {
    const answers = ask(new AnswerGenerator(42), engine, country);
    for (const brand of CRM?.brands ?? []) {
      expect(Math.abs(share(answers, (a) => names(a, brand.name)) - rateFor(brand.rates, engine, country))).toBeLessThan(TOLERANCE);
    }
    const g2 = CRM?.sites.find((s) => s.label === 'G2');
    expect(Math.abs(share(answers, (a) => cites(a, 'g2.com')) - rateFor(g2?.rates ?? {}, engine, country))).toBeLessThan(TOLERANCE);
    const namingHubSpot = answers.filter((a) => names(a, 'HubSpot'));
    const ownSite = rateFor(DEFAULT_BRAND_CATALOGUE.ownSiteRates, engine, country);
    expect(Math.abs(share(namingHubSpot, (a) => cites(a, 'hubspot.com')) - ownSite)).toBeLessThan(2 * TOLERANCE);
  });

  test('the configured contrast shows: Perplexity names HubSpot more in the US than in GB', () => {
    const generator = new AnswerGenerator(3);
    const us = share(ask(generator, 'PERPLEXITY', 'US'), (a) => names(a, 'HubSpot'));
    const gb = share(ask(generator, 'PERPLEXITY', 'GB'), (a) => names(a, 'HubSpot'));
    expect(us - gb).toBeGreaterThan(0.2);
  });

  test('brands come in varying order, likelier ones first more often', () => {
    const answers = ask(new AnswerGenerator(5), 'PERPLEXITY', 'US').filter((a) => names(a, 'Salesforce') && names(a, 'Zoho CRM'));
    const salesforceFirst = share(answers, (a) => (a.text ?? '').indexOf('Salesforce') < (a.text ?? '').indexOf('Zoho CRM'));
    expect(salesforceFirst).toBeGreaterThan(0.6);
    expect(salesforceFirst).toBeLessThan(1);
  });
});

describe('simulated answers are reproducible', () => {
  const sequence = [CRM_PROMPT, 'HubSpot vs Salesforce for a growing startup?', CRM_PROMPT, 'Best kanban project management tool?'];
  const run = (seed: number) => {
    const generator = new AnswerGenerator(seed);
    return sequence.flatMap((prompt) =>
      (['CHATGPT', 'PERPLEXITY', 'GOOGLE'] as const).map((taskType) => generator.answer({ taskType, prompt, country: 'US' })),
    );
  };

  test('the same seed and sequence of prompts give the same answers; another seed does not', () => {
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  test('asking a cell again draws afresh (samples and runs differ), and other cells do not shift it', () => {
    const generator = new AnswerGenerator(9);
    const samples = ask(generator, 'CHATGPT', 'US', CRM_PROMPT, 10);
    expect(new Set(samples.map((a) => a.text)).size).toBeGreaterThan(1);

    const interleaved = new AnswerGenerator(9);
    const mixed = Array.from({ length: 10 }, () => {
      interleaved.answer({ taskType: 'PERPLEXITY', prompt: 'Something else entirely', country: 'GB' });
      return interleaved.answer({ taskType: 'CHATGPT', prompt: CRM_PROMPT, country: 'US' });
    });
    expect(mixed).toEqual(samples);
  });

  test('generateAnswer alone gives the same answer to the same request, shape kept per engine', () => {
    const req = { taskType: 'GOOGLE' as const, prompt: CRM_PROMPT, country: 'GB', include: { markdown: true } };
    expect(generateAnswer(req)).toEqual(generateAnswer(req));
    const google = generateAnswer(req);
    expect(google.organicResults).toHaveLength(google.sources?.length ?? -1);
    expect(google.markdown).toEqual(expect.any(String));
  });
});

describe('brands named in the prompt', () => {
  test('are named in every answer when they are the only ones (unknown brands included)', () => {
    for (const answer of ask(new AnswerGenerator(1), 'CHATGPT', 'US', 'Is Acme Corp any good?', 50))
      expect(answer.text).toContain('Acme Corp');
  });

  test('are named at the prompt-brand rate when there are several, and pull in their category', () => {
    const answers = ask(new AnswerGenerator(2), 'PERPLEXITY', 'GB', 'HubSpot vs Salesforce for a growing startup?');
    // The intro restates the question, so count the list items; at least one prompt brand is
    // always listed, which lifts each of two a little above the rate.
    const listed = (a: TaskResult, brand: string) =>
      (a.text ?? '').split('\n').some((line) => /^\d+\. /.test(line) && line.includes(brand));
    for (const brand of ['HubSpot', 'Salesforce']) {
      expect(Math.abs(share(answers, (a) => listed(a, brand)) - DEFAULT_BRAND_CATALOGUE.promptBrandRate)).toBeLessThan(TOLERANCE);
    }
    const pipedrive = ask(new AnswerGenerator(2), 'PERPLEXITY', 'GB', 'Is Pipedrive worth it?');
    expect(share(pipedrive, (a) => names(a, 'Salesforce'))).toBeGreaterThan(0.5);
    expect(categoryFor(DEFAULT_BRAND_CATALOGUE, 'Is Pipedrive worth it?').name).toBe('crm');
    expect(categoryFor(DEFAULT_BRAND_CATALOGUE, 'Best hiking boots?').name).toBe('generic');
  });
});

test('a catalogue of its own replaces the built-in one', () => {
  const catalogue: BrandCatalogue = BrandCatalogueSchema.parse({
    categories: [
      {
        name: 'anvils',
        keywords: ['anvil'],
        brands: [{ name: 'Acme', domain: 'acme.com', rates: { '*': 1 } }],
        sites: [{ host: 'www.anvil-review.com', label: 'Anvil Review', blurb: 'Reviews', rates: { '*': 1 } }],
      },
    ],
    fallback: { name: 'none', keywords: [], brands: [], sites: [{ host: 'example.org', label: 'Example', blurb: 'Example', rates: {} }] },
    promptBrandRate: 1,
    ownSiteRates: { '*': 0 },
  });
  const answer = new AnswerGenerator(1, catalogue).answer({ taskType: 'CHATGPT', prompt: 'Which anvil should I buy?', country: 'US' });
  expect(answer.text).toContain('Acme');
  expect(answer.sources?.map((s) => s.url)).toEqual(['https://www.anvil-review.com/which-anvil-should-i-buy']);
  expect(BrandCatalogueSchema.safeParse({ ...catalogue, ownSiteRates: { 'chatgpt:us': 0.5 } }).success).toBe(false);
});

it("numbers ChatGPT's sources from 0 and the other engines' from 1, as cloro does", () => {
  const first = (taskType: TaskType) => generateAnswer({ taskType, prompt: CRM_PROMPT, country: 'US' }).sources?.[0]?.position;
  expect(first('CHATGPT')).toBe(0);
  expect(first('GEMINI')).toBe(1);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { analyzeAnswer } from '../../../src/analysis/analyze';
import { answerText } from '../../../src/analysis/answer-content';
import { METHODOLOGY_VERSION, type AnswerAnalysis, type AnswerInput, type Tracked } from '../../../src/analysis/types';
import { TaskResultSchema, type TaskResult } from '../../../src/cloro/schemas';
import { generateAnswer } from '../../../src/simulator/results';

const tracked: Tracked = {
  brand: { name: 'HubSpot', aliases: [], domains: ['hubspot.com'] },
  competitors: [
    { name: 'Salesforce', aliases: [], domains: ['salesforce.com'] },
    { name: 'Pipedrive', aliases: [], domains: ['pipedrive.com'] },
    { name: 'Zoho CRM', aliases: ['Zoho'], domains: ['zoho.com'] },
    { name: 'Monday', aliases: ['Monday Sales CRM'], domains: ['monday.com'] },
    { name: 'Microsoft Dynamics 365', aliases: ['Dynamics 365'], domains: ['microsoft.com'] },
  ],
};

function fixture(engine: string): TaskResult {
  const raw: unknown = JSON.parse(readFileSync(join(__dirname, '../../fixtures/answers', `${engine.toLowerCase()}.json`), 'utf8'));
  return TaskResultSchema.parse(raw);
}

function input(engine: string, result: TaskResult | null, status = 'COMPLETED'): AnswerInput {
  return {
    workflowId: `wf-${engine}`,
    runId: 'run-1',
    runAt: '2025-06-01T00:00:00.000Z',
    engine,
    country: 'US',
    promptId: 'p1',
    prompt: 'best crm for a small business',
    tags: ['crm'],
    sample: 1,
    status,
    result,
  };
}

/** brand → [count, rank, cited] for every tracked brand named or cited. */
function summary(a: AnswerAnalysis): Record<string, [number, number | null, boolean]> {
  const rows = [a.brand, ...a.competitors].filter((m) => m.mentioned || m.cited);
  return Object.fromEntries(rows.map((m) => [m.brand, [m.count, m.rank, m.cited]]));
}

const analyse = (engine: string) => analyzeAnswer(input(engine, fixture(engine)), tracked);

describe('analyzeAnswer on each engine fixture', () => {
  it('CHATGPT: skips the URL in the text, ranks by first mention, ignores 0-based positions and a bad source URL', () => {
    const a = analyse('CHATGPT');
    expect(summary(a)).toEqual({ Salesforce: [2, 1, true], HubSpot: [2, 2, true], Pipedrive: [1, 3, false] });
    expect(a.competitors[0]?.firstOffset).toBe(22);
    expect(a.brand.firstOffset).toBe(fixture('CHATGPT').text?.indexOf('HubSpot'));
    expect(a.citedDomains).toEqual(['salesforce.com', 'hubspot.com', 'g2.com']);
  });

  it('PERPLEXITY: counts "Zoho CRM[2]" once though name and alias overlap, tolerates snake_case extras', () => {
    const a = analyse('PERPLEXITY');
    expect(summary(a)).toEqual({ HubSpot: [2, 1, true], 'Zoho CRM': [2, 2, true], Pipedrive: [1, 3, false] });
    expect(a.citedDomains).toEqual(['hubspot.com', 'zoho.com', 'techradar.com']);
  });

  it('GEMINI: the brand is absent (no rank, no offset) while competitors are ranked', () => {
    const a = analyse('GEMINI');
    expect(a.brand).toEqual({ brand: 'HubSpot', mentioned: false, count: 0, firstOffset: null, rank: null, cited: false });
    expect(summary(a)).toEqual({ 'Zoho CRM': [2, 1, true], Salesforce: [2, 2, false] });
    expect(a.citedDomains).toEqual(['wikipedia.org', 'zoho.com']);
  });

  it('AIMODE: "Monday Sales CRM (monday.com)" is two mentions of Monday, not four', () => {
    const a = analyse('AIMODE');
    expect(summary(a)).toEqual({ HubSpot: [1, 1, false], Pipedrive: [1, 2, true], Monday: [2, 3, true] });
    expect(a.citedDomains).toEqual(['forbes.com', 'pipedrive.com', 'monday.com']);
  });

  it('COPILOT: a bare domain in prose is a mention, a citation pill is a citation, a review page about the brand is not', () => {
    const a = analyse('COPILOT');
    expect(summary(a)).toEqual({ 'Microsoft Dynamics 365': [1, 1, true], HubSpot: [2, 2, false], Salesforce: [1, 3, false] });
    expect(a.citedDomains).toEqual(['microsoft.com', 'trustpilot.com']);
  });

  it('GROK: names nobody and still reports the sites it cited', () => {
    const a = analyse('GROK');
    expect(summary(a)).toEqual({});
    expect(a.citedDomains).toEqual(['reddit.com', 'x.com']);
  });

  it('GOOGLE: reads the AI Overview and organic titles and snippets; ads and people-also-ask are not citations', () => {
    const a = analyse('GOOGLE');
    expect(summary(a)).toEqual({
      Salesforce: [3, 1, true],
      HubSpot: [2, 2, false],
      'Zoho CRM': [1, 3, false],
      Pipedrive: [1, 4, true],
    });
    expect(a.citedDomains).toEqual(['salesforce.com', 'bbc.co.uk', 'pipedrive.com', 'forbes.com', 'crm-guide.github.io']);
  });
});

describe('analyzeAnswer', () => {
  it('carries the cell coordinates and the methodology version', () => {
    const a = analyse('GROK');
    expect(a).toMatchObject({
      workflowId: 'wf-GROK',
      runId: 'run-1',
      engine: 'GROK',
      country: 'US',
      promptId: 'p1',
      tags: ['crm'],
      sample: 1,
      analysable: true,
      methodologyVersion: METHODOLOGY_VERSION,
    });
    expect(a.competitors.map((m) => m.brand)).toEqual(tracked.competitors.map((c) => c.name));
  });

  it('marks an answer that did not complete as not analysable, with nothing found', () => {
    const a = analyzeAnswer(input('CHATGPT', null, 'FAILED'), tracked);
    expect(a.analysable).toBe(false);
    expect([a.brand, ...a.competitors].some((m) => m.mentioned || m.cited)).toBe(false);
    expect(a.citedDomains).toEqual([]);
  });

  it('reads markdown when there is no text, without counting link targets', () => {
    const result: TaskResult = {
      markdown: '## Picks\n\n1. **HubSpot** — see [the site](https://www.salesforce.com/x) and ![logo](https://pipedrive.com/l.png)',
    };
    const a = analyzeAnswer(input('CHATGPT', result), tracked);
    expect(summary(a)).toEqual({ HubSpot: [1, 1, false] });
    expect(answerText(result)).toBe('Picks\n\n1. HubSpot — see the site and logo');
    expect(a.brand.firstOffset).toBe(10);
  });

  it('gives the same rank order the text shows when two brands share a sentence', () => {
    const result: TaskResult = { text: 'Pipedrive beats Salesforce; HubSpot is third.' };
    const ranks = [analyzeAnswer(input('GROK', result), tracked)].flatMap((a) => [a.brand, ...a.competitors]).map((m) => m.rank);
    expect(ranks).toEqual([3, 2, 1, null, null, null]);
  });

  it('is empty, not failing, for a plain results page with nothing in it', () => {
    const a = analyzeAnswer(input('GOOGLE', { organicResults: [], aioverview: null, sources: [{ url: '' }] }), tracked);
    expect(a.analysable).toBe(true);
    expect(a.citedDomains).toEqual([]);
  });

  it.each(['CHATGPT', 'PERPLEXITY', 'GEMINI', 'AIMODE', 'COPILOT', 'GROK', 'GOOGLE'] as const)(
    'agrees with the simulator on who is named and cited (%s)',
    (engine) => {
      const result = generateAnswer({
        taskType: engine,
        prompt: 'Compare HubSpot, Salesforce and Pipedrive',
        country: 'US',
        include: { markdown: true },
      });
      const a = analyzeAnswer(input(engine, result), tracked);
      // The simulator repeats the prompt in its intro, so all three are named; it cites only the ones it recommends.
      for (const m of [a.brand, ...a.competitors.slice(0, 2)]) {
        const cited = (result.sources ?? []).some((s) => s.label === m.brand);
        expect([m.brand, m.mentioned, m.cited]).toEqual([m.brand, true, cited]);
      }
    },
  );
});

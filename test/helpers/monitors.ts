import { randomUUID } from 'node:crypto';
import { type Monitor, validateMonitor } from '../../src/monitors/definition';

/**
 * A small CRM monitor for tests: HubSpot against Salesforce and Pipedrive, 2 prompts × 2
 * engines × 1 country, hourly unless `overrides` say otherwise. Validated like a user's file.
 */
export function testMonitor(overrides: Record<string, unknown> = {}): Monitor {
  const parsed = validateMonitor({
    id: `crm-${randomUUID().slice(0, 8)}`,
    brand: { name: 'HubSpot', domains: ['hubspot.com'] },
    competitors: [
      { name: 'Salesforce', domains: ['salesforce.com'] },
      { name: 'Pipedrive', domains: ['pipedrive.com'] },
    ],
    prompts: [
      { text: 'What is the best CRM for a small business?', tags: ['category'] },
      'Which CRM is easiest to set up for a sales team?',
    ],
    engines: ['CHATGPT', 'PERPLEXITY'],
    countries: ['US'],
    samples: 2,
    cadence: { every: '1h' },
    budgetPerRun: 100,
    delivery: 'webhook',
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.monitor;
}

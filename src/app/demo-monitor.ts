/**
 * The demo's monitor: the CRM example (examples/monitors/crm.yaml) cut down to three of its
 * prompts and the three brands everyone compares, so a run is 36 answers and two runs finish
 * in seconds on the simulator. Daily, like the example, so the schedule the demo leaves
 * behind does not fire while it runs.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import { type Monitor, validateMonitor } from '../monitors/definition';
import { createMonitor, deleteMonitor, describeMonitor, type MonitorSession, unpauseMonitor, updateMonitor } from '../monitors/manage';

export const DEMO_MONITOR_ID = 'hubspot-crm-demo';

export function demoMonitor(id = DEMO_MONITOR_ID): Monitor {
  const parsed = validateMonitor({
    id,
    brand: { name: 'HubSpot', aliases: ['HubSpot CRM', 'Hubspot Sales Hub'], domains: ['hubspot.com'] },
    competitors: [
      { name: 'Salesforce', aliases: ['Salesforce Sales Cloud'], domains: ['salesforce.com'] },
      { name: 'Pipedrive', domains: ['pipedrive.com'] },
    ],
    prompts: [
      { text: 'What is the best CRM for a small business?', tags: ['category', 'smb'] },
      { text: 'Which CRM is easiest to set up for a 10-person sales team?', tags: ['category', 'ease-of-use'] },
      { text: 'HubSpot vs Salesforce for a growing startup?', tags: ['comparison'] },
    ],
    engines: ['CHATGPT', 'PERPLEXITY'],
    countries: ['US', 'GB'],
    samples: 3,
    cadence: { every: '1d' },
    priority: 2,
    // One run: 3 prompts × 2 countries × 3 samples × (CHATGPT 5 + PERPLEXITY 4) = 162 credits.
    budgetPerRun: 200,
  });
  if (!parsed.ok) throw new Error(`the demo monitor does not validate: ${parsed.problems.join('; ')}`);
  return parsed.monitor;
}

/**
 * Creates the monitor, or brings an existing one (an earlier start on the same state dir) to
 * this definition, its schedule live. A definition whose schedule is gone (a fresh Temporal
 * on a kept database) gets a new one; a schedule whose definition is gone gets it back.
 */
export async function ensureDemoMonitor(s: MonitorSession, monitor: Monitor): Promise<'created' | 'updated'> {
  if (!(await s.monitors.get(monitor.id))) {
    try {
      await createMonitor(s, monitor);
      return 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await updateMonitor(s, monitor);
      return 'updated';
    }
  }
  try {
    await updateMonitor(s, monitor);
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await deleteMonitor(s, monitor.id, false);
    await createMonitor(s, monitor);
  }
  if ((await describeMonitor(s, monitor.id, 0)).paused) await unpauseMonitor(s, monitor.id, 'unpaused by the demo');
  return 'updated';
}

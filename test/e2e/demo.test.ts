/**
 * The demo's outcome handling, in process against the shared server: a prompt cloro fails
 * makes the run not ok (so `dev --once` exits 1), prompts still running at the timeout are
 * reported as such, and keys derive from the run so a new run starts new prompts while the
 * same run started twice attaches to its own.
 */
import { PassThrough } from 'node:stream';
import { type DemoPrompt, formatDemoReport, runDemo } from '../../src/app/demo';
import { type Harness, startHarness } from '../helpers/prompt-harness';
import { testNamespace } from '../helpers/temporal';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.sim.sim.reset());

const PROMPTS: DemoPrompt[] = [
  { taskType: 'CHATGPT', country: 'US', delivery: 'webhook', prompt: 'Best CRM for startups: HubSpot, Salesforce or Pipedrive?' },
  { taskType: 'GOOGLE', country: 'FR', delivery: 'poll', prompt: 'meilleur CRM startup HubSpot Pipedrive' },
];

/** Not a TTY: the demo writes plain progress lines, collected here. */
function captureOut() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('runDemo', () => {
  it('is not ok when cloro fails a prompt, and the report names the failure', async () => {
    h.sim.sim.addFaults({ failTasks: { count: 1, code: 'CONTENT_POLICY', message: 'prompt blocked by policy' } });
    const { out, text } = captureOut();
    const report = await h.withWorker((taskQueue) =>
      runDemo({
        client: h.client,
        taskQueue,
        namespace: testNamespace(),
        uiUrl: 'http://127.0.0.1:8233',
        webhooks: true,
        prompts: PROMPTS,
        out,
      }),
    );

    expect(report.ok).toBe(false);
    expect(report.rows.map((r) => r.status).sort()).toEqual(['COMPLETED', 'FAILED']);
    const failed = report.rows.find((r) => r.status === 'FAILED');
    expect(failed?.error).toContain('CONTENT_POLICY');
    expect(text()).toContain('demo: 2/2 done — 1 completed, 1 failed, 0 in flight');

    const lines = formatDemoReport(report, { uiUrl: 'http://127.0.0.1:8233', namespace: testNamespace() });
    expect(lines.some((l) => l.startsWith(`Demo ${report.runId}: 1/2 completed`))).toBe(true);
    expect(lines.some((l) => /FAILED/.test(l) && l.startsWith(failed?.taskType ?? '?'))).toBe(true);
    expect(lines.some((l) => l.includes('CONTENT_POLICY: prompt blocked by policy'))).toBe(true);
    expect(lines).toContain('Web UI: http://127.0.0.1:8233');
  });

  it('reports prompts still running at the timeout as TIMED OUT', async () => {
    h.sim.sim.addFaults({ slow: { ms: 3_000, rate: 1 } });
    const { out } = captureOut();
    const report = await h.withWorker((taskQueue) =>
      runDemo({
        client: h.client,
        taskQueue,
        namespace: testNamespace(),
        uiUrl: null,
        webhooks: false,
        prompts: PROMPTS.slice(0, 1),
        out,
        timeoutMs: 500,
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.rows).toMatchObject([{ status: 'TIMED OUT', delivery: 'poll', error: expect.stringContaining('still running after') }]);
  });

  it('stops waiting when its signal aborts and reports the prompts as INTERRUPTED', async () => {
    h.sim.sim.addFaults({ slow: { ms: 3_000, rate: 1 } });
    const { out } = captureOut();
    const stop = new AbortController();
    // The line printed once every prompt has started: stop waiting then.
    (out as unknown as PassThrough).on('data', (chunk: Buffer) => chunk.toString().includes('0/2 done') && stop.abort());
    const report = await h.withWorker(async (taskQueue) => {
      const demo = runDemo({
        client: h.client,
        taskQueue,
        namespace: testNamespace(),
        uiUrl: null,
        webhooks: true,
        prompts: PROMPTS,
        out,
        signal: stop.signal,
      });
      const started = Date.now();
      const result = await demo;
      expect(Date.now() - started).toBeLessThan(2_500); // the 3 s slow create is not waited for
      return result;
    });
    expect(report.ok).toBe(false);
    expect(report.rows.map((r) => r.status)).toEqual(['INTERRUPTED', 'INTERRUPTED']);
  });

  it('starts new prompts on a new run and attaches to its own prompts when the same run starts again', async () => {
    const runAt = new Date();
    const { out } = captureOut();
    const options = (taskQueue: string, at: Date) =>
      ({ client: h.client, taskQueue, namespace: testNamespace(), uiUrl: null, webhooks: true, prompts: PROMPTS, out, runAt: at }) as const;

    const [first, again, next] = await h.withWorker(async (taskQueue) => [
      await runDemo(options(taskQueue, runAt)),
      await runDemo(options(taskQueue, runAt)),
      await runDemo(options(taskQueue, new Date(runAt.getTime() + 1_000))),
    ]);

    expect([first.ok, again.ok, next.ok]).toEqual([true, true, true]);
    const ids = (r: typeof first) => r.rows.map((row) => row.workflowId);
    expect(ids(again)).toEqual(ids(first));
    expect(again.rows.map((r) => r.summary)).toEqual(first.rows.map((r) => r.summary));
    expect(ids(next).some((id) => ids(first).includes(id))).toBe(false);
    expect(h.sim.sim.stats().creates.created).toBe(2 * PROMPTS.length);
  });
});

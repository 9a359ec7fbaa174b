/**
 * Webhook chaos while a 50-prompt batch runs: cloro duplicating and delaying deliveries (so
 * they arrive twice, out of order and after the prompt finished), and deliveries we forge
 * ourselves at the real bridge — for unknown and closed workflows, with a replayed old
 * signature, and with a valid signature on another workflow's valid URL naming that other
 * prompt's task. The invariants include "every outcome is of a task created under the
 * prompt's own key", which the last one would break if a prompt adopted the foreign task.
 */
import { randomUUID } from 'node:crypto';
import { callbackUrl } from '../../src/bridge/token';
import { signWebhook } from '../../src/cloro/webhook-signature';
import { promptWorkflowId } from '../../workflows/definitions';
import { runScenario, until } from './scenario';
import { type FaultStack, SECRETS, useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;

const startStack = useFaultStack();

function taskDocument(taskId: string, idempotencyKey: string) {
  return JSON.stringify({
    success: true,
    task: { id: taskId, taskType: 'CHATGPT', status: 'COMPLETED', priority: 1, createdAt: new Date().toISOString(), idempotencyKey },
    credits: { creditsToCharge: 5, creditsCharged: 5 },
    response: { model: 'gpt-4o', text: 'forged', sources: [] },
  });
}

/** POSTs a delivery to the bridge at a workflow's valid callback URL; resolves with the status. */
async function deliver(s: FaultStack, workflowId: string, body: string, signedAt = Math.floor(Date.now() / 1000)): Promise<number> {
  const url = callbackUrl(s.bridgeUrl!, SECRETS.bridgeSecret, workflowId);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signWebhook(body, SECRETS.webhookSecret, signedAt) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('webhook chaos', () => {
  it('completes every prompt once, on its own task, through duplicated, delayed, late, replayed and misdirected webhooks', async () => {
    // Long enough tasks that the forged deliveries below reach prompts still waiting.
    const s = await startStack({ sim: { concurrency: 25, processingMs: { min: 50_000, max: 150_000 } } });
    s.sim.sim.addFaults({ webhooks: { duplicate: { rate: 0.5 }, delay: { ms: 1_500, rate: 0.3 } } });
    const created: { id: string; key: string }[] = [];
    s.sim.sim.on('task:created', (task) => created.push({ id: task.id, key: task.idempotencyKey ?? '' }));
    await s.startWorker();
    const answered: Record<string, number[]> = {};
    const record = (what: string, status: number) => (answered[what] ??= []).push(status);

    await runScenario('webhook chaos', s, 150_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS);
      await until('20 tasks to be created', () => created.length >= 20);
      // A valid signature on another workflow's valid URL: prompt a is told b's task finished.
      for (let i = 0; i + 1 < 20; i += 2) {
        const [a, b] = [created[i]!, created[i + 1]!];
        record('other workflow URL', await deliver(s, promptWorkflowId(a.key), taskDocument(b.id, b.key)));
      }
      // An old delivery replayed: correctly signed, 10 minutes ago.
      const first = created[0]!;
      record(
        'replayed old signature',
        await deliver(s, promptWorkflowId(first.key), taskDocument(first.id, first.key), Math.floor(Date.now() / 1000) - 600),
      );
      record('unknown workflow', await deliver(s, promptWorkflowId(`unknown-${randomUUID()}`), taskDocument('task-unknown', 'unknown')));
      const result = await finished(batch);
      // Late: the prompt has finished; the bridge answers 200 so cloro stops retrying.
      record('closed workflow', await deliver(s, promptWorkflowId(first.key), taskDocument(first.id, first.key)));
      return result;
    });

    expect(answered).toEqual({
      'other workflow URL': Array(10).fill(200),
      'replayed old signature': [401],
      'unknown workflow': [200],
      'closed workflow': [200],
    });
    const stats = s.sim.sim.stats().webhooks;
    expect(stats.duplicates).toBeGreaterThan(0);
  }, 240_000);
});

import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { callbackToken } from '../../src/bridge/token';
import { CloroClient } from '../../src/cloro/client';
import { signWebhook } from '../../src/cloro/webhook-signature';
import { startPrompt } from '../../src/prompts/start';
import { cancelUpdate, statusQuery } from '../../workflows/definitions';
import {
  API_KEY,
  BRIDGE_SECRET,
  type Harness,
  historyOf,
  promptInput,
  recordHistory,
  runPrompt,
  startHarness,
  WEBHOOK_SECRET,
} from '../helpers/prompt-harness';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.sim.sim.reset());

const GET_TASK = 'GET /v1/async/task/:id';
const getTaskCalls = () => h.sim.sim.stats().requests[GET_TASK]?.total ?? 0;
const keyStats = (key: string) => h.sim.sim.stats().creates.byIdempotencyKey[key];
const scheduled = (events: HistoryEvent[], activity: string) =>
  events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity);
const signals = (events: HistoryEvent[]) => events.filter((e) => e.workflowExecutionSignaledEventAttributes);

/** Every payload byte in a history, decoded, so a test can measure it and look for secrets in it. */
function payloadTexts(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) value.forEach((v) => payloadTexts(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => payloadTexts(v, out));
  return out;
}

describe('promptWorkflow', () => {
  it('completes through the webhook signal with one create and a single read', async () => {
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    const { summary, workflowId } = await h.withWorker((tq) => runPrompt(h, tq, input));

    expect(summary).toMatchObject({ status: 'COMPLETED', attempts: 1, orphaned: 0, creditsCharged: 5, error: null });
    expect(summary.textLength).toBeGreaterThan(0);
    expect(summary.sourcesCount).toBeGreaterThan(0);
    expect(keyStats(input.idempotencyKey)).toMatchObject({ requests: 1, created: 1 });
    expect(getTaskCalls()).toBe(1);

    const events = await historyOf(h.client, workflowId);
    expect(signals(events)).toHaveLength(1);
    expect(scheduled(events, 'fetchTask')).toHaveLength(1);
    await recordHistory(workflowId, 'webhook-completed');

    const record = await h.store.get(summary.resultRef!);
    expect(record).toMatchObject({ status: 'COMPLETED', taskId: summary.taskId, prompt: input.request.payload.prompt });
    expect(record?.result?.text?.length).toBe(summary.textLength);
  });

  it('keeps the history of a webhook-path prompt small and free of secrets', async () => {
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    const { workflowId } = await h.withWorker((tq) => runPrompt(h, tq, input));

    const events = await historyOf(h.client, workflowId);
    const texts = payloadTexts(events);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    expect(events.length).toBeLessThanOrEqual(40);
    expect(bytes).toBeLessThan(12_000);
    for (const secret of [API_KEY, WEBHOOK_SECRET, BRIDGE_SECRET, callbackToken(BRIDGE_SECRET, workflowId)]) {
      expect(texts.some((t) => t.includes(secret))).toBe(false);
    }
    // the answer itself lives in the store, not in history
    const record = await h.store.get((await h.client.workflow.getHandle(workflowId).result()).resultRef!);
    expect(texts.some((t) => t.includes(record!.result!.text!.slice(0, 80)))).toBe(false);
  });

  it('polls with growing intervals when webhooks are off', async () => {
    // Temporal fires timers with about one second of resolution, so the schedule is in seconds.
    const slow = await startHarness({ processingMs: { min: 8_000, max: 8_000 } });
    try {
      const input = promptInput({ delivery: 'poll' }, { timing: { pollInitialMs: 1_000, pollFactor: 2, pollMaxMs: 4_000 } });
      const { summary, workflowId } = await slow.withWorker((tq) => runPrompt(slow, tq, input));
      expect(summary.status).toBe('COMPLETED');

      const events = await historyOf(slow.client, workflowId);
      const times = scheduled(events, 'fetchTask').map((e) => Number(e.eventTime!.seconds) * 1000 + e.eventTime!.nanos! / 1e6);
      // reads after 1, 3, 7, 11 s: an 8 s task costs 4 reads, not the 8 of a fixed 1 s poll
      expect(times.length).toBeGreaterThanOrEqual(3);
      expect(times.length).toBeLessThanOrEqual(5);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5);
      expect(Math.max(...gaps)).toBeLessThan(4_000 + 1_200);
      expect(signals(events)).toHaveLength(0);
      expect(slow.sim.sim.stats().webhooks.attempts).toBe(0);
      await recordHistory(workflowId, 'poll-backoff-completed');
    } finally {
      await slow.close();
    }
  });

  it('still completes through the safety-net poll when every webhook attempt is lost', async () => {
    h.sim.sim.addFaults({ webhooks: { dropAllAttempts: { count: 1 } } });
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 1_000, safetyPollMaxMs: 1_000 } });
    const { summary, workflowId } = await h.withWorker((tq) => runPrompt(h, tq, input));

    expect(summary.status).toBe('COMPLETED');
    expect(h.sim.sim.stats().webhooks.delivered).toBe(0);
    expect(signals(await historyOf(h.client, workflowId))).toHaveLength(0);
  });

  it('ignores duplicate webhooks and never signals for forged ones', async () => {
    h.sim.sim.addFaults({ webhooks: { duplicate: { count: 1 } } });
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    const workflowId = `cloro-prompt-${input.idempotencyKey}`;
    const url = `${h.bridge.url}/webhooks/cloro/${encodeURIComponent(workflowId)}`;
    const body = JSON.stringify({
      task: { id: 'forged', taskType: 'CHATGPT', status: 'COMPLETED', priority: 1, createdAt: new Date().toISOString() },
      credits: { creditsToCharge: 5, creditsCharged: 5 },
      response: { text: 'forged answer' },
    });

    const { summary } = await h.withWorker(async (tq) => {
      const started = await startPrompt(h.client, input, tq);
      const wrongToken = await fetch(`${url}/not-the-token`, { method: 'POST', body, headers: signWebhook(body, WEBHOOK_SECRET) });
      const badSignature = await fetch(`${url}/${callbackToken(BRIDGE_SECRET, workflowId)}`, {
        method: 'POST',
        body,
        headers: signWebhook(body, 'whsec_someone_else'),
      });
      expect([wrongToken.status, badSignature.status]).toEqual([401, 401]);
      return { summary: await started.handle.result() };
    });

    expect(summary).toMatchObject({ status: 'COMPLETED', attempts: 1 });
    expect(summary.taskId).not.toBe('forged');
    await h.sim.sim.idle();
    expect(h.sim.sim.stats().webhooks.duplicates).toBe(1);
    const events = await historyOf(h.client, workflowId);
    expect(scheduled(events, 'fetchTask')).toHaveLength(1);
    for (const e of signals(events)) {
      expect(payloadTexts(e).join('')).toContain(summary.taskId!);
    }
  });

  it('creates exactly one task when create answers 500, 503 and 429 before succeeding', async () => {
    h.sim.sim.addFaults({
      errors: [
        { route: 'POST /v1/async/task', status: 500, count: 1 },
        { route: 'POST /v1/async/task', status: 503, count: 1 },
        { route: 'POST /v1/async/task', status: 429, count: 1 },
      ],
    });
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    const { summary } = await h.withWorker((tq) => runPrompt(h, tq, input));

    expect(summary.status).toBe('COMPLETED');
    // injected errors answer before cloro's handler runs, so only the last request reached it
    expect(h.sim.sim.stats().requests['POST /v1/async/task']).toEqual({
      total: 4,
      byStatus: { '500': 1, '503': 1, '429': 1, '200': 1 },
    });
    expect(keyStats(input.idempotencyKey)).toMatchObject({ requests: 1, created: 1 });
    expect(h.sim.sim.stats().tasks.created).toBe(1);
  });

  it('adopts the task through its webhook after a lost create response, charging once', async () => {
    h.sim.sim.addFaults({ loseCreateResponse: { count: 1, respond: 502 } });
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    const { summary, workflowId } = await h.withWorker((tq) => runPrompt(h, tq, input));
    await recordHistory(workflowId, 'lost-create-adopted-by-webhook');

    expect(summary).toMatchObject({ status: 'COMPLETED', orphaned: 1, creditsCharged: 5 });
    expect(keyStats(input.idempotencyKey)).toMatchObject({ created: 1, conflicts: 1 });
    const stats = h.sim.sim.stats();
    expect(stats.tasks.created).toBe(1);
    expect(stats.credits.charged).toBe(5);
  });

  it('records ORPHANED in poll mode after a lost create response instead of paying twice', async () => {
    h.sim.sim.addFaults({ loseCreateResponse: { count: 1, respond: 'destroy' } });
    const input = promptInput({ delivery: 'poll' });
    const { summary } = await h.withWorker((tq) => runPrompt(h, tq, input));

    expect(summary).toMatchObject({ status: 'ORPHANED', orphaned: 1, taskId: null });
    expect(summary.error?.code).toBe('ORPHANED');
    expect(h.sim.sim.stats().tasks.created).toBe(1);
  });

  it.each([
    ['CloroValidationError', () => h.deps(), { country: 'CN' }],
    ['CloroAuthError', () => h.deps({ cloro: new CloroClient({ apiKey: 'sk_wrong_key_0000000000', baseURL: h.sim.url }) }), {}],
  ] as const)('fails at once with a typed %s', async (type, deps, request) => {
    const input = promptInput({ delivery: 'poll', ...request });
    const err = await h.withWorker((tq) => runPrompt(h, tq, input), deps()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(type);
    expect(cause!.message.length).toBeGreaterThan(5);
    expect(keyStats(input.idempotencyKey)?.requests ?? 0).toBeLessThanOrEqual(1);
  });

  it('fails at once with a typed CloroInsufficientCredits when the balance is empty', async () => {
    const broke = await startHarness({ initialCredits: 0 });
    try {
      const input = promptInput({ delivery: 'poll' });
      const err = await broke.withWorker((tq) => runPrompt(broke, tq, input)).catch((e: unknown) => e);
      expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('CloroInsufficientCredits');
      expect(broke.sim.sim.stats().creates.byIdempotencyKey[input.idempotencyKey]).toMatchObject({ requests: 1, created: 0 });
    } finally {
      await broke.close();
    }
  });

  it('records a FAILED task with its error and resubmits a transient failure once under a new key', async () => {
    h.sim.sim.addFaults({ failTasks: { count: 2, code: 'EXTERNAL_SERVICE_ERROR', message: 'provider down' } });
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    const { summary, workflowId } = await h.withWorker((tq) => runPrompt(h, tq, input));
    await recordHistory(workflowId, 'failed-resubmitted-once');

    expect(summary).toMatchObject({ status: 'FAILED', attempts: 2, creditsCharged: 0 });
    expect(summary.error).toEqual({ code: 'EXTERNAL_SERVICE_ERROR', message: 'provider down' });
    expect(keyStats(input.idempotencyKey)).toMatchObject({ created: 1 });
    expect(keyStats(`${input.idempotencyKey}-r1`)).toMatchObject({ created: 1 });
    expect(await h.store.get(summary.resultRef!)).toMatchObject({ status: 'FAILED', error: { code: 'EXTERNAL_SERVICE_ERROR' } });
  });

  it('does not resubmit a FAILED task whose error is not transient', async () => {
    h.sim.sim.addFaults({ failTasks: { count: 1, code: 'CONTENT_POLICY_VIOLATION', message: 'refused' } });
    const input = promptInput({ delivery: 'poll' }, { timing: { pollInitialMs: 200 } });
    const { summary } = await h.withWorker((tq) => runPrompt(h, tq, input));

    expect(summary).toMatchObject({ status: 'FAILED', attempts: 1, error: { code: 'CONTENT_POLICY_VIOLATION' } });
    expect(h.sim.sim.stats().tasks.created).toBe(1);
  });

  it('returns the existing execution when the same prompt is started twice', async () => {
    const input = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
    await h.withWorker(async (tq) => {
      const first = await startPrompt(h.client, input, tq);
      const second = await startPrompt(h.client, input, tq);
      expect(second).toMatchObject({ workflowId: first.workflowId, existing: true });
      await first.handle.result();
      const third = await startPrompt(h.client, input, tq);
      expect(third.existing).toBe(true);
      expect((await third.handle.result()).status).toBe('COMPLETED');
    });
    expect(keyStats(input.idempotencyKey)).toMatchObject({ requests: 1, created: 1 });
  });

  it('stops waiting and records CANCELLED on the cancel update', async () => {
    const slow = await startHarness({ processingMs: { min: 60_000, max: 60_000 } });
    try {
      const input = promptInput({ delivery: 'poll' }, { timing: { pollInitialMs: 500 } });
      const summary = await slow.withWorker(async (tq) => {
        const { handle } = await startPrompt(slow.client, input, tq);
        await waitUntil(async () => (await handle.query(statusQuery)).phase === 'waiting');
        const status = await handle.executeUpdate(cancelUpdate, { args: ['no longer needed'] });
        expect(status.taskId).not.toBeNull();
        const result = await handle.result();
        await recordHistory(handle.workflowId, 'cancelled-by-update');
        return result;
      });
      expect(summary).toMatchObject({ status: 'CANCELLED', error: { code: 'CANCELLED', message: 'no longer needed' } });
    } finally {
      await slow.close();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

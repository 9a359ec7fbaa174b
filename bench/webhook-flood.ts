/**
 * Webhook flood: a bounded load test of the real bridge over loopback HTTP.
 *
 *   npm run build && node --expose-gc dist/bench/webhook-flood.js [--requests 20000] [--concurrency 50] [--seed 1301] [--temporal]
 *
 * The bridge is `startBridge` as the product runs it (Fastify app, raw-body parser, token,
 * size, signature, schema checks). Without `--temporal` a counting Notifier stands in for
 * Temporal; with it the bridge signals a dev server of its own (flood-temporal.ts) and the
 * signals are counted in the workflows' histories. Deliveries name workflows from three
 * pools — valid, forged, other-URL — so "no valid result lost" and "no forged request turned
 * into a signal" are exact counts. The mix, drawn from the seed:
 * valid (signed, terminal), duplicate (a valid delivery sent again, same bytes), bad token,
 * bad signature, stale timestamp (correctly signed 10 min ago), oversized (over 1 MiB),
 * non-JSON (signed), not terminal (signed, PROCESSING: 200, nothing to wake), and a valid
 * body and signature on another workflow's URL (its own valid token): the bridge signals
 * that workflow — by design only the workflow can tell, by re-reading the task from cloro
 * and checking its idempotency key — so those are counted apart from the forged ones.
 * Exits 1 when a valid delivery is lost, a forged one signalled, or a secret is logged.
 */
import { Writable } from 'node:stream';
import { Command } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import type { Notifier } from '../src/bridge/notifier';
import { startBridge } from '../src/bridge/server';
import { callbackUrl } from '../src/bridge/token';
import { signWebhook } from '../src/cloro/webhook-signature';
import { openFloodTemporal } from './flood-temporal';

const BRIDGE_SECRET = 'flood-bridge-secret-5e0c2a9b71d4f8e3';
const WEBHOOK_SECRET = 'whsec_flood_8d1f3c6a0b2e';
/** One oversized body shared by every such request, so the generator's memory stays small. */
const OVERSIZED = Buffer.alloc(1024 * 1024 + 4096, 0x20);
/** Workflows per pool: deliveries of a pool spread over this many ids. */
const POOL = 100;

const Options = z.object({
  requests: z.coerce.number().int().min(100),
  concurrency: z.coerce.number().int().min(1),
  seed: z.coerce.number().int().min(0),
  temporal: z.boolean().default(false),
});

type Kind =
  | 'valid'
  | 'duplicate'
  | 'bad token'
  | 'bad signature'
  | 'stale timestamp'
  | 'oversized'
  | 'non-JSON'
  | 'not terminal'
  | 'other workflow URL';

/** Share of the mix, and the status the bridge must answer. */
const MIX: [Kind, number, number][] = [
  ['valid', 0.35, 200],
  ['duplicate', 0.12, 200],
  ['bad token', 0.1, 401],
  ['bad signature', 0.1, 401],
  ['stale timestamp', 0.1, 401],
  ['oversized', 0.02, 413],
  ['non-JSON', 0.08, 400],
  ['not terminal', 0.08, 200],
  ['other workflow URL', 0.05, 200],
];
const EXPECTED = new Map(MIX.map(([kind, , status]) => [kind, status]));
/** Kinds whose workflow must never be signalled. */
const FORGED: ReadonlySet<Kind> = new Set(['bad token', 'bad signature', 'stale timestamp', 'oversized', 'non-JSON', 'not terminal']);

function poolOf(kind: Kind): 'valid' | 'forged' | 'cross' {
  if (FORGED.has(kind)) return 'forged';
  return kind === 'other workflow URL' ? 'cross' : 'valid';
}
const POOL_IDS = (['valid', 'forged', 'cross'] as const).flatMap((pool) => Array.from({ length: POOL }, (_, i) => `flood-${pool}-${i}`));

interface Delivery {
  kind: Kind;
  workflowId: string;
  taskId: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** mulberry32: a small seeded generator, so a run's mix can be repeated. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function taskBody(taskId: string, status: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      success: true,
      task: { id: taskId, taskType: 'CHATGPT', status, priority: 1, createdAt: new Date().toISOString(), idempotencyKey: `key-${taskId}` },
      credits: { creditsToCharge: 5, creditsCharged: 5 },
      response: { model: 'gpt-4o', text: 'An answer the bridge never reads.', sources: [] },
    }),
  );
}

function pathOf(workflowId: string, secret = BRIDGE_SECRET): string {
  return new URL(callbackUrl('http://bridge.invalid', secret, workflowId)).pathname;
}

function makeDelivery(kind: Kind, i: number, earlier: Delivery[]): Delivery {
  const now = Math.floor(Date.now() / 1000);
  const json = { 'content-type': 'application/json' };
  const workflowId = `flood-${poolOf(kind)}-${i % POOL}`;
  const taskId = `task-${i}`;
  const body = taskBody(taskId, kind === 'not terminal' ? 'PROCESSING' : 'COMPLETED');
  const signed = (raw: Buffer, at = now) => ({ ...json, ...signWebhook(raw, WEBHOOK_SECRET, at) });
  switch (kind) {
    case 'duplicate': {
      const original = earlier[Math.floor(i % Math.max(1, earlier.length))];
      if (original) return { ...original, kind };
      return makeDelivery('valid', i, earlier);
    }
    case 'bad token':
      return { kind, workflowId, taskId, path: pathOf(workflowId, 'some-other-bridge-secret-of-32-bytes!'), headers: signed(body), body };
    case 'bad signature':
      return { kind, workflowId, taskId, path: pathOf(workflowId), headers: { ...json, ...signWebhook(body, 'whsec_forged', now) }, body };
    case 'stale timestamp':
      return { kind, workflowId, taskId, path: pathOf(workflowId), headers: signed(body, now - 600), body };
    case 'oversized':
      return { kind, workflowId, taskId, path: pathOf(workflowId), headers: signed(OVERSIZED), body: OVERSIZED };
    case 'non-JSON': {
      const raw = Buffer.from(`task ${taskId} COMPLETED, not JSON`);
      return { kind, workflowId, taskId, path: pathOf(workflowId), headers: signed(raw), body: raw };
    }
    case 'other workflow URL': {
      // The body and signature of another workflow's delivery, on this workflow's own valid URL.
      const foreign = taskBody(`foreign-${i}`, 'COMPLETED');
      return { kind, workflowId, taskId: `foreign-${i}`, path: pathOf(workflowId), headers: signed(foreign), body: foreign };
    }
    default:
      return { kind, workflowId, taskId, path: pathOf(workflowId), headers: signed(body), body };
  }
}

function pick(random: () => number): Kind {
  let r = random();
  for (const [kind, share] of MIX) {
    if ((r -= share) < 0) return kind;
  }
  return 'valid';
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(opts: z.infer<typeof Options>): Promise<number> {
  const temporal = opts.temporal ? await openFloodTemporal(POOL_IDS) : undefined;
  /** What the bridge signalled, by workflow: task ids (the bridge's side of the count). */
  const signals = new Map<string, string[]>();
  const notifier: Notifier = {
    async notify(workflowId, signal) {
      const outcome = temporal ? await temporal.notifier.notify(workflowId, signal) : 'signalled';
      signals.set(workflowId, [...(signals.get(workflowId) ?? []), signal.taskId]);
      return outcome;
    },
  };
  let logLines = 0;
  let leakedLines = 0;
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString('utf8');
      logLines += 1;
      if (line.includes(BRIDGE_SECRET) || line.includes(WEBHOOK_SECRET) || line.includes('never reads')) leakedLines += 1;
      done();
    },
  });
  const bridge = await startBridge({
    port: 0,
    notifier,
    bridgeSecret: BRIDGE_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    logger: pino({ level: 'info' }, log),
  });

  const random = rng(opts.seed);
  const valid: Delivery[] = [];
  const deliveries: Delivery[] = [];
  for (let i = 0; i < opts.requests; i++) {
    const delivery = makeDelivery(pick(random), i, valid);
    if (delivery.kind === 'valid') valid.push(delivery);
    deliveries.push(delivery);
  }

  const latencies = new Float64Array(opts.requests);
  const statuses = new Map<Kind, Map<string, number>>();
  const count = (kind: Kind, status: string) => {
    const byStatus = statuses.get(kind) ?? new Map<string, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    statuses.set(kind, byStatus);
  };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const heapAt: string[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;

  let next = 0;
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < deliveries.length; i = next++) {
      const d = deliveries[i]!;
      const t0 = performance.now();
      try {
        const res = await fetch(`${bridge.url}${d.path}`, { method: 'POST', headers: d.headers, body: d.body });
        await res.arrayBuffer();
        count(d.kind, String(res.status));
      } catch (err) {
        // An oversized body may be cut off by the 413 before it is fully sent.
        count(d.kind, `error: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`);
      }
      latencies[i] = performance.now() - t0;
      sent += 1;
      if (sent % Math.floor(deliveries.length / 4) === 0) {
        gc?.();
        heapAt.push(`${sent}: heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await bridge.close();

  // With Temporal, the histories are the record: what reached each workflow, decoded.
  const received = new Map<string, string>();
  if (temporal) for (const id of POOL_IDS) received.set(id, (await temporal.signalsIn(id)).join('\n'));
  await temporal?.close();
  const reached = (d: Delivery) =>
    temporal ? (received.get(d.workflowId) ?? '').includes(`"${d.taskId}"`) : (signals.get(d.workflowId) ?? []).includes(d.taskId);
  const validLost = valid.filter((d) => !reached(d)).length;
  const signalsTo = (pool: string) =>
    POOL_IDS.filter((id) => id.startsWith(`flood-${pool}-`)).reduce(
      (sum, id) => sum + (temporal ? (received.get(id) ?? '').split('\n').filter(Boolean).length : (signals.get(id) ?? []).length),
      0,
    );
  const forgedSignalled = signalsTo('forged');
  const crossSignalled = signalsTo('cross');
  let wrongStatus = 0;

  const target = temporal ? 'real Temporal (counted in histories)' : 'a counting notifier';
  console.log(
    `webhook flood: ${opts.requests} requests, ${opts.concurrency} concurrent, seed ${opts.seed}, to ${target}, ${seconds.toFixed(1)} s`,
  );
  console.log('| kind | sent | answered | expected |');
  console.log('| --- | --- | --- | --- |');
  for (const [kind] of MIX) {
    const byStatus = statuses.get(kind) ?? new Map<string, number>();
    const sentOfKind = [...byStatus.values()].reduce((a, b) => a + b, 0);
    const expected = EXPECTED.get(kind);
    const ok = byStatus.get(String(expected)) ?? 0;
    // A cut-off upload of an oversized body is still a refusal; any other status is wrong.
    const refusedByReset = kind === 'oversized' ? [...byStatus].filter(([s]) => s.startsWith('error')).reduce((a, [, n]) => a + n, 0) : 0;
    wrongStatus += sentOfKind - ok - refusedByReset;
    console.log(`| ${kind} | ${sentOfKind} | ${[...byStatus].map(([s, n]) => `${n}× ${s}`).join(', ')} | ${expected} |`);
  }
  const sorted = Float64Array.from(latencies).sort();
  console.log(
    `latency p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p99 ${quantile(sorted, 0.99).toFixed(2)} ms, max ${quantile(sorted, 1).toFixed(1)} ms; ` +
      `${(opts.requests / seconds).toFixed(0)} req/s`,
  );
  console.log(`peak RSS ${mb(peakRss)} (bridge and load generator, one process); ${heapAt.join('; ')}${gc ? ' (after gc)' : ''}`);
  console.log(
    `valid lost: ${validLost} of ${valid.length}; signals to forged targets: ${forgedSignalled}; wrong status: ${wrongStatus}; ` +
      `other-workflow-URL signals: ${crossSignalled} (the workflow rejects them by key); ` +
      `log lines: ${logLines}, with a secret or a body: ${leakedLines}`,
  );
  return validLost === 0 && forgedSignalled === 0 && wrongStatus === 0 && leakedLines === 0 ? 0 : 1;
}

const program = new Command('webhook-flood')
  .option('--requests <n>', 'requests in all', '20000')
  .option('--concurrency <n>', 'requests in flight at once', '50')
  .option('--seed <n>', 'seed of the request mix', '1301')
  .option('--temporal', 'signal a dev server of its own and count the signals in its histories')
  .action(async (raw: unknown) => {
    process.exitCode = await main(Options.parse(raw));
  });
program.parseAsync().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

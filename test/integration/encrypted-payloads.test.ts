/**
 * Payload encryption end to end on the real dev server: a prompt runs through the simulator,
 * the bridge and a worker that all encrypt (the harness gives client, bridge and worker the
 * codec), and its history, read by a client without the key, holds no prompt text and no
 * secret anywhere — inputs, results, signals, user metadata, activity payloads — while a
 * client with the key reads the summary as usual, and the temporal CLI reads it through
 * `codec-server` with its bearer token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Client, WorkflowFailedError } from '@temporalio/client';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { callbackToken } from '../../src/bridge/token';
import { CloroClient } from '../../src/cloro/client';
import { dataConverterOption } from '../../src/codec/data-converter';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/codec/encryption-codec';
import { startCodecServer } from '../../src/codec-server/server';
import { startPrompt } from '../../src/prompts/start';
import { promptSummaryLine } from '../../src/prompts/start-options';
import {
  API_KEY,
  BRIDGE_SECRET,
  type Harness,
  historyOf,
  promptInput,
  runPrompt,
  startHarness,
  temporalCli,
  WEBHOOK_SECRET,
} from '../helpers/prompt-harness';
import { testClient } from '../helpers/temporal';

// What every process gets from CLORO_PAYLOAD_KEYS: the codec and the encrypting failure converter.
const { dataConverter } = dataConverterOption({ payloadKeys: [{ id: 'test-2026', key: randomBytes(32) }] });
const codec = dataConverter!.payloadCodecs![0]!;

const prompt = `Which CRM fits a bakery with ${randomUUID()} in its name?`;
const input = promptInput({ prompt, delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });

let h: Harness;
let raw: Client;
let ran: Awaited<ReturnType<typeof runPrompt>>;

beforeAll(async () => {
  h = await startHarness({}, { dataConverter: dataConverter! });
  raw = await testClient();
  ran = await h.withWorker((tq) => runPrompt(h, tq, input));
});
afterAll(async () => {
  await raw?.connection.close();
  await h?.close();
});

/** Every string and byte array in the events (bytes read as text), so nothing readable escapes the search. */
function readableParts(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('latin1'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => readableParts(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => readableParts(v, out));
  return out;
}

interface RawPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

/** Payloads found under `key` anywhere in the events (e.g. `input`, `result`, `summary`). */
function payloadsUnder(value: unknown, key: string, out: RawPayload[] = []): RawPayload[] {
  if (Array.isArray(value)) value.forEach((v) => payloadsUnder(v, key, out));
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && v && typeof v === 'object') {
        const found = 'payloads' in v ? (v as { payloads: RawPayload[] }).payloads : [v as RawPayload];
        out.push(...found);
      } else payloadsUnder(v, key, out);
    }
  }
  return out;
}

/** Every failure (and cause) in the events, with the fields the default converter writes in plain text. */
function readableFailures(value: unknown, out: Array<{ message?: string | null; stackTrace?: string | null }> = []) {
  if (Array.isArray(value)) value.forEach((v) => readableFailures(v, out));
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'failure' || k === 'cause') && v && typeof v === 'object') out.push(v as { message?: string; stackTrace?: string });
      readableFailures(v, out);
    }
  }
  return out;
}

const encodingOf = (p: RawPayload) => Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();

describe('encrypted payloads', () => {
  it('leave no prompt text and no secret in the history a client without the key reads, while a client with it reads the summary', async () => {
    const { summary, workflowId } = ran;
    expect(summary).toMatchObject({ status: 'COMPLETED', error: null });

    // With the key: the summary, the UI line and the stored answer as usual.
    const handle = h.client.workflow.getHandle(workflowId);
    expect(await handle.result()).toEqual(summary);
    expect(await (await handle.describe()).staticSummary()).toBe(promptSummaryLine(input));

    // Without the key: the same history, raw.
    const events = await historyOf(raw, workflowId);
    const parts = readableParts(events);
    const secrets = [API_KEY, WEBHOOK_SECRET, BRIDGE_SECRET, callbackToken(BRIDGE_SECRET, workflowId)];
    for (const needle of [prompt, prompt.slice(0, 24), promptSummaryLine(input), ...secrets]) {
      expect([needle, parts.some((p) => p.includes(needle))]).toEqual([needle, false]);
    }
    // The search sees payload bytes: the search attributes (never encrypted: the server indexes them) show up.
    expect(parts.some((p) => p.includes(summary.taskId!))).toBe(true);

    // Input, result, signal, activity inputs and results, user metadata: all ciphertext under our key id.
    const payloads = ['input', 'result', 'summary', 'details'].flatMap((key) => payloadsUnder(events, key));
    expect(payloads.length).toBeGreaterThanOrEqual(6);
    for (const p of payloads) {
      expect(encodingOf(p)).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(p.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe('test-2026');
    }
    await expect(raw.workflow.getHandle(workflowId).result()).rejects.toThrow(/binary\/encrypted/);
  });

  it("keep a failed prompt's failure messages and stack traces out of plain history, while a client with the key reads them", async () => {
    const failing = promptInput({ prompt: `Rejected bakery prompt ${randomUUID()}`, delivery: 'poll' });
    // A key cloro (the simulator) refuses: the workflow fails with CloroAuthError.
    const wrongKey = h.deps({ cloro: new CloroClient({ apiKey: 'sk_wrong_key_for_this_test', baseURL: h.sim.url, timeout: 5_000 }) });
    let workflowId = '';
    const err = await h
      .withWorker(async (tq) => {
        const started = await startPrompt(h.client, failing, tq);
        workflowId = started.workflowId;
        return started.handle.result();
      }, wrongKey)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause?.message).toMatch(/API key/i);

    const events = await historyOf(raw, workflowId);
    const failures = readableFailures(events);
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const f of failures) expect([f.message, f.stackTrace]).toEqual(['Encoded failure', '']);
    expect(readableParts(events).some((p) => p.includes(cause!.message))).toBe(false);
  });

  it('are readable by the temporal CLI through codec-server with its bearer token, and refused without it', async () => {
    const { workflowId } = ran;
    const token = randomBytes(24).toString('hex');
    const server = await startCodecServer({ port: 0, codec, token, corsOrigins: [] });
    try {
      const show = (auth: string) =>
        temporalCli([
          'workflow',
          'show',
          '--workflow-id',
          workflowId,
          '--output',
          'json',
          '--codec-endpoint',
          server.url,
          '--codec-auth',
          auth,
        ]);
      // Proto JSON keeps payload data in base64: decode the started event's input.
      const { events } = JSON.parse(await show(`Bearer ${token}`)) as {
        events: Array<{ workflowExecutionStartedEventAttributes?: { input: { payloads: Array<{ data: string }> } } }>;
      };
      const input = events[0]!.workflowExecutionStartedEventAttributes!.input.payloads[0]!.data;
      expect(Buffer.from(input, 'base64').toString()).toContain(prompt);
      // Without the token (the CLI then retries until its deadline, so ask directly).
      const anonymous = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': 'default' },
        body: JSON.stringify({ payloads: [] }),
      });
      expect(anonymous.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

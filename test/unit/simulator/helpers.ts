/**
 * Test helpers: an in-process simulator over real HTTP, and a webhook receiver that
 * records what arrives. Both listen on free loopback ports and must be closed.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../../src/simulator';

export interface Answer {
  status: number;
  headers: Headers;
  // Tests parse bodies with the contract's schemas; `any` keeps the assertions short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface TestSimulator extends RunningSimulator {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

/** A simulator on a free port; timeScale 1000 unless told otherwise (16 cloro minutes ≈ 1 real second). */
export async function startTestSimulator(options: SimulatorOptionsInput = {}): Promise<TestSimulator> {
  const running = await startSimulator({ port: 0, seed: 7, timeScale: 1000, ...options });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: {
        authorization: 'Bearer sk_test_simulator',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const isJson = res.headers.get('content-type')?.includes('json');
    return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : text };
  };
  return { ...running, call };
}

export interface ReceivedWebhook {
  /** Real time of arrival, ms. */
  at: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** Answers every webhook with `status` (a function of the delivery count, if given). */
export async function startReceiver(status: number | ((n: number) => number) = 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, raw: Buffer.concat(chunks) });
      res.statusCode = typeof status === 'function' ? status(received.length) : status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/cloro`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; fails the test after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export function chatgptTask(prompt: string, extra: Record<string, unknown> = {}) {
  return { taskType: 'CHATGPT', payload: { prompt, country: 'US' }, ...extra };
}

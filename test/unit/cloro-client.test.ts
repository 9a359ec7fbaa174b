import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloroClient } from '../../src/cloro/client';
import {
  CloroAuthError,
  CloroConflict,
  CloroConnectionError,
  CloroError,
  CloroProtocolError,
  CloroServerError,
  CloroValidationError,
} from '../../src/cloro/errors';
import type { CreateTaskRequest } from '../../src/cloro/schemas';
import { version } from '../../package.json';

const API_KEY = 'sk_live_1234567890abcdef1234567890abcdef';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the canned server does with the next requests: answer, or hold the connection open. */
type Reply = { status?: number; json?: unknown; raw?: string; headers?: Record<string, string> } | { hang: 'before-headers' | 'mid-body' };

let server: http.Server;
let baseURL: string;
let reply: Reply;
let seen: Seen[];

// A fresh server (and so a fresh origin) per test: fetch pools sockets per origin, and a
// socket a previous test left hanging must not leak into the next one.
beforeEach(async () => {
  seen = [];
  reply = { status: 500, json: { error: 'no reply configured' } };
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if ('hang' in reply) {
        if (reply.hang === 'mid-body') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"task":');
        }
        return;
      }
      const body = reply.raw ?? JSON.stringify(reply.json);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  // Hanging replies leave sockets open; drop them so close() can finish.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(overrides: Partial<ConstructorParameters<typeof CloroClient>[0]> = {}): CloroClient {
  return new CloroClient({ apiKey: API_KEY, baseURL, timeout: 2_000, ...overrides });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

const CHATGPT_REQUEST: CreateTaskRequest = {
  taskType: 'CHATGPT',
  priority: 5,
  idempotencyKey: 'your-custom-identifier-123',
  webhook: { url: 'https://your-app.com/webhook-handler' },
  payload: { prompt: 'What is the weather in New York?', country: 'US' },
};

// ---- bodies from cloro's documentation (and the SDK fixtures the spec cites)

const TASK = {
  id: 'b27a21e1-7c39-4aa2-a347-23e828c426f9',
  taskType: 'CHATGPT',
  createdAt: '2025-11-10T15:00:00.000Z',
  idempotencyKey: 'your-custom-identifier-123',
};

const CREATE_REFERENCE_RESPONSE = {
  success: true,
  task: { ...TASK, status: 'QUEUED', priority: 1, idempotencyKey: 'batch-chatgpt-001' },
  credits: { creditsToCharge: 10, creditsCharged: null },
};

const CREATE_GUIDE_RESPONSE = {
  success: true,
  task: { ...TASK, status: 'QUEUED' },
  credits: { creditsToCharge: 10, creditsCharged: 0 },
};

const COMPLETED_DOCUMENT = {
  task: { ...TASK, status: 'COMPLETED' },
  credits: { creditsToCharge: 10, creditsCharged: 10 },
  response: {
    model: 'gpt-5-mini',
    text: 'The weather in New York is currently sunny...',
    html: 'https://storage.cloro.dev/results/c45a5081-808d-4ed3-9c86-e4baf16c8ab8/page-1.html',
    sources: [],
    shoppingCards: [],
    entities: [],
    markdown: 'The weather in New York is currently sunny...',
    searchQueries: ['weather in New York'],
  },
};

const FAILED_DOCUMENT = {
  task: { ...TASK, status: 'FAILED', priority: 1 },
  credits: { creditsToCharge: 5, creditsCharged: 0 },
  response: { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' } },
};

const STATUS_RESPONSE = {
  queuedTasks: 3,
  processingTasks: 2,
  priorityBreakdown: [
    { priority: 10, count: 1 },
    { priority: 5, count: 1 },
    { priority: 1, count: 1 },
  ],
  concurrency: { used: 2, max: 5 },
};

describe('CloroClient requests', () => {
  it('creates a task with POST /v1/async/task, the bearer key, JSON and a versioned User-Agent', async () => {
    reply = { json: CREATE_REFERENCE_RESPONSE };
    const created = await client().createTask(CHATGPT_REQUEST);

    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('/v1/async/task');
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers['user-agent']).toBe(`cloro-temporal/${version}`);
    expect(JSON.parse(seen[0]!.body)).toEqual(CHATGPT_REQUEST);

    expect(created.task.id).toBe(TASK.id);
    expect(created.task.status).toBe('QUEUED');
    expect(created.credits).toEqual({ creditsToCharge: 10, creditsCharged: null });
  });

  it('sends the validated request: prompt trimmed as cloro would', async () => {
    reply = { json: CREATE_REFERENCE_RESPONSE };
    await client().createTask({ taskType: 'GOOGLE', payload: { query: '  acme crm  ', country: 'GB' } });
    expect(JSON.parse(seen[0]!.body)).toEqual({ taskType: 'GOOGLE', payload: { query: 'acme crm', country: 'GB' } });
  });

  it('accepts any 2xx for create, and the guide body with creditsCharged 0 and no priority', async () => {
    for (const status of [201, 202]) {
      reply = { status, json: CREATE_GUIDE_RESPONSE };
      const created = await client().createTask(CHATGPT_REQUEST);
      expect(created.task.priority).toBe(1);
      expect(created.credits.creditsCharged).toBe(0);
    }
  });

  it('creates a batch with POST /v1/async/task/batch and a JSON array body, and reads mixed results', async () => {
    reply = {
      json: {
        success: true,
        summary: { total: 2, succeeded: 1, failed: 1 },
        results: [
          {
            success: true,
            index: 0,
            task: { ...TASK, status: 'QUEUED', priority: 5 },
            credits: { creditsToCharge: 5, creditsCharged: null },
          },
          { success: false, index: 1, error: { code: 'RESOURCE_ALREADY_EXISTS', message: 'Task already exists' } },
        ],
      },
    };
    const second: CreateTaskRequest = { taskType: 'PERPLEXITY', payload: { prompt: 'Best CRM?', country: 'DE' }, idempotencyKey: 'k2' };
    const batch = await client().createTasks([CHATGPT_REQUEST, second]);

    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('/v1/async/task/batch');
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(seen[0]!.body)).toEqual([CHATGPT_REQUEST, second]);
    expect(batch.summary).toEqual({ total: 2, succeeded: 1, failed: 1 });
    const [ok, failed] = batch.results;
    expect(ok!.success && ok!.task.id).toBe(TASK.id);
    expect(!failed!.success && failed!.error.code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('reads a QUEUED task with GET /v1/async/task/{id}, escaping the id', async () => {
    reply = { json: { task: { ...TASK, status: 'QUEUED', priority: 3 }, credits: { creditsToCharge: 10, creditsCharged: null } } };
    const task = await client().getTask('a/b c');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/v1/async/task/a%2Fb%20c');
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]!.body).toBe('');
    expect(task).toMatchObject({ id: TASK.id, status: 'QUEUED', priority: 3, credits: { creditsCharged: null } });
  });

  it('reads the documented COMPLETED task into a result', async () => {
    reply = { json: COMPLETED_DOCUMENT };
    const task = await client().getTask(TASK.id);
    if (task.status !== 'COMPLETED') throw new Error(`unexpected status ${task.status}`);
    expect(task.result.model).toBe('gpt-5-mini');
    expect(task.result.text).toBe('The weather in New York is currently sunny...');
    expect(task.result.searchQueries).toEqual(['weather in New York']);
    expect(task.credits).toEqual({ creditsToCharge: 10, creditsCharged: 10 });
    expect(task.idempotencyKey).toBe('your-custom-identifier-123');
  });

  it('unwraps a COMPLETED response given as {success, result}', async () => {
    reply = {
      json: {
        ...COMPLETED_DOCUMENT,
        response: {
          success: true,
          result: { text: 'Acme is a CRM vendor.', sources: [{ position: 1, url: 'https://acme.example', label: 'Acme' }] },
        },
      },
    };
    const task = await client().getTask(TASK.id);
    if (task.status !== 'COMPLETED') throw new Error(`unexpected status ${task.status}`);
    expect(task.result.text).toBe('Acme is a CRM vendor.');
    expect(task.result.sources?.[0]?.url).toBe('https://acme.example');
  });

  it('reads a FAILED task with its response.error and zero credits charged', async () => {
    reply = { json: FAILED_DOCUMENT };
    const task = await client().getTask(TASK.id);
    if (task.status !== 'FAILED') throw new Error(`unexpected status ${task.status}`);
    expect(task.error).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' });
    expect(task.credits.creditsCharged).toBe(0);
  });

  it('reads the queue status, with concurrency null during maintenance', async () => {
    reply = { json: STATUS_RESPONSE };
    const status = await client().getStatus();
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/v1/async/status');
    expect(status).toEqual(STATUS_RESPONSE);

    reply = { json: { queuedTasks: 0, processingTasks: 0, priorityBreakdown: [], concurrency: null } };
    expect((await client().getStatus()).concurrency).toBeNull();
  });

  it('reads the credit balance from GET /v1/credits', async () => {
    reply = { json: { remaining: 1234, perCycle: 5000, cycleResetsAt: '2026-12-01T00:00:00.000Z' } };
    const credits = await client().getCredits();
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/v1/credits');
    expect(credits).toEqual({ remaining: 1234, perCycle: 5000, cycleResetsAt: '2026-12-01T00:00:00.000Z' });
  });

  it('cancels queued tasks with DELETE /v1/async/queue and no body', async () => {
    reply = { json: { success: true, cleared: 3 } };
    const cleared = await client().cancelQueued();
    expect(seen[0]!.method).toBe('DELETE');
    expect(seen[0]!.url).toBe('/v1/async/queue');
    expect(seen[0]!.body).toBe('');
    expect(seen[0]!.headers['content-type']).toBeUndefined();
    expect(cleared.cleared).toBe(3);
  });

  it('lists countries from GET /v1/countries, per engine with a lower-case model', async () => {
    reply = { json: ['US', 'GB', 'DE'] };
    expect(await client().getCountries()).toEqual(['US', 'GB', 'DE']);
    expect(await client().getCountries('CHATGPT')).toEqual(['US', 'GB', 'DE']);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/countries', 'GET /v1/countries?model=chatgpt']);
  });

  it('keeps a path prefix in the base URL and ignores its trailing slash', async () => {
    reply = { json: STATUS_RESPONSE };
    await client({ baseURL: `${baseURL}/proxy/cloro/` }).getStatus();
    expect(seen[0]!.url).toBe('/proxy/cloro/v1/async/status');
  });

  it('uses the fetch given in the options', async () => {
    const calls: string[] = [];
    const custom: typeof fetch = async (input, init) => {
      calls.push(`${init?.method} ${String(input)}`);
      return new Response(JSON.stringify(STATUS_RESPONSE), { status: 200 });
    };
    await client({ baseURL: 'https://cloro.invalid', fetch: custom }).getStatus();
    expect(calls).toEqual(['GET https://cloro.invalid/v1/async/status']);
    expect(seen).toHaveLength(0);
  });
});

describe('CloroClient error answers', () => {
  it('turns a 409 into CloroConflict with cloro code, details and request id', async () => {
    reply = {
      status: 409,
      headers: { 'x-request-id': 'req_409' },
      json: {
        success: false,
        error: {
          code: 'RESOURCE_ALREADY_EXISTS',
          message: 'Task already exists',
          details: { field: 'idempotencyKey', value: 'your-custom-identifier-123' },
          timestamp: '2025-12-10T11:41:40.243Z',
        },
      },
    };
    const err = await caught(client().createTask(CHATGPT_REQUEST));
    expect(err).toBeInstanceOf(CloroConflict);
    expect(err).toMatchObject({ status: 409, code: 'RESOURCE_ALREADY_EXISTS', requestId: 'req_409', retryable: false });
    expect((err as CloroError).details).toEqual({ field: 'idempotencyKey', value: 'your-custom-identifier-123' });
  });

  it('turns a 503 with Retry-After into a retryable CloroServerError with the delay', async () => {
    reply = {
      status: 503,
      headers: { 'retry-after': '20' },
      json: { success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } },
    };
    const err = await caught(client().getStatus());
    expect(err).toBeInstanceOf(CloroServerError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 20_000 });
  });

  it('classifies a non-JSON error page by status', async () => {
    reply = { status: 502, raw: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } };
    const err = await caught(client().getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroServerError);
    expect(err).toMatchObject({ status: 502, code: 'HTTP_502', retryable: true });
  });
});

describe('CloroClient malformed 2xx bodies', () => {
  it('raises CloroProtocolError naming the missing task.id, with the request id', async () => {
    reply = {
      headers: { 'x-request-id': 'req_abc' },
      json: { ...CREATE_REFERENCE_RESPONSE, task: { ...CREATE_REFERENCE_RESPONSE.task, id: undefined } },
    };
    const err = await caught(client().createTask(CHATGPT_REQUEST));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('POST /v1/async/task');
    expect((err as Error).message).toContain('response.task.id');
    expect((err as Error).message).toContain('req_abc');
    expect(err).toMatchObject({ requestId: 'req_abc', retryable: false, status: null });
  });

  it('raises CloroProtocolError for a body that is not JSON, quoting the start of it', async () => {
    reply = { raw: '<html><body>Welcome to nginx</body></html>', headers: { 'content-type': 'text/html' } };
    const err = await caught(client().getStatus());
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toMatch(/not JSON \(text\/html\).*Welcome to nginx/);
  });

  it('raises CloroProtocolError for an empty 2xx body', async () => {
    reply = { status: 204, raw: '' };
    const err = await caught(client().createTask(CHATGPT_REQUEST));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('empty body');
  });

  it('carries a status outside the known list as UNKNOWN, and raises CloroProtocolError for a missing one', async () => {
    reply = { json: { ...COMPLETED_DOCUMENT, task: { ...COMPLETED_DOCUMENT.task, status: 'DONE' } } };
    await expect(client().getTask(TASK.id)).resolves.toMatchObject({ status: 'UNKNOWN', cloroStatus: 'DONE', terminal: false });
    reply = { json: { ...COMPLETED_DOCUMENT, task: { ...COMPLETED_DOCUMENT.task, status: undefined } } };
    const err = await caught(client().getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('response.task.status');
  });

  it('raises CloroProtocolError for a COMPLETED task whose result block is malformed', async () => {
    reply = { json: { ...COMPLETED_DOCUMENT, response: { text: 'x', sources: 'none' } } };
    const err = await caught(client().getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('sources');
  });

  it('raises CloroProtocolError when countries is not a list of strings', async () => {
    reply = { json: { countries: ['US'] } };
    expect(await caught(client().getCountries())).toBeInstanceOf(CloroProtocolError);
  });
});

describe('CloroClient transport', () => {
  it('gives up with a CloroConnectionError saying timeout when the server never answers', async () => {
    reply = { hang: 'before-headers' };
    const started = Date.now();
    const err = await caught(client({ timeout: 150 }).getStatus());
    expect(err).toBeInstanceOf(CloroConnectionError);
    expect((err as Error).message).toContain('timeout after 150 ms');
    expect(err).toMatchObject({ retryable: true, status: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('lets a per-call timeout override the client default', async () => {
    reply = { hang: 'before-headers' };
    const err = await caught(client({ timeout: 60_000 }).getStatus({ timeout: 100 }));
    expect((err as Error).message).toContain('timeout after 100 ms');
  });

  it('times out a server that stalls halfway through the body', async () => {
    reply = { hang: 'mid-body' };
    const err = await caught(client({ timeout: 150 }).getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroConnectionError);
    expect((err as Error).message).toContain('timeout');
  });

  it("rethrows the caller's abort reason untouched instead of a retryable error", async () => {
    reply = { hang: 'before-headers' };
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    const err = await caught(client().getStatus({ signal: controller.signal }));
    expect(err).toBe(reason);
    expect(err).not.toBeInstanceOf(CloroError);
  });

  it('rethrows a plain abort as an AbortError', async () => {
    reply = { hang: 'mid-body' };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await caught(client().getTask(TASK.id, { signal: controller.signal }));
    expect((err as Error).name).toBe('AbortError');
    expect(err).not.toBeInstanceOf(CloroError);
  });

  it('sends nothing when the caller has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await caught(client().createTask(CHATGPT_REQUEST, { signal: controller.signal }));
    expect((err as Error).name).toBe('AbortError');
    expect(seen).toHaveLength(0);
  });

  it('reports a refused connection as a retryable CloroConnectionError', async () => {
    const err = await caught(client({ baseURL: await closedPortURL() }).getStatus());
    expect(err).toBeInstanceOf(CloroConnectionError);
    expect((err as Error).message).toContain('connection failure');
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toContain('timeout');
    expect(err).toMatchObject({ retryable: true, code: 'CONNECTION_ERROR' });
  });
});

describe('CloroClient local validation', () => {
  const invalid: Array<[string, unknown, string]> = [
    ['an unknown top-level key', { ...CHATGPT_REQUEST, callbackUrl: 'https://x.example' }, 'callbackUrl'],
    ['an unknown payload key', { ...CHATGPT_REQUEST, payload: { ...CHATGPT_REQUEST.payload, temperature: 1 } }, 'temperature'],
    ['a missing prompt', { taskType: 'CHATGPT', payload: { country: 'US' } }, 'payload.prompt'],
    ['a Google task without query', { taskType: 'GOOGLE', payload: { prompt: 'acme', country: 'US' } }, 'payload.query'],
    ['priority 11', { ...CHATGPT_REQUEST, priority: 11 }, 'priority'],
    ['a lower-case country', { ...CHATGPT_REQUEST, payload: { prompt: 'x', country: 'us' } }, 'payload.country'],
    ['an unknown task type', { ...CHATGPT_REQUEST, taskType: 'CLAUDE' }, 'taskType'],
  ];

  it.each(invalid)('rejects %s without sending anything, naming the field', async (_label, req, field) => {
    const err = await caught(client().createTask(req as CreateTaskRequest));
    expect(err).toBeInstanceOf(CloroValidationError);
    expect(err).toMatchObject({ status: null, code: 'VALIDATION_ERROR', retryable: false });
    expect((err as Error).message).toContain(field);
    expect(seen).toHaveLength(0);
  });

  it('rejects a batch item by its index, and empty or oversized batches, without sending anything', async () => {
    const bad = { taskType: 'CHATGPT', payload: { country: 'US' } } as CreateTaskRequest;
    const err = await caught(client().createTasks([CHATGPT_REQUEST, bad]));
    expect(err).toBeInstanceOf(CloroValidationError);
    expect((err as Error).message).toContain('tasks[1]');
    expect((err as Error).message).toContain('payload.prompt');

    expect(await caught(client().createTasks([]))).toBeInstanceOf(CloroValidationError);
    expect(await caught(client().createTasks(Array.from({ length: 501 }, () => CHATGPT_REQUEST)))).toBeInstanceOf(CloroValidationError);
    expect(seen).toHaveLength(0);
  });

  it('rejects an empty task id without sending anything', async () => {
    expect(await caught(client().getTask(''))).toBeInstanceOf(CloroValidationError);
    expect(seen).toHaveLength(0);
  });

  it('refuses to build a client without an API key or with a base URL that is not a URL', () => {
    expect(() => new CloroClient({ apiKey: '' })).toThrow(/apiKey/);
    expect(() => new CloroClient({ apiKey: API_KEY, baseURL: 'api.cloro.dev' })).toThrow(/baseURL/);
    expect(() => new CloroClient({ apiKey: API_KEY, timeout: 0 })).toThrow(/timeout/);
  });
});

describe('CloroClient secrecy', () => {
  it('never puts the API key in an error message or details, even when cloro echoes it', async () => {
    const errors: unknown[] = [];
    const echo = `Bearer ${API_KEY} is not valid`;

    reply = {
      status: 401,
      json: { success: false, error: { code: 'INVALID_OR_EXPIRED_API_KEY', message: echo, details: { key: API_KEY } } },
    };
    errors.push(await caught(client().getStatus()));
    reply = { status: 200, raw: `<p>${echo}</p>` };
    errors.push(await caught(client().getStatus()));
    reply = { status: 200, json: { queuedTasks: API_KEY } };
    errors.push(await caught(client().getStatus()));
    reply = { hang: 'before-headers' };
    errors.push(await caught(client({ timeout: 100 }).getStatus()));
    errors.push(await caught(client({ baseURL: await closedPortURL() }).getStatus()));
    errors.push(await caught(client().createTask({ ...CHATGPT_REQUEST, priority: 0 })));

    expect(errors[0]).toBeInstanceOf(CloroAuthError);
    for (const err of errors) {
      expect(err).toBeInstanceOf(CloroError);
      const e = err as CloroError;
      expect(e.message).not.toContain(API_KEY);
      expect(String(e)).not.toContain(API_KEY);
      expect(JSON.stringify(e.details ?? null)).not.toContain(API_KEY);
    }
  });
});

/** A port that was just free: connecting to it is refused. */
async function closedPortURL(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

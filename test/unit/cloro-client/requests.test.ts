/**
 * The cloro client's wire contract: what the client sends to cloro and how it reads cloro's
 * documented answers.
 */
import type { CreateTaskRequest } from '../../../src/cloro/schemas';
import { version } from '../../../package.json';
import { API_KEY, useCannedCloro } from './canned-cloro';
import {
  CHATGPT_REQUEST,
  TASK,
  CREATE_REFERENCE_RESPONSE,
  CREATE_GUIDE_RESPONSE,
  COMPLETED_DOCUMENT,
  FAILED_DOCUMENT,
  STATUS_RESPONSE,
} from './documents';

const cloro = useCannedCloro();

describe('CloroClient requests', () => {
  it('creates a task with POST /v1/async/task, the bearer key, JSON and a versioned User-Agent', async () => {
    cloro.reply = { json: CREATE_REFERENCE_RESPONSE };
    const created = await cloro.client().createTask(CHATGPT_REQUEST);

    expect(cloro.seen).toHaveLength(1);
    expect(cloro.seen[0]!.method).toBe('POST');
    expect(cloro.seen[0]!.url).toBe('/v1/async/task');
    expect(cloro.seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(cloro.seen[0]!.headers['content-type']).toBe('application/json');
    expect(cloro.seen[0]!.headers['user-agent']).toBe(`cloro-temporal/${version}`);
    expect(JSON.parse(cloro.seen[0]!.body)).toEqual(CHATGPT_REQUEST);

    expect(created.task.id).toBe(TASK.id);
    expect(created.task.status).toBe('QUEUED');
    expect(created.credits).toEqual({ creditsToCharge: 10, creditsCharged: null });
  });

  it('sends the validated request: prompt trimmed as cloro would', async () => {
    cloro.reply = { json: CREATE_REFERENCE_RESPONSE };
    await cloro.client().createTask({ taskType: 'GOOGLE', payload: { query: '  acme crm  ', country: 'GB' } });
    expect(JSON.parse(cloro.seen[0]!.body)).toEqual({ taskType: 'GOOGLE', payload: { query: 'acme crm', country: 'GB' } });
  });

  it('accepts any 2xx for create, and the guide body with creditsCharged 0 and no priority', async () => {
    for (const status of [201, 202]) {
      cloro.reply = { status, json: CREATE_GUIDE_RESPONSE };
      const created = await cloro.client().createTask(CHATGPT_REQUEST);
      expect(created.task.priority).toBe(1);
      expect(created.credits.creditsCharged).toBe(0);
    }
  });

  it('creates a batch with POST /v1/async/task/batch and a JSON array body, and reads mixed results', async () => {
    cloro.reply = {
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
    const batch = await cloro.client().createTasks([CHATGPT_REQUEST, second]);

    expect(cloro.seen[0]!.method).toBe('POST');
    expect(cloro.seen[0]!.url).toBe('/v1/async/task/batch');
    expect(cloro.seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(cloro.seen[0]!.body)).toEqual([CHATGPT_REQUEST, second]);
    expect(batch.summary).toEqual({ total: 2, succeeded: 1, failed: 1 });
    const [ok, failed] = batch.results;
    expect(ok!.success && ok!.task.id).toBe(TASK.id);
    expect(!failed!.success && failed!.error.code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('reads a QUEUED task with GET /v1/async/task/{id}, escaping the id', async () => {
    cloro.reply = { json: { task: { ...TASK, status: 'QUEUED', priority: 3 }, credits: { creditsToCharge: 10, creditsCharged: null } } };
    const task = await cloro.client().getTask('a/b c');
    expect(cloro.seen[0]!.method).toBe('GET');
    expect(cloro.seen[0]!.url).toBe('/v1/async/task/a%2Fb%20c');
    expect(cloro.seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(cloro.seen[0]!.body).toBe('');
    expect(task).toMatchObject({ id: TASK.id, status: 'QUEUED', priority: 3, credits: { creditsCharged: null } });
  });

  it('reads the documented COMPLETED task into a result', async () => {
    cloro.reply = { json: COMPLETED_DOCUMENT };
    const task = await cloro.client().getTask(TASK.id);
    if (task.status !== 'COMPLETED') throw new Error(`unexpected status ${task.status}`);
    expect(task.result.model).toBe('gpt-5-mini');
    expect(task.result.text).toBe('The weather in New York is currently sunny...');
    expect(task.result.searchQueries).toEqual(['weather in New York']);
    expect(task.credits).toEqual({ creditsToCharge: 10, creditsCharged: 10 });
    expect(task.idempotencyKey).toBe('your-custom-identifier-123');
  });

  it('unwraps a COMPLETED response given as {success, result}', async () => {
    cloro.reply = {
      json: {
        ...COMPLETED_DOCUMENT,
        response: {
          success: true,
          result: { text: 'Acme is a CRM vendor.', sources: [{ position: 1, url: 'https://acme.example', label: 'Acme' }] },
        },
      },
    };
    const task = await cloro.client().getTask(TASK.id);
    if (task.status !== 'COMPLETED') throw new Error(`unexpected status ${task.status}`);
    expect(task.result.text).toBe('Acme is a CRM vendor.');
    expect(task.result.sources?.[0]?.url).toBe('https://acme.example');
  });

  it('reads a FAILED task with its response.error and zero credits charged', async () => {
    cloro.reply = { json: FAILED_DOCUMENT };
    const task = await cloro.client().getTask(TASK.id);
    if (task.status !== 'FAILED') throw new Error(`unexpected status ${task.status}`);
    expect(task.error).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' });
    expect(task.credits.creditsCharged).toBe(0);
  });

  it('reads the queue status, with concurrency null during maintenance', async () => {
    cloro.reply = { json: STATUS_RESPONSE };
    const status = await cloro.client().getStatus();
    expect(cloro.seen[0]!.method).toBe('GET');
    expect(cloro.seen[0]!.url).toBe('/v1/async/status');
    expect(status).toEqual(STATUS_RESPONSE);

    cloro.reply = { json: { queuedTasks: 0, processingTasks: 0, priorityBreakdown: [], concurrency: null } };
    expect((await cloro.client().getStatus()).concurrency).toBeNull();
  });

  it('reads the credit balance from GET /v1/credits', async () => {
    cloro.reply = { json: { remaining: 1234, perCycle: 5000, cycleResetsAt: '2026-12-01T00:00:00.000Z' } };
    const credits = await cloro.client().getCredits();
    expect(cloro.seen[0]!.method).toBe('GET');
    expect(cloro.seen[0]!.url).toBe('/v1/credits');
    expect(credits).toEqual({ remaining: 1234, perCycle: 5000, cycleResetsAt: '2026-12-01T00:00:00.000Z' });
  });

  it('cancels queued tasks with DELETE /v1/async/queue and no body', async () => {
    cloro.reply = { json: { success: true, cleared: 3 } };
    const cleared = await cloro.client().cancelQueued();
    expect(cloro.seen[0]!.method).toBe('DELETE');
    expect(cloro.seen[0]!.url).toBe('/v1/async/queue');
    expect(cloro.seen[0]!.body).toBe('');
    expect(cloro.seen[0]!.headers['content-type']).toBeUndefined();
    expect(cleared.cleared).toBe(3);
  });

  it('lists countries from GET /v1/countries, per engine with a lower-case model', async () => {
    cloro.reply = { json: ['US', 'GB', 'DE'] };
    expect(await cloro.client().getCountries()).toEqual(['US', 'GB', 'DE']);
    expect(await cloro.client().getCountries('CHATGPT')).toEqual(['US', 'GB', 'DE']);
    expect(cloro.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/countries', 'GET /v1/countries?model=chatgpt']);
  });

  it('keeps a path prefix in the base URL and ignores its trailing slash', async () => {
    cloro.reply = { json: STATUS_RESPONSE };
    await cloro.client({ baseURL: `${cloro.baseURL}/proxy/cloro/` }).getStatus();
    expect(cloro.seen[0]!.url).toBe('/proxy/cloro/v1/async/status');
  });

  it('uses the fetch given in the options', async () => {
    const calls: string[] = [];
    const custom: typeof fetch = async (input, init) => {
      calls.push(`${init?.method} ${String(input)}`);
      return new Response(JSON.stringify(STATUS_RESPONSE), { status: 200 });
    };
    await cloro.client({ baseURL: 'https://cloro.invalid', fetch: custom }).getStatus();
    expect(calls).toEqual(['GET https://cloro.invalid/v1/async/status']);
    expect(cloro.seen).toHaveLength(0);
  });
});

/** The cloro client's wire contract: requests and options refused before anything is sent. */
import { CloroClient } from '../../../src/cloro/client';
import { CloroValidationError } from '../../../src/cloro/errors';
import type { CreateTaskRequest } from '../../../src/cloro/schemas';
import { API_KEY, caught, useCannedCloro } from './canned-cloro';
import { CHATGPT_REQUEST } from './documents';

const cloro = useCannedCloro();

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
    const err = await caught(cloro.client().createTask(req as CreateTaskRequest));
    expect(err).toBeInstanceOf(CloroValidationError);
    expect(err).toMatchObject({ status: null, code: 'VALIDATION_ERROR', retryable: false });
    expect((err as Error).message).toContain(field);
    expect(cloro.seen).toHaveLength(0);
  });

  it('rejects a batch item by its index, and empty or oversized batches, without sending anything', async () => {
    const bad = { taskType: 'CHATGPT', payload: { country: 'US' } } as CreateTaskRequest;
    const err = await caught(cloro.client().createTasks([CHATGPT_REQUEST, bad]));
    expect(err).toBeInstanceOf(CloroValidationError);
    expect((err as Error).message).toContain('tasks[1]');
    expect((err as Error).message).toContain('payload.prompt');

    expect(await caught(cloro.client().createTasks([]))).toBeInstanceOf(CloroValidationError);
    expect(await caught(cloro.client().createTasks(Array.from({ length: 501 }, () => CHATGPT_REQUEST)))).toBeInstanceOf(
      CloroValidationError,
    );
    expect(cloro.seen).toHaveLength(0);
  });

  it('rejects an empty task id without sending anything', async () => {
    expect(await caught(cloro.client().getTask(''))).toBeInstanceOf(CloroValidationError);
    expect(cloro.seen).toHaveLength(0);
  });

  it('refuses to build a client without an API key or with a base URL that is not a URL', () => {
    expect(() => new CloroClient({ apiKey: '' })).toThrow(/apiKey/);
    expect(() => new CloroClient({ apiKey: API_KEY, baseURL: 'api.cloro.dev' })).toThrow(/baseURL/);
    expect(() => new CloroClient({ apiKey: API_KEY, timeout: 0 })).toThrow(/timeout/);
  });
});

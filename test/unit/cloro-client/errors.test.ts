/**
 * The cloro client's wire contract: cloro's error answers and malformed 2xx bodies, each a
 * typed error that never carries the API key.
 */
import { CloroAuthError, CloroConflict, CloroError, CloroProtocolError, CloroServerError } from '../../../src/cloro/errors';
import { API_KEY, caught, closedPortURL, useCannedCloro } from './canned-cloro';
import { CHATGPT_REQUEST, TASK, CREATE_REFERENCE_RESPONSE, COMPLETED_DOCUMENT } from './documents';

const cloro = useCannedCloro();

describe('CloroClient error answers', () => {
  it('turns a 409 into CloroConflict with cloro code, details and request id', async () => {
    cloro.reply = {
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
    const err = await caught(cloro.client().createTask(CHATGPT_REQUEST));
    expect(err).toBeInstanceOf(CloroConflict);
    expect(err).toMatchObject({ status: 409, code: 'RESOURCE_ALREADY_EXISTS', requestId: 'req_409', retryable: false });
    expect((err as CloroError).details).toEqual({ field: 'idempotencyKey', value: 'your-custom-identifier-123' });
  });

  it('turns a 503 with Retry-After into a retryable CloroServerError with the delay', async () => {
    cloro.reply = {
      status: 503,
      headers: { 'retry-after': '20' },
      json: { success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } },
    };
    const err = await caught(cloro.client().getStatus());
    expect(err).toBeInstanceOf(CloroServerError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 20_000 });
  });

  it('classifies a non-JSON error page by status', async () => {
    cloro.reply = { status: 502, raw: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } };
    const err = await caught(cloro.client().getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroServerError);
    expect(err).toMatchObject({ status: 502, code: 'HTTP_502', retryable: true });
  });
});

describe('CloroClient malformed 2xx bodies', () => {
  it('raises CloroProtocolError naming the missing task.id, with the request id', async () => {
    cloro.reply = {
      headers: { 'x-request-id': 'req_abc' },
      json: { ...CREATE_REFERENCE_RESPONSE, task: { ...CREATE_REFERENCE_RESPONSE.task, id: undefined } },
    };
    const err = await caught(cloro.client().createTask(CHATGPT_REQUEST));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('POST /v1/async/task');
    expect((err as Error).message).toContain('response.task.id');
    expect((err as Error).message).toContain('req_abc');
    expect(err).toMatchObject({ requestId: 'req_abc', retryable: false, status: null });
  });

  it('raises CloroProtocolError for a body that is not JSON, quoting the start of it', async () => {
    cloro.reply = { raw: '<html><body>Welcome to nginx</body></html>', headers: { 'content-type': 'text/html' } };
    const err = await caught(cloro.client().getStatus());
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toMatch(/not JSON \(text\/html\).*Welcome to nginx/);
  });

  it('raises CloroProtocolError for an empty 2xx body', async () => {
    cloro.reply = { status: 204, raw: '' };
    const err = await caught(cloro.client().createTask(CHATGPT_REQUEST));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('empty body');
  });

  it('carries a status outside the known list as UNKNOWN, and raises CloroProtocolError for a missing one', async () => {
    cloro.reply = { json: { ...COMPLETED_DOCUMENT, task: { ...COMPLETED_DOCUMENT.task, status: 'DONE' } } };
    await expect(cloro.client().getTask(TASK.id)).resolves.toMatchObject({ status: 'UNKNOWN', cloroStatus: 'DONE', terminal: false });
    cloro.reply = { json: { ...COMPLETED_DOCUMENT, task: { ...COMPLETED_DOCUMENT.task, status: undefined } } };
    const err = await caught(cloro.client().getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('response.task.status');
  });

  it('raises CloroProtocolError for a COMPLETED task whose result block is malformed', async () => {
    cloro.reply = { json: { ...COMPLETED_DOCUMENT, response: { text: 'x', sources: 'none' } } };
    const err = await caught(cloro.client().getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroProtocolError);
    expect((err as Error).message).toContain('sources');
  });

  it('raises CloroProtocolError when countries is not a list of strings', async () => {
    cloro.reply = { json: { countries: ['US'] } };
    expect(await caught(cloro.client().getCountries())).toBeInstanceOf(CloroProtocolError);
  });
});

describe('CloroClient secrecy', () => {
  it('never puts the API key in an error message or details, even when cloro echoes it', async () => {
    const errors: unknown[] = [];
    const echo = `Bearer ${API_KEY} is not valid`;

    cloro.reply = {
      status: 401,
      json: { success: false, error: { code: 'INVALID_OR_EXPIRED_API_KEY', message: echo, details: { key: API_KEY } } },
    };
    errors.push(await caught(cloro.client().getStatus()));
    cloro.reply = { status: 200, raw: `<p>${echo}</p>` };
    errors.push(await caught(cloro.client().getStatus()));
    cloro.reply = { status: 200, json: { queuedTasks: API_KEY } };
    errors.push(await caught(cloro.client().getStatus()));
    cloro.reply = { hang: 'before-headers' };
    errors.push(await caught(cloro.client({ timeout: 100 }).getStatus()));
    errors.push(await caught(cloro.client({ baseURL: await closedPortURL() }).getStatus()));
    errors.push(await caught(cloro.client().createTask({ ...CHATGPT_REQUEST, priority: 0 })));

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

import {
  BatchCreateResponseSchema,
  CreateTaskRequestSchema,
  CreateTaskResponseSchema,
  CreditsBalanceSchema,
  ErrorEnvelopeSchema,
  StatusResponseSchema,
  TaskDocumentSchema,
  toCloroTask,
} from '../../src/cloro/schemas';

const VALID = {
  taskType: 'CHATGPT',
  priority: 5,
  idempotencyKey: 'your-custom-identifier-123',
  webhook: { url: 'https://your-app.com/webhook-handler' },
  payload: { prompt: 'What is the weather in New York?', country: 'US' },
};

/** The paths of every issue, joined with dots, so a test names the field it expects. */
function issuePaths(input: unknown): string[] {
  const parsed = CreateTaskRequestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
}

describe('CreateTaskRequestSchema (strict: what we send)', () => {
  it('accepts the documented create request', () => {
    expect(CreateTaskRequestSchema.safeParse(VALID).success).toBe(true);
    expect(CreateTaskRequestSchema.safeParse({ taskType: 'GOOGLE_NEWS', payload: { query: 'acme', country: 'GB' } }).success).toBe(true);
  });

  it('rejects an unknown top-level key', () => {
    const parsed = CreateTaskRequestSchema.safeParse({ ...VALID, callback: 'https://x.example' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('callback');
  });

  it('rejects unknown keys in payload, include and webhook', () => {
    expect(issuePaths({ ...VALID, payload: { ...VALID.payload, temperature: 0.2 } })).toEqual(['payload']);
    expect(issuePaths({ ...VALID, payload: { ...VALID.payload, include: { markdown: true, pdf: true } } })).toEqual(['payload.include']);
    expect(issuePaths({ ...VALID, webhook: { url: 'https://x.example', secret: 's' } })).toEqual(['webhook']);
  });

  it('requires prompt for AI engines and query for GOOGLE and GOOGLE_NEWS', () => {
    expect(issuePaths({ taskType: 'CHATGPT', payload: { country: 'US' } })).toEqual(['payload.prompt']);
    expect(issuePaths({ taskType: 'PERPLEXITY', payload: { query: 'x', country: 'US' } })).toEqual(['payload.prompt']);
    expect(issuePaths({ taskType: 'GOOGLE', payload: { prompt: 'x', country: 'US' } })).toEqual(['payload.query']);
    expect(issuePaths({ taskType: 'GOOGLE_NEWS', payload: { country: 'US' } })).toEqual(['payload.query']);
  });

  it('trims the prompt and rejects one that is blank or longer than 10,000 characters', () => {
    const parsed = CreateTaskRequestSchema.parse({ ...VALID, payload: { prompt: '  hi  ', country: 'US' } });
    expect(parsed.payload.prompt).toBe('hi');
    expect(issuePaths({ ...VALID, payload: { prompt: '   ', country: 'US' } })).toContain('payload.prompt');
    expect(issuePaths({ ...VALID, payload: { prompt: 'x'.repeat(10_000), country: 'US' } })).toEqual([]);
    expect(issuePaths({ ...VALID, payload: { prompt: 'x'.repeat(10_001), country: 'US' } })).toEqual(['payload.prompt']);
  });

  it('accepts priority 1 to 10 only, as an integer', () => {
    expect(issuePaths({ ...VALID, priority: 1 })).toEqual([]);
    expect(issuePaths({ ...VALID, priority: 10 })).toEqual([]);
    for (const priority of [0, 11, 2.5, '5']) expect(issuePaths({ ...VALID, priority })).toEqual(['priority']);
  });

  it('requires an upper-case two-letter country', () => {
    expect(issuePaths({ ...VALID, payload: { prompt: 'x' } })).toEqual(['payload.country']);
    for (const country of ['us', 'USA', 'U1', '']) {
      expect(issuePaths({ ...VALID, payload: { prompt: 'x', country } })).toEqual(['payload.country']);
    }
  });

  it('rejects an unknown task type and a webhook URL that is not a URL', () => {
    expect(issuePaths({ ...VALID, taskType: 'CLAUDE' })).toContain('taskType');
    expect(issuePaths({ ...VALID, webhook: { url: 'not a url' } })).toEqual(['webhook.url']);
  });
});

describe('read schemas (tolerant: what cloro sends)', () => {
  const task = { id: 't1', taskType: 'CHATGPT', status: 'QUEUED', createdAt: '2026-01-01T00:00:00Z', region: 'eu-1' };

  it('keeps unknown fields on a create response and its task', () => {
    const parsed = CreateTaskResponseSchema.parse({
      success: true,
      task,
      credits: { creditsToCharge: 5, creditsCharged: null, currency: 'credits' },
      traceId: 'x',
    });
    expect(parsed).toMatchObject({ traceId: 'x', task: { region: 'eu-1' }, credits: { currency: 'credits' } });
    expect(parsed.task.priority).toBe(1);
    expect(parsed.task.idempotencyKey).toBeNull();
  });

  it('normalises a missing creditsCharged to null', () => {
    const parsed = CreateTaskResponseSchema.parse({ task, credits: { creditsToCharge: 5 } });
    expect(parsed.credits.creditsCharged).toBeNull();
  });

  it('keeps provider extras in a COMPLETED result and unknown fields on the document', () => {
    const doc = TaskDocumentSchema.parse({
      task: { ...task, status: 'COMPLETED' },
      credits: { creditsToCharge: 5, creditsCharged: 5 },
      response: { text: 'answer', aiOverview: { text: 'overview' }, related_questions: ['q'] },
      webhook: { url: 'https://hook.example', delivered: true, deliveredAt: null, attempts: 1 },
      newTopLevel: true,
    });
    expect(doc).toMatchObject({ newTopLevel: true, webhook: { attempts: 1 } });
    const cloroTask = toCloroTask(doc);
    if (cloroTask.status !== 'COMPLETED') throw new Error('expected COMPLETED');
    expect(cloroTask.result).toMatchObject({ aiOverview: { text: 'overview' }, related_questions: ['q'] });
  });

  it('takes a FAILED error from response.error, else the top-level error, else a placeholder', () => {
    const base = { task: { ...task, status: 'FAILED' }, credits: { creditsToCharge: 5, creditsCharged: 0 } };
    const nested = toCloroTask(
      TaskDocumentSchema.parse({
        ...base,
        response: { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' } },
      }),
    );
    const top = toCloroTask(TaskDocumentSchema.parse({ ...base, error: { code: 'PROVIDER_ERROR', message: 'down' } }));
    const none = toCloroTask(TaskDocumentSchema.parse(base));
    expect(nested.status === 'FAILED' && nested.error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(top.status === 'FAILED' && top.error.code).toBe('PROVIDER_ERROR');
    expect(none.status === 'FAILED' && none.error.code).toBe('UNKNOWN');
  });

  it('keeps unknown fields in status, batch and credits bodies, and reads a missing concurrency as null', () => {
    const status = StatusResponseSchema.parse({ queuedTasks: 1, processingTasks: 0, region: 'eu' });
    expect(status).toMatchObject({ region: 'eu', priorityBreakdown: [], concurrency: null });

    const batch = BatchCreateResponseSchema.parse({
      summary: { total: 1, succeeded: 0, failed: 1, skipped: 0 },
      results: [{ success: false, index: 0, error: { code: 'VALIDATION_ERROR', message: 'bad', field: 'payload.prompt' } }],
      batchId: 'b1',
    });
    expect(batch).toMatchObject({ batchId: 'b1', summary: { skipped: 0 }, results: [{ error: { field: 'payload.prompt' } }] });

    expect(CreditsBalanceSchema.parse({ remaining: 10, plan: 'pro' })).toEqual({
      remaining: 10,
      perCycle: null,
      cycleResetsAt: null,
      plan: 'pro',
    });
  });

  it('still rejects what a result cannot do without: a task id and a status', () => {
    expect(TaskDocumentSchema.safeParse({ task: { ...task, id: undefined }, credits: { creditsToCharge: 1 } }).success).toBe(false);
    expect(TaskDocumentSchema.safeParse({ task: { ...task, status: undefined }, credits: { creditsToCharge: 1 } }).success).toBe(false);
  });

  it('carries a status or task type it does not know as a string: unfinished unless it looks terminal', () => {
    const read = (status: string, taskType = 'CHATGPT') =>
      toCloroTask(TaskDocumentSchema.parse({ task: { ...task, status, taskType }, credits: { creditsToCharge: 5 } }));
    expect(read('PAUSED')).toMatchObject({ status: 'UNKNOWN', cloroStatus: 'PAUSED', terminal: false });
    for (const ended of ['CANCELLED', 'CANCELED', 'EXPIRED', 'ERROR', 'TIMED_OUT']) {
      expect(read(ended)).toMatchObject({ status: 'UNKNOWN', cloroStatus: ended, terminal: true });
    }
    expect(read('QUEUED', 'CLAUDE')).toMatchObject({ status: 'QUEUED', taskType: 'CLAUDE' });
  });

  it('reads a batch answer without a summary or per-item index', () => {
    const batch = BatchCreateResponseSchema.parse({
      results: [
        { success: true, task, credits: { creditsToCharge: 5 } },
        { success: false, error: { code: 'VALIDATION_ERROR', message: 'bad' } },
      ],
    });
    expect(batch.results.map((r) => r.success)).toEqual([true, false]);
    expect(batch.summary).toBeUndefined();
  });

  it('reads both error body shapes', () => {
    const object = ErrorEnvelopeSchema.parse({ success: false, error: { code: 'RESOURCE_NOT_FOUND', message: 'gone', timestamp: 't' } });
    expect(typeof object.error === 'object' && object.error.code).toBe('RESOURCE_NOT_FOUND');
    const flat = ErrorEnvelopeSchema.parse({ error: 'Invalid request body', details: [{ path: ['payload'] }] });
    expect(flat.error).toBe('Invalid request body');
  });
});

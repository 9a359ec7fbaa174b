import { judge, type Facts } from '../../../test/faults/invariant-rules';
import { promptWorkflowId, type PromptSummary } from '../../../workflows/definitions';

const summary = (key: string, overrides: Partial<PromptSummary> = {}): PromptSummary => ({
  idempotencyKey: key,
  taskId: `task-${key}`,
  status: 'COMPLETED',
  creditsCharged: 5,
  model: 'gpt-4o',
  textLength: 10,
  sourcesCount: 0,
  attempts: 1,
  orphaned: 0,
  resultRef: promptWorkflowId(key),
  error: null,
  ...overrides,
});

/** Two prompts, each created once, charged 5, completed and stored: every invariant holds. */
function healthy(): Facts {
  return {
    offered: 2,
    summaries: new Map([
      ['a', summary('a')],
      ['b', summary('b')],
    ]),
    notAccepted: [],
    notClosed: [],
    open: 0,
    taskQueue: 'tq',
    stored: ['a', 'b'].map((k) => ({
      workflowId: promptWorkflowId(k),
      status: 'COMPLETED',
      answerTaskId: `task-${k}`,
      failureTaskId: null,
    })),
    stats: {
      creates: {
        requests: 2,
        created: 2,
        conflicts: 0,
        rejected: 0,
        byIdempotencyKey: { a: { requests: 1, created: 1, conflicts: 0 }, b: { requests: 1, created: 1, conflicts: 0 } },
      },
      credits: { charged: 10, remaining: 0 },
    },
    taskKeys: new Map([
      ['task-a', 'a'],
      ['task-b', 'b'],
    ]),
    texts: [['log lines', 'worker on task queue "tq"']],
    secrets: { apiKey: 'sk_secret' },
  };
}

/** The facts with cloro having created `created` tasks under `key`. */
function withCreates(f: Facts, key: string, created: number): Facts {
  const byIdempotencyKey = { ...f.stats.creates.byIdempotencyKey, [key]: { requests: created, created, conflicts: 0 } };
  return { ...f, stats: { ...f.stats, creates: { ...f.stats.creates, byIdempotencyKey } } };
}

describe('fault-suite invariant rules', () => {
  it('find nothing wrong with a healthy run and report its figures', () => {
    expect(judge(healthy())).toEqual({
      offered: 2,
      accepted: 2,
      outcomes: { COMPLETED: 2 },
      maxCreatesPerKey: 1,
      resubmits: 0,
      creditsCharged: 10,
      creditsReported: 10,
      creditsEstimated: 0,
      violations: [],
    });
  });

  it.each<[string, (f: Facts) => Facts, RegExp]>([
    ['a key created twice', (f) => withCreates(f, 'a', 2), /cloro created 2 tasks under key a/],
    [
      'credits charged but not reported',
      (f) => ({ ...f, stats: { ...f.stats, credits: { charged: 15, remaining: 0 } } }),
      /charged 15 credits, the prompts report 10/,
    ],
    ['a workflow left open', (f) => ({ ...f, open: 1 }), /1 workflow\(s\) of task queue tq still open/],
    [
      'the store missing an outcome',
      (f) => ({ ...f, stored: [{ ...f.stored[0]!, status: 'SUBMITTED', answerTaskId: null }, f.stored[1]!] }),
      /COMPLETED in Temporal, SUBMITTED in the store/,
    ],
    [
      "an outcome on another prompt's task",
      (f) => ({ ...f, summaries: new Map([...f.summaries, ['a', summary('a', { taskId: 'task-b' })]]) }),
      /a: ended on task task-b, created under key b/,
    ],
    [
      'a secret in a log line',
      (f) => ({ ...f, texts: [['log lines', 'Authorization: Bearer sk_secret']] }),
      /the apiKey appears in the log lines/,
    ],
    [
      'a secret in an error message',
      (f) => ({
        ...f,
        summaries: new Map([...f.summaries, ['b', summary('b', { error: { code: 'X', message: 'key sk_secret refused' } })]]),
      }),
      /the apiKey appears in the error of b/,
    ],
    [
      'a create for a prompt the batch skipped',
      (f) => ({ ...f, notAccepted: ['b'], summaries: new Map([['a', summary('a')]]), batch: { skipped: 1, creditsCharged: 5 } }),
      /prompt b was never started, yet cloro created 1 task/,
    ],
    ['a resubmit the summary does not own', (f) => withCreates(f, 'a-r1', 1), /a: cloro created 2 task\(s\), the summary owns up to 1/],
  ])('flag %s', (_what, breakIt, violation) => {
    expect(judge(breakIt(healthy())).violations).toEqual(expect.arrayContaining([expect.stringMatching(violation)]));
  });
});

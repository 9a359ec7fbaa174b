import { CreateTaskResponseSchema, TaskDocumentSchema, toCloroTask } from '../../../src/cloro/schemas';
import { chatgptTask, sleep, startTestSimulator, until, type TestSimulator } from './helpers';

let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function createAndFinish(s: TestSimulator, body: unknown) {
  const created = CreateTaskResponseSchema.parse((await s.call('POST', '/v1/async/task', body)).body);
  await s.sim.idle();
  const res = await s.call('GET', `/v1/async/task/${created.task.id}`);
  return { id: created.task.id, status: res.status, doc: TaskDocumentSchema.parse(res.body) };
}

describe('task lifecycle', () => {
  test('a FAILED task carries an error and is charged 0 credits', async () => {
    sim = await startTestSimulator({ failureRate: 1, initialCredits: 100 });
    const { doc } = await createAndFinish(sim, chatgptTask('will fail'));
    expect(doc.credits).toEqual({ creditsToCharge: 5, creditsCharged: 0 });
    expect(doc.response).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' } });
    const task = toCloroTask(doc);
    expect(task.status === 'FAILED' && task.error.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await sim.call('GET', '/v1/credits')).body.remaining).toBe(100);
    expect(sim.sim.stats().tasks).toMatchObject({ failed: 1, completed: 0 });
  });

  test('a finished task is deleted after 24 h of cloro time: GET turns 404 and its key stays used', async () => {
    // 10^6: 24 h of cloro time is ~86 ms real.
    sim = await startTestSimulator({ timeScale: 1_000_000 });
    const { id, status } = await createAndFinish(sim, chatgptTask('short-lived', { idempotencyKey: 'retained' }));
    expect(status).toBe(200);
    await until(async () => (await sim!.call('GET', `/v1/async/task/${id}`)).status === 404, 2_000);
    const gone = await sim.call('GET', `/v1/async/task/${id}`);
    expect(gone.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(sim.sim.stats().tasks.purged).toBe(1);
    expect((await sim.call('POST', '/v1/async/task', chatgptTask('again', { idempotencyKey: 'retained' }))).status).toBe(409);
  });

  test('keeps a finished task readable until retention ends', async () => {
    sim = await startTestSimulator({ timeScale: 1_000 });
    const { id } = await createAndFinish(sim, chatgptTask('still here'));
    await sleep(50);
    expect((await sim.call('GET', `/v1/async/task/${id}`)).status).toBe(200);
  });

  test('GET by idempotency key is 404 as documented, unless lookupByIdempotencyKey is on', async () => {
    sim = await startTestSimulator();
    await sim.call('POST', '/v1/async/task', chatgptTask('by key', { idempotencyKey: 'lookup-me' }));
    expect((await sim.call('GET', '/v1/async/task/lookup-me')).status).toBe(404);
    await sim.close();

    sim = await startTestSimulator({ lookupByIdempotencyKey: true });
    const created = CreateTaskResponseSchema.parse(
      (await sim.call('POST', '/v1/async/task', chatgptTask('by key', { idempotencyKey: 'lookup-me' }))).body,
    );
    const res = await sim.call('GET', '/v1/async/task/lookup-me');
    expect(res.status).toBe(200);
    expect(res.body.task.id).toBe(created.task.id);
  });
});

describe('generated answers', () => {
  const prompt = 'Should I pick HubSpot, Salesforce or Pipedrive as a CRM for a small agency?';

  test('are the same for the same seed and prompt (so the demo figures are stable), and mention brands from the prompt', async () => {
    const answers = [];
    for (const seed of [1, 1, 2]) {
      sim = await startTestSimulator({ seed });
      answers.push((await createAndFinish(sim, chatgptTask(prompt))).doc.response);
      await sim.close();
      sim = undefined;
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[2]).not.toEqual(answers[0]);
    const text = String(answers[0]?.text);
    expect(['HubSpot', 'Salesforce', 'Pipedrive'].some((brand) => text.includes(brand))).toBe(true);
    expect(answers[0]?.model).toBe('gpt-5-mini');
  });

  test('include markdown and html only when asked for; the model follows the engine', async () => {
    sim = await startTestSimulator();
    const plain = (await createAndFinish(sim, chatgptTask(prompt))).doc.response ?? {};
    expect(plain).not.toHaveProperty('markdown');
    expect(plain).not.toHaveProperty('html');

    const rich =
      (await createAndFinish(sim, { taskType: 'PERPLEXITY', payload: { prompt, country: 'DE', include: { markdown: true, html: true } } }))
        .doc.response ?? {};
    expect(rich.model).toBe('sonar');
    expect(String(rich.markdown)).toMatch(/\*\*(HubSpot|Salesforce|Pipedrive)\*\*/);
    const page = await fetch(String(rich.html));
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  test("ChatGPT's sources are numbered from 0 (as cloro does) with url, label and description", async () => {
    sim = await startTestSimulator();
    const { sources } = (await createAndFinish(sim, chatgptTask(prompt))).doc.response as { sources: { position: number }[] };
    expect(sources.map((s) => s.position)).toEqual(sources.map((_, i) => i));
    expect(sources[0]).toEqual({
      position: 0,
      url: expect.stringMatching(/^https:\/\//),
      label: expect.any(String),
      description: expect.any(String),
    });
  });
});

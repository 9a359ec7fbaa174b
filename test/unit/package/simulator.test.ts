/**
 * `cloro-temporal/simulator` used the way a user's own test suite would: only the public
 * entry, plain fetch or the cloro client, a free port, faults switched while it runs.
 */
import { CloroClient } from '../../../src/cloro/client';
import { ANY_API_KEY, startSimulator, type CloroSimulator } from '../../../src/package/simulator';

let sim: CloroSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Fast and reproducible: a task takes 1–2 s of cloro time, a few ms of real time. */
const start = () => startSimulator({ seed: 7, timeScale: 1000, processingMs: { min: 1_000, max: 2_000 } });

const prompt = { taskType: 'CHATGPT', payload: { prompt: 'Is Acme Corp any good?', country: 'US' } };

describe('startSimulator from cloro-temporal/simulator', () => {
  it('listens on a free port; a task created with plain fetch can be read back once finished', async () => {
    sim = await start();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.url).not.toMatch(/:4010$/);
    expect([sim.apiKey, sim.seed, sim.webhookSecret]).toEqual([ANY_API_KEY, 7, undefined]);

    const headers = { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${sim.url}/v1/async/task`, { method: 'POST', headers, body: JSON.stringify(prompt) });
    expect(created.status).toBe(200);
    const { task } = (await created.json()) as { task: { id: string } };

    await sim.idle();
    const read = await fetch(`${sim.url}/v1/async/task/${task.id}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ task: { id: task.id, status: 'COMPLETED' }, response: { text: expect.any(String) } });
    expect(sim.stats().tasks.completed).toBe(1);
  });

  it('works with the cloro client and the key it was started with', async () => {
    sim = await startSimulator({ apiKey: 'sk_test_mine' });
    expect(sim.apiKey).toBe('sk_test_mine');
    const client = new CloroClient({ apiKey: sim.apiKey, baseURL: sim.url });
    await expect(client.getCredits()).resolves.toMatchObject({ remaining: expect.any(Number) });
    await expect(new CloroClient({ apiKey: 'wrong', baseURL: sim.url }).getCredits()).rejects.toMatchObject({ status: 401 });
  });

  it('turns faults on and off while it runs, and counts what happened', async () => {
    sim = await start();
    const client = new CloroClient({ apiKey: sim.apiKey, baseURL: sim.url });
    const rules = sim.addFaults({ errors: { route: 'POST /v1/async/task', status: 503, count: 1 } });
    expect(rules).toEqual([expect.objectContaining({ kind: 'errors', remaining: 1, fired: 0 })]);

    await expect(client.createTask({ ...prompt, taskType: 'CHATGPT' })).rejects.toMatchObject({ status: 503 });
    expect(sim.faults()).toEqual([]); // a count rule is used up
    await expect(client.createTask({ ...prompt, taskType: 'CHATGPT' })).resolves.toMatchObject({ task: { status: 'QUEUED' } });

    sim.addFaults({ errors: { route: 'GET /v1/credits', status: 500, rate: 1 } });
    await expect(client.getCredits()).rejects.toMatchObject({ status: 500 });
    sim.clearFaults();
    await expect(client.getCredits()).resolves.toBeDefined();

    expect(sim.stats().requests['POST /v1/async/task']?.byStatus).toEqual({ 200: 1, 503: 1 });
  });

  it('rejects an invalid fault rule naming the field', async () => {
    sim = await start();
    expect(() => sim?.addFaults({ errors: { status: 200, count: 1 } })).toThrow(/errors\.status/);
  });

  it('changes the plan concurrency while it runs, as status reports it, and refuses a bad count', async () => {
    sim = await startSimulator({ concurrency: 2 });
    const client = new CloroClient({ apiKey: sim.apiKey, baseURL: sim.url });
    sim.setConcurrency(5);
    await expect(client.getStatus()).resolves.toMatchObject({ concurrency: { max: 5 } });
    expect(() => sim?.setConcurrency(0)).toThrow(/concurrency/);
    expect(sim.stats().concurrency.max).toBe(5);
  });

  it('resets to the start state for the next test', async () => {
    sim = await start();
    const client = new CloroClient({ apiKey: sim.apiKey, baseURL: sim.url });
    await client.createTask({ ...prompt, taskType: 'CHATGPT', idempotencyKey: 'once' });
    sim.reset();
    expect(sim.stats().creates.created).toBe(0);
    await expect(client.createTask({ ...prompt, taskType: 'CHATGPT', idempotencyKey: 'once' })).resolves.toBeDefined();
  });
});

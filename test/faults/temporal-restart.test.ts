/**
 * The Temporal dev server SIGKILLed mid-batch and started again on its SQLite file and port.
 * It is this file's own server (killing the jest run's shared one would break other files).
 * The worker process stays up and reconnects by itself; the bridge answers 503 while Temporal
 * is gone, so cloro retries those webhooks, and the safety-net poll covers the rest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config';
import { resolveTemporalBinary } from '../../src/temporal/binary';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server';
import { crashServer, restartServer } from '../helpers/temporal-crash';
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
const NAMESPACE = 'default';
const DOWN_MS = 5_000;

let home: string | undefined;
let server: DevServer | undefined;
// The stack closes after the test (afterEach), before its Temporal server stops (afterAll).
const startStack = useFaultStack();
afterAll(async () => {
  await server?.stop();
  if (home) await rm(home, { recursive: true, force: true });
}, 60_000);

describe('Temporal restart', () => {
  it('completes every prompt once after the Temporal server is killed mid-batch and restarted on its database', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'cloro-faults-temporal-'));
    const cfg = loadConfig();
    const binary = await resolveTemporalBinary({ cliPath: cfg.temporal.cliPath, home: cfg.home });
    server = await startDevServer({ home, ui: false, namespace: NAMESPACE, binary });
    const address = server.address;
    const s = await startStack({ temporalAddress: address, sim: { concurrency: 10 } });
    const finishedTasks = countEvents(s.sim.sim, 'task:finished');
    await s.startWorker();
    await runScenario('Temporal server killed and restarted mid-batch', s, 200_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS);
      await until('a third of the batch to finish', () => finishedTasks() >= PROMPTS / 3);
      await crashServer(server!);
      await sleep(DOWN_MS);
      server = await restartServer(home!, address, binary, NAMESPACE);
      await s.reconnect(address);
      return finished({ ...batch, handle: s.client().workflow.getHandle(batch.workflowId) });
    });
  }, 300_000);
});

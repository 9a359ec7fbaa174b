/**
 * A test's own Temporal dev server crashed and brought back: tests that kill Temporal run
 * their own server (the jest run's shared one serves every other test file).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResolvedBinary } from '../../src/temporal/binary';
import { type DevServer, DevServerError, startDevServer } from '../../src/temporal/dev-server';
import { splitAddress } from '../../src/temporal/ports';

/** How long the restarted server may take to get its port back (TIME_WAIT, a slow exit). */
const REBIND_MS = 20_000;

/** The dev server killed outright (its process group), as a crash or an OOM kill would. */
export async function crashServer(dev: DevServer): Promise<void> {
  try {
    process.kill(-dev.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await dev.stop();
}

/** The dev server again on the same SQLite file and port; a port not yet released is retried briefly. */
export async function restartServer(dir: string, address: string, binary: ResolvedBinary, namespace: string): Promise<DevServer> {
  const { port } = splitAddress(address);
  const deadline = Date.now() + REBIND_MS;
  for (;;) {
    try {
      return await startDevServer({ home: dir, port, ui: false, namespace, binary });
    } catch (err) {
      if (!(err instanceof DevServerError) || err.portInUse === undefined || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

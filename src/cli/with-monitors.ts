import { openResultStore } from '../store';
import { MonitorStore } from '../store/monitors';
import type { MonitorSession } from '../monitors/manage';
import { type ClientSession, withClient } from './with-client';

/** A Temporal client and the results database, for the monitor commands; both closed after `fn`. */
export async function withMonitors<T>(fn: (session: MonitorSession & ClientSession) => Promise<T>): Promise<T> {
  return withClient(async (session) => {
    const opened = await openResultStore(session.cfg);
    try {
      return await fn({
        ...session,
        monitors: new MonitorStore(opened.store.db),
        results: opened.results,
        taskQueue: session.cfg.temporal.taskQueue,
      });
    } finally {
      await opened.close();
    }
  });
}

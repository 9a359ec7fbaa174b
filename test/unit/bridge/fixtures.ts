import { Writable } from 'node:stream';
import pino from 'pino';
import type { Notifier, NotifyOutcome } from '../../../src/bridge/notifier';
import type { CloroTaskFinished } from '../../../workflows/definitions';

export const BRIDGE_SECRET = 'bridge-secret-for-tests-0123456789';
export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
/** Appears only in webhook bodies: a log line containing it would be a leaked body. */
export const ANSWER_TEXT = 'the-full-answer-text-that-must-never-be-logged';

export function taskDocument(overrides: { id?: string; status?: string; idempotencyKey?: string | null } = {}) {
  return {
    success: true,
    task: {
      id: overrides.id ?? 'task_123',
      taskType: 'CHATGPT',
      status: overrides.status ?? 'COMPLETED',
      priority: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      idempotencyKey: overrides.idempotencyKey === undefined ? 'key-1' : overrides.idempotencyKey,
    },
    credits: { creditsToCharge: 5, creditsCharged: 5 },
    response: { model: 'gpt-4o', text: ANSWER_TEXT, sources: [] },
  };
}

export interface RecordingNotifier extends Notifier {
  calls: Array<{ workflowId: string; signal: CloroTaskFinished }>;
}

/** Records every notify; answers with `outcome`, or throws when given an Error. */
export function recordingNotifier(outcome: NotifyOutcome | Error = 'signalled'): RecordingNotifier {
  const calls: RecordingNotifier['calls'] = [];
  return {
    calls,
    async notify(workflowId, signal) {
      calls.push({ workflowId, signal });
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

/** A pino logger at trace level whose lines are kept in memory. */
export function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines, text: () => lines.join('') };
}

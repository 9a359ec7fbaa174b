import { printBatchSummary } from '../../../src/cli/batch-progress';
import type { BatchProgress } from '../../../workflows/definitions';

const progress: BatchProgress = {
  batchId: 'b1',
  total: 2,
  queued: 0,
  inFlight: 0,
  finished: 2,
  completed: 1,
  failed: 0,
  expired: 0,
  cancelled: 0,
  orphaned: 1,
  unstored: 0,
  skipped: 0,
  creditsCharged: 10,
  creditsEstimated: 5,
  startedAt: '2026-01-01T00:00:00Z',
  etaSeconds: 0,
  stopReason: null,
  done: true,
  window: { concurrencyMax: 5, buffer: 2, pipeline: 0, roundTripMs: null },
};

it('says how much of the batch credits is estimated for orphaned prompts', () => {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    printBatchSummary(progress, false);
  } finally {
    spy.mockRestore();
  }
  expect(lines.find((l) => l.startsWith('credits'))).toMatch(/10 \(~5 credits estimated for orphans\)$/);
});

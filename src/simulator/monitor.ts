/**
 * The synchronous endpoints (`POST /v1/monitor/<provider>`): the same work as a task,
 * answered inline after the processing time. They cost the sync surcharge on top, and
 * have their own limit: as many in flight as the plan's concurrency.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { MonitorResponseSchema } from '../cloro/schemas';
import type { RequestContext } from './admission';
import { creditsFor } from './pricing';
import { SimError } from './sim-error';
import { drawFailure, drawProcessingMs, insufficientCredits, type Org } from './state';
import { parseMonitorRequest, taskTypeOf } from './validation';

export async function runMonitor(
  org: Org,
  provider: string,
  raw: unknown,
  ctx: RequestContext,
): Promise<z.input<typeof MonitorResponseSchema>> {
  const taskType = taskTypeOf(provider);
  if (!taskType) throw SimError.notFound(`Unknown provider ${provider}`);
  const payload = parseMonitorRequest(raw, taskType);
  const { options, clock } = org;
  const s = org.state;
  const price = creditsFor(taskType, payload, options, true);
  if (price > s.ledger.available()) throw insufficientCredits(org, price);
  if (s.syncInFlight >= s.scheduler.concurrency) {
    throw new SimError(429, 'CONCURRENT_LIMIT_EXCEEDED', `At most ${s.scheduler.concurrency} synchronous requests at once`);
  }

  s.syncInFlight += 1;
  s.ledger.reserve(price);
  try {
    await new Promise<void>((resolve) => clock.after(drawProcessingMs(options, s.rng), resolve));
  } finally {
    s.syncInFlight -= 1;
  }
  const failure = drawFailure(org);
  if (failure) {
    s.ledger.release(price);
    throw new SimError(500, failure.code, failure.message);
  }
  const pageId = randomUUID();
  const result = s.answers.answer({
    taskType,
    prompt: payload.prompt ?? payload.query ?? '',
    country: payload.country,
    include: payload.include,
    htmlUrl: `${ctx.baseUrl}/_sim/results/${pageId}/page-1.html`,
  });
  if (result.html) {
    s.pages.set(pageId, result);
    clock.after(options.retentionMs, () => s.pages.delete(pageId));
  }
  s.ledger.charge(price, price);
  s.stats.charged(price);
  return { success: true, result };
}

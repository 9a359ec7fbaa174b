/**
 * Submission, as cloro checks it: a valid body, an unused idempotency key, credits left
 * after the tasks already outstanding, room in the queue. One task or a batch of up to
 * 500, where each item succeeds or fails on its own but a full queue rejects them all.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { BatchCreateRequestSchema, type BatchCreateResponseSchema, type CreateTaskRequest } from '../cloro/schemas';
import { creditsFor } from './pricing';
import { SimError } from './sim-error';
import { insufficientCredits, type Org } from './state';
import { createResponse, type CreateTaskResponseWire, type SimTask } from './task';
import { parseCreateRequest } from './validation';

export interface RequestContext {
  /** Where the client reached the simulator; html result links point back there. */
  baseUrl: string;
}

type BatchResponseWire = z.input<typeof BatchCreateResponseSchema>;
type BatchItemWire = BatchResponseWire['results'][number];

export function createTask(org: Org, raw: unknown, ctx: RequestContext): CreateTaskResponseWire {
  const request = parseOrCount(org, () => parseCreateRequest(raw, org.options.validationStatus));
  return createResponse(admit(org, request, ctx, true), org.iso);
}

export function createBatch(org: Org, raw: unknown, ctx: RequestContext): BatchResponseWire {
  const status = org.options.validationStatus;
  const list = BatchCreateRequestSchema.safeParse(raw);
  if (!list.success) throw SimError.validation(status, list.error);
  const items = list.data.map((item, index) => {
    try {
      return { index, request: parseOrCount(org, () => parseCreateRequest(item, status, `[${index}]`)) };
    } catch (err) {
      return { index, error: err };
    }
  });
  const admissible = items.filter((item) => item.request).length;
  if (org.state.scheduler.queued + admissible > org.options.queueLimit) throw queueFull(org);

  const results: BatchItemWire[] = items.map((item) => {
    try {
      if (!item.request) throw item.error;
      const created = createResponse(admit(org, item.request, ctx, false), org.iso);
      return { success: true, index: item.index, task: created.task, credits: created.credits };
    } catch (err) {
      if (!(err instanceof SimError)) throw err;
      return { success: false, index: item.index, error: { code: err.code, message: err.message, details: err.details } };
    }
  });
  const succeeded = results.filter((r) => r.success).length;
  return { success: true, summary: { total: results.length, succeeded, failed: results.length - succeeded }, results };
}

/** Counts a create that failed validation, before it reached the idempotency check. */
function parseOrCount<T>(org: Org, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    org.state.stats.createAttempt(null, 'rejected');
    throw err;
  }
}

function admit(org: Org, request: CreateTaskRequest, ctx: RequestContext, checkQueue: boolean): SimTask {
  const s = org.state;
  const key = request.idempotencyKey ?? null;
  if (key !== null && s.keys.has(key)) {
    s.stats.createAttempt(key, 'conflict');
    throw new SimError(409, 'RESOURCE_ALREADY_EXISTS', 'Task already exists', { field: 'idempotencyKey', value: key });
  }
  const price = creditsFor(request.taskType, request.payload, org.options);
  if (price > s.ledger.available()) {
    s.stats.createAttempt(key, 'rejected');
    throw insufficientCredits(org, price);
  }
  if (checkQueue && s.scheduler.queued >= org.options.queueLimit) {
    s.stats.createAttempt(key, 'rejected');
    throw queueFull(org);
  }
  const task: SimTask = {
    id: randomUUID(),
    request,
    taskType: request.taskType,
    priority: request.priority ?? 1,
    idempotencyKey: key,
    createdAt: org.clock.now(),
    creditsToCharge: price,
    baseUrl: ctx.baseUrl,
    status: 'QUEUED',
    startedAt: null,
    finishedAt: null,
    creditsCharged: null,
    result: null,
    error: null,
    webhook: request.webhook ? { url: request.webhook.url, delivered: false, deliveredAt: null } : null,
  };
  s.tasks.set(task.id, task);
  if (key !== null) s.keys.set(key, task.id);
  s.ledger.reserve(price);
  s.stats.createAttempt(key, 'created');
  s.scheduler.enqueue(task);
  org.events.emit('task:created', task);
  return task;
}

function queueFull(org: Org): SimError {
  const limit = org.options.queueLimit;
  return new SimError(429, 'QUEUE_LIMIT_EXCEEDED', `Queue limit of ${limit} tasks reached`, {
    limit,
    queued: org.state.scheduler.queued,
  });
}

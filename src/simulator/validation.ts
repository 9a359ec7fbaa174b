/**
 * Request validation beyond the wire schema: the rules cloro's API applies per engine
 * (country blocklists, US-only `state`, prompt vs query). Failures are VALIDATION_ERROR
 * with one detail per offending field.
 */
import {
  CreateTaskRequestSchema,
  MonitorRequestSchema,
  TASK_TYPES,
  type CreateTaskRequest,
  type MonitorRequest,
  type TaskPayload,
  type TaskType,
} from '../cloro/schemas';
import { promptTextField } from '../cloro/task-rules';
import { isCountrySupported } from './countries';
import { SimError, type FieldProblem } from './sim-error';

function engineProblems(taskType: TaskType, payload: TaskPayload, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${at}${field}`, message });
  if (!isCountrySupported(taskType, payload.country)) add('country', `${payload.country} is not supported for ${taskType}`);
  if (payload.state && payload.country !== 'US') add('state', 'is only supported with country US');
  const needed = promptTextField(taskType);
  const other = needed === 'query' ? 'prompt' : 'query';
  if (payload[needed] === undefined) add(needed, `is required for ${taskType}`);
  if (payload[other] !== undefined) add(other, `is not accepted for ${taskType}; use ${needed}`);
  return problems;
}

/** A create body (or one batch item, `prefix` naming it) → the request, or a VALIDATION_ERROR. */
export function parseCreateRequest(raw: unknown, status: number, prefix?: string): CreateTaskRequest {
  const parsed = CreateTaskRequestSchema.safeParse(raw);
  if (!parsed.success) throw SimError.validation(status, parsed.error, prefix);
  const problems = engineProblems(parsed.data.taskType, parsed.data.payload, prefix ? `${prefix}.payload.` : 'payload.');
  if (problems.length) throw SimError.invalid(status, problems);
  return parsed.data;
}

/** A synchronous monitor body; cloro answers these validation errors with 400. */
export function parseMonitorRequest(raw: unknown, taskType: TaskType): MonitorRequest {
  const parsed = MonitorRequestSchema.safeParse(raw);
  if (!parsed.success) throw SimError.validation(400, parsed.error);
  const problems = engineProblems(taskType, parsed.data, '');
  if (problems.length) throw SimError.invalid(400, problems);
  return parsed.data;
}

/**
 * `chatgpt`, `google-news`, `GOOGLE_NEWS` … → the task type. `aioverview` is Google's AI
 * Overview, served by the GOOGLE engine.
 */
export function taskTypeOf(name: string): TaskType | undefined {
  const normal = name.toUpperCase().replace(/[-/]/g, '_');
  if (normal === 'AIOVERVIEW') return 'GOOGLE';
  return TASK_TYPES.find((t) => t === normal);
}

/**
 * An answer the simulator gives instead of a success, carried as an exception from the
 * engine to the one error handler, which renders cloro's envelope
 * `{success:false, error:{code, message, details, timestamp}}`.
 */
import type { z } from 'zod';
import type { ErrorEnvelopeSchema } from '../cloro/schemas';

export interface FieldProblem {
  field: string;
  message: string;
}

export class SimError extends Error {
  override name = 'SimError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** VALIDATION_ERROR whose details name each offending field, and whose message lists them on one line. */
  static invalid(status: number, problems: FieldProblem[]): SimError {
    return new SimError(status, 'VALIDATION_ERROR', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }

  /** A zod failure as VALIDATION_ERROR; `prefix` places it (a batch item: "[3]"). */
  static validation(status: number, error: z.ZodError, prefix?: string): SimError {
    const field = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
    // An unknown key is reported at the key itself, so the detail names the offending field.
    const problems = error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: field([...issue.path, key]), message: 'is not a known field' }))
        : [{ field: field(issue.path), message: issue.message }],
    );
    return SimError.invalid(status, problems);
  }

  static notFound(message = 'Resource not found'): SimError {
    return new SimError(404, 'RESOURCE_NOT_FOUND', message);
  }
}

export function errorEnvelope(code: string, message: string, details: unknown, nowMs: number): z.input<typeof ErrorEnvelopeSchema> {
  return {
    success: false,
    error: { code, message, ...(details === undefined ? {} : { details }), timestamp: new Date(nowMs).toISOString() },
  };
}

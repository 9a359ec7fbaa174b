import { z } from 'zod';
import { formatZodError } from '../config';
import { UsageError } from './handle-error';

/** Parses commander's raw options with a zod schema; a failure is a one-line usage error naming the flag. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatFlagError(parsed.error));
  return parsed.data;
}

/**
 * A zod error as one line naming the flags a person typed instead of the fields: `timeScale`
 * → `--time-scale`. `optionFor` names the option of a field called otherwise in the schema
 * (the request's `taskType` is `--type`); an issue without a path gets its first word named so.
 */
export function formatFlagError(error: z.ZodError, optionFor: Record<string, string> = {}): string {
  const flag = (field: string) => `--${(optionFor[field] ?? field).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const issues = error.issues.map((issue) =>
    issue.path.length > 0
      ? { ...issue, path: [flag(String(issue.path[0])), ...issue.path.slice(1)] }
      : { ...issue, message: issue.message.replace(/^[a-zA-Z]+/, flag) },
  );
  return formatZodError(new z.ZodError(issues));
}

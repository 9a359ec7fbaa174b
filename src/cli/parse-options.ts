import type { z } from 'zod';
import { formatZodError } from '../config';
import { UsageError } from './handle-error';

/** Parses commander's raw options with a zod schema; a failure is a one-line usage error naming the flag. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(
      formatZodError(parsed.error)
        .split('; ')
        .map((part) => `--${part.replace(/^([a-zA-Z]+)/, (m) => m.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))}`)
        .join('; '),
    );
  }
  return parsed.data;
}

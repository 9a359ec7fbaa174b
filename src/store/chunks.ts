/**
 * Multi-row inserts in slices: one statement per slice keeps each under Postgres's 65,535
 * bind parameters and keeps a 100,000-item write from building one giant query.
 */
export const INSERT_CHUNK = 1000;

export function* chunks<T>(rows: readonly T[], size = INSERT_CHUNK): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * `cloro-temporal temporal-setup`: what a fresh self-hosted Temporal needs before a worker
 * can run our workflows — the namespace, and the project's search attributes (the list in
 * workflows/definitions/search-attributes.ts, so it is never written out twice). Idempotent;
 * exits non-zero when anything is missing afterwards, so the compose job that runs it fails
 * loudly and nothing that depends on it starts.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config';
import { connectClient, describeTemporalTarget } from '../../temporal/connection';
import { ensureNamespace, retryWhileNamespaceUnknown } from '../../temporal/namespace';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { parseOptions } from '../parse-options';

const TemporalSetupOptionsSchema = z.object({
  retentionDays: z.coerce.number().int().min(1),
  createNamespace: z.boolean(),
});

/** How long a just-created namespace may take to become usable on the frontend. */
const NEW_NAMESPACE_DEADLINE_MS = 60_000;

export function temporalSetupCommand(): Command {
  return new Command('temporal-setup')
    .description('create the namespace when missing and register the search attributes (idempotent; fails when it cannot)')
    .option('--retention-days <n>', 'retention of closed workflows in a namespace this creates', '7')
    .option('--no-create-namespace', 'only register search attributes (Temporal Cloud: the namespace is made in the Cloud UI)')
    .action(async (raw: unknown) => {
      const opts = parseOptions(TemporalSetupOptionsSchema, raw);
      const cfg = loadConfig();
      const namespace = cfg.temporal.namespace;
      const client = await connectClient(cfg);
      try {
        if (opts.createNamespace) {
          const outcome = await ensureNamespace(client.connection, namespace, opts.retentionDays);
          console.log(`namespace ${namespace}: ${outcome === 'created' ? `created (retention ${opts.retentionDays} days)` : 'exists'}`);
        }
        const result = await retryWhileNamespaceUnknown(
          () => ensureSearchAttributes(client.connection, namespace),
          NEW_NAMESPACE_DEADLINE_MS,
        );
        console.log(
          `search attributes on ${describeTemporalTarget(cfg)}: added [${result.added.join(', ')}], present [${result.alreadyPresent.join(', ')}]`,
        );
      } finally {
        await client.connection.close();
      }
    });
}

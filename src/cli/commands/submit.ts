import { Command, Option } from 'commander';
import { z, ZodError } from 'zod';
import { TASK_TYPES } from '../../cloro/schemas';
import { DELIVERIES } from '../../../workflows/definitions';
import { toWorkflowInput } from '../../prompts/request';
import { startPrompt } from '../../prompts/start';
import { webUiLink } from '../../temporal/links';
import { waitForResult } from '../../temporal/result';
import { UsageError } from '../handle-error';
import { formatFlagError, parseOptions } from '../parse-options';
import { DEFAULT_UI_URL, withClient } from '../with-client';
import { printSummary } from '../print';

const SubmitOptionsSchema = z.object({
  type: z.enum(TASK_TYPES),
  prompt: z.string(),
  country: z.string().optional(),
  priority: z.coerce.number().optional(),
  key: z.string().optional(),
  delivery: z.enum(DELIVERIES),
  wait: z.boolean().default(false),
  json: z.boolean().default(false),
  uiUrl: z.string().optional(),
});

export function submitCommand(): Command {
  return new Command('submit')
    .description('start one prompt workflow (the same prompt in the same day returns the existing one)')
    .addOption(new Option('--type <taskType>', 'cloro engine').choices(TASK_TYPES).makeOptionMandatory())
    .requiredOption('--prompt <text>', 'the prompt (the query for GOOGLE / GOOGLE_NEWS)')
    .option('--country <code>', 'ISO 3166-1 alpha-2 country', 'US')
    .option('--priority <1-10>', 'cloro priority, higher runs first', '1')
    .option('--key <idempotencyKey>', 'your idempotency key (default: derived from the prompt and today)')
    .addOption(new Option('--delivery <mode>', 'how the result is awaited').choices(DELIVERIES).default('auto'))
    .option('--wait', 'wait for the result and print its summary')
    .option('--json', 'print JSON instead of text')
    .option('--ui-url <url>', `Temporal Web UI base for the printed link (default: the running dev stack's, else ${DEFAULT_UI_URL})`)
    .action(async (raw: unknown) => {
      const opts = parseOptions(SubmitOptionsSchema, raw);
      const input = withFlagNames(() =>
        toWorkflowInput(
          {
            taskType: opts.type,
            prompt: opts.prompt,
            ...(opts.country ? { country: opts.country } : {}),
            ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
            ...(opts.key ? { idempotencyKey: opts.key } : {}),
            delivery: opts.delivery,
          },
          { scope: 'submit', runAt: new Date().toISOString().slice(0, 10) },
        ),
      );
      await withClient(async ({ client, cfg, uiUrl }) => {
        const started = await startPrompt(client, input, cfg.temporal.taskQueue);
        const link = webUiLink(opts.uiUrl ?? uiUrl, cfg.temporal.namespace, started.workflowId);
        if (!opts.wait) {
          if (opts.json) console.log(JSON.stringify({ workflowId: started.workflowId, existing: started.existing, link }));
          else console.log(`${started.existing ? 'existing' : 'started'} ${started.workflowId}\n${link}`);
          return;
        }
        if (!opts.json) console.error(`${started.existing ? 'existing' : 'started'} ${started.workflowId} — waiting… (${link})`);
        printSummary(await waitForResult(started.handle), opts.json);
      });
    });
}

/** Request fields whose flag is named otherwise; the rest are their own flag (`country` → `--country`). */
const OPTION_FOR_FIELD: Record<string, string> = { taskType: 'type', idempotencyKey: 'key' };

/** The request schema names fields as cloro does; a person typed flags, so name those. */
function withFlagNames<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    throw new UsageError(formatFlagError(err, OPTION_FOR_FIELD));
  }
}

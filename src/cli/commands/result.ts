import { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../config';
import { type PromptRecord, withResultStore } from '../../store';
import { PROMPT_WORKFLOW_ID_PREFIX, promptWorkflowId, type PromptSummary } from '../../../workflows/definitions';
import { UsageError } from '../handle-error';
import { printRecord, printSummary } from '../print';
import { TemporalUnavailableError } from '../../temporal/connection';
import { waitForResult } from '../../temporal/result';
import { withClient } from '../with-client';

/** Shorter than the SDK's 10 s: with Temporal gone, the stored answer is still to be shown. */
const RESULT_CONNECT = { connectTimeoutMs: 5_000 };

export function resultCommand(): Command {
  return new Command('result')
    .description("a prompt's summary and stored answer")
    .argument('<idOrKey>', 'workflow id (cloro-prompt-…) or idempotency key')
    .option('--json', 'print JSON instead of text')
    .action(async (idOrKey: string, opts: { json?: boolean }) => {
      const workflowId = idOrKey.startsWith(PROMPT_WORKFLOW_ID_PREFIX) ? idOrKey : promptWorkflowId(idOrKey);
      try {
        await withClient(async ({ client, cfg }) => {
          const handle = client.workflow.getHandle(workflowId);
          const description = await handle.describe().catch((err: unknown) => {
            if (err instanceof WorkflowNotFoundError)
              throw new UsageError(`no prompt workflow ${workflowId}`, 'pass a workflow id or key that `submit` printed');
            throw err;
          });
          if (description.status.name === 'RUNNING') {
            console.log(`${workflowId} is still running (${description.status.name}); try again later or use \`submit --wait\``);
            return;
          }
          const summary = (await waitForResult(handle)) as PromptSummary;
          const ref = summary.resultRef;
          const record = ref ? await withResultStore(cfg, (results) => results.get(ref)) : undefined;
          print(summary, record, opts.json);
        }, RESULT_CONNECT);
      } catch (err) {
        // The answer does not need Temporal (a stopped dev stack took its server along):
        // the stored record alone, said so, beats no answer at all.
        if (!(err instanceof TemporalUnavailableError)) throw err;
        const record = await withResultStore(loadConfig(), (results) => results.get(workflowId));
        if (!record) throw err;
        console.error(`note: ${err.message}\nnote: showing the stored record only (no workflow summary)`);
        print(null, record, opts.json);
      }
    });
}

function print(summary: PromptSummary | null, record: PromptRecord | undefined, json = false): void {
  if (json) {
    console.log(JSON.stringify({ summary, record: record ?? null }));
    return;
  }
  if (summary) printSummary(summary, false);
  else if (record) printRecord(record);
  if (record?.result?.text) console.log(`\n${record.result.text}`);
  for (const source of record?.result?.sources ?? []) console.log(`  [${source.position ?? '-'}] ${source.label ?? ''} ${source.url}`);
}

import { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { openResultStore } from '../../store';
import { PROMPT_WORKFLOW_ID_PREFIX, promptWorkflowId, type PromptSummary } from '../../../workflows/definitions';
import { UsageError } from '../handle-error';
import { printSummary } from '../print';
import { waitForResult } from '../../temporal/result';
import { withClient } from '../with-client';

export function resultCommand(): Command {
  return new Command('result')
    .description("a prompt's summary and stored answer")
    .argument('<idOrKey>', 'workflow id (cloro-prompt-…) or idempotency key')
    .option('--json', 'print JSON instead of text')
    .action(async (idOrKey: string, opts: { json?: boolean }) => {
      const workflowId = idOrKey.startsWith(PROMPT_WORKFLOW_ID_PREFIX) ? idOrKey : promptWorkflowId(idOrKey);
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
        const record = summary.resultRef ? await readRecord(cfg, summary.resultRef) : undefined;
        if (opts.json) {
          console.log(JSON.stringify({ summary, record: record ?? null }));
          return;
        }
        printSummary(summary, false);
        if (record?.result?.text) console.log(`\n${record.result.text}`);
        for (const source of record?.result?.sources ?? [])
          console.log(`  [${source.position ?? '-'}] ${source.label ?? ''} ${source.url}`);
      });
    });
}

async function readRecord(cfg: Parameters<typeof openResultStore>[0], ref: string) {
  const opened = await openResultStore(cfg);
  try {
    return await opened.results.get(ref);
  } finally {
    await opened.close();
  }
}

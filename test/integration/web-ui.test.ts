/**
 * What a person sees of our prompts in the Temporal Web UI of the shared dev server (UI
 * 2.54.x, bundled in the temporal CLI), read by headless Chromium: the list page with our
 * search attributes as columns, a visibility query in the URL, and the detail page's user
 * metadata (summary, current details) and search attributes. Screenshots of every page go
 * to SCREENSHOT_DIR (see test/helpers/browser.ts).
 *
 * The list page of this UI has no summary column (visibility does not carry user metadata),
 * so there a prompt is recognised by its workflow id (`cloro-prompt-chatgpt-us-…`) and the
 * Cloro* columns; the summary shows on the detail page's "User Metadata" tab.
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH): skipped with a message locally when absent,
 * a failure under CI, which must install it (.ci/run does as root).
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { promptSummaryLine } from '../../src/prompts/start-options';
import { startPrompt } from '../../src/prompts/start';
import { CloroTaskIdKey } from '../../workflows/definitions';
import { CHROMIUM_PATH, chromiumAvailable, type HeadlessBrowser, launchBrowser, SCREENSHOT_DIR, waitForText } from '../helpers/browser';
import { type Harness, promptInput, runPrompt, startHarness } from '../helpers/prompt-harness';
import { testTemporalState } from '../helpers/temporal';

const { uiUrl, namespace } = testTemporalState();
const skipReason = !uiUrl
  ? 'the Temporal server of this run has no Web UI (set TEMPORAL_UI_URL with TEMPORAL_ADDRESS)'
  : !chromiumAvailable() && !process.env.CI
    ? `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH); CI fails instead of skipping`
    : undefined;
if (skipReason) console.warn(`web-ui.test.ts skipped: ${skipReason}`);
const describeUi = skipReason ? describe.skip : describe;

const METADATA_QUERY = '__temporal_workflow_metadata';
/** The User Metadata tab renders summary and current details as markdown in these iframes. */
const SUMMARY_FRAME = 'iframe#user-metadata-summary';
const CURRENT_DETAILS_FRAME = 'iframe#user-metadata-current-details';

interface Prompts {
  taskQueue: string;
  chatgpt: Awaited<ReturnType<typeof runPrompt>>;
  perplexity: Awaited<ReturnType<typeof runPrompt>>;
  chatgptInput: ReturnType<typeof promptInput>;
  /** A poll-mode prompt whose first read is minutes away: RUNNING while the tests look at it. */
  waiting: WorkflowHandle;
}

describeUi('Temporal Web UI', () => {
  let h: Harness;
  let browser: HeadlessBrowser | undefined;
  let prompts: Prompts;
  let release: () => void = () => undefined;
  let session: Promise<unknown> = Promise.resolve();

  beforeAll(async () => {
    if (!chromiumAvailable()) {
      throw new Error(
        `CI=${process.env.CI}: no Chromium at ${CHROMIUM_PATH}; install Debian's chromium (.ci/run does as root) or set CHROMIUM_PATH`,
      );
    }
    h = await startHarness();
    // One worker for the whole file: the UI reads current details through a query, which a
    // closed workflow answers only while a worker of its task queue can replay it.
    prompts = await new Promise<Prompts>((resolve, reject) => {
      session = h
        .withWorker(async (taskQueue) => {
          const chatgptInput = promptInput({ delivery: 'webhook' }, { timing: { safetyPollMs: 120_000 } });
          const chatgpt = await runPrompt(h, taskQueue, chatgptInput);
          const perplexity = await runPrompt(
            h,
            taskQueue,
            promptInput(
              { taskType: 'PERPLEXITY', country: 'DE', prompt: 'Welches CRM passt zu einem kleinen Unternehmen?', delivery: 'poll' },
              { timing: { pollInitialMs: 500 } },
            ),
          );
          const { handle: waiting } = await startPrompt(
            h.client,
            promptInput(
              { country: 'GB', prompt: 'Which help desk tool do small support teams prefer?', delivery: 'poll' },
              { timing: { pollInitialMs: 600_000 } },
            ),
            taskQueue,
          );
          resolve({ taskQueue, chatgpt, perplexity, chatgptInput, waiting });
          await new Promise<void>((r) => (release = r));
        })
        .catch(reject);
    });
    expect([prompts.chatgpt.summary.status, prompts.perplexity.summary.status]).toEqual(['COMPLETED', 'COMPLETED']);
    await waitForCurrentDetails(prompts.waiting);
    await waitForVisibility(`TaskQueue = "${prompts.taskQueue}" AND CloroStatus = "COMPLETED"`, 2);
    await waitForVisibility(`TaskQueue = "${prompts.taskQueue}" AND CloroTaskId IS NOT NULL`, 3);
    browser = await launchBrowser();
    // The list's columns live in the browser's local storage; a person adds these with
    // "Configure Columns". Set before any page script runs.
    const columns = ['Status', 'Workflow ID', 'CloroTaskType', 'CloroCountry', 'CloroStatus', 'CloroTaskId', 'Start'];
    await browser.presetLocalStorage({
      'namespace-workflow-table-columns': JSON.stringify({ [namespace]: columns.map((label, i) => ({ label, pinned: i < 2 })) }),
    });
  }, 60_000);

  afterAll(async () => {
    if (browser) console.info(`web-ui.test.ts: screenshots in ${SCREENSHOT_DIR}`);
    await browser?.close();
    await prompts?.waiting.terminate('web-ui test finished').catch(() => undefined);
    release();
    await session;
    await h?.close();
  });

  const listUrl = (query: string) => `${uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`;
  const detailUrl = (workflowId: string) => `${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;

  it('lists each prompt by workflow id with its CloroTaskType, CloroCountry, CloroStatus and CloroTaskId columns', async () => {
    const { page } = browser!;
    const { chatgpt, perplexity, waiting } = prompts;
    await page.goto(listUrl(`TaskQueue = "${prompts.taskQueue}"`));
    const rows = await waitForRows(3);
    await browser!.screenshot('list');

    const byId = (id: string) => rows.find((r) => r['Workflow ID'] === id);
    const cloro = ['Status', 'CloroTaskType', 'CloroCountry', 'CloroStatus', 'CloroTaskId'];
    expect(pick(byId(chatgpt.workflowId), cloro)).toEqual(['COMPLETED', 'CHATGPT', 'US', 'COMPLETED', chatgpt.summary.taskId]);
    expect(pick(byId(perplexity.workflowId), cloro)).toEqual(['COMPLETED', 'PERPLEXITY', 'DE', 'COMPLETED', perplexity.summary.taskId]);
    const taskId = (await waiting.describe()).typedSearchAttributes.get(CloroTaskIdKey);
    expect(pick(byId(waiting.workflowId), cloro)).toEqual(['RUNNING', 'CHATGPT', 'GB', 'QUEUED', taskId]);
  });

  it('shows only the matching workflow for a CloroTaskType and CloroStatus query passed in the URL', async () => {
    const { page } = browser!;
    const { perplexity } = prompts;
    await page.goto(listUrl(`TaskQueue = "${prompts.taskQueue}" AND CloroTaskType = "PERPLEXITY" AND CloroStatus = "COMPLETED"`));
    const rows = await waitForRows(1);
    // the UI shows the query as filter chips: it applied the query rather than ignoring it
    await waitForText(page, ['CloroTaskType = "PERPLEXITY"', 'CloroStatus = "COMPLETED"']);
    await browser!.screenshot('query');

    expect(rows.map((r) => r['Workflow ID'])).toEqual([perplexity.workflowId]);
  });

  it("shows a finished prompt's summary, final current details and Cloro search attributes on its detail page", async () => {
    const { page } = browser!;
    const { chatgpt, chatgptInput } = prompts;
    const summary = promptSummaryLine(chatgptInput);
    expect(summary).toMatch(/^CHATGPT · US · Which CRM/);
    const details = plain((await chatgpt.handle.query<temporal.api.sdk.v1.IWorkflowMetadata>(METADATA_QUERY)).currentDetails ?? '');
    expect(details).toContain('COMPLETED');

    await page.goto(detailUrl(chatgpt.workflowId));
    await page.getByRole('tab', { name: 'User Metadata' }).click();
    await waitForText(page, [summary], { within: SUMMARY_FRAME });
    await waitForText(page, [details], { within: CURRENT_DETAILS_FRAME });
    await browser!.screenshot('detail-user-metadata');

    await page.getByRole('tab', { name: 'Search Attributes' }).click();
    await waitForText(page, [
      new RegExp(`"CloroTaskId":\\s*"${chatgpt.summary.taskId}"`),
      /"CloroStatus":\s*"COMPLETED"/,
      /"CloroTaskType":\s*"CHATGPT"/,
      /"CloroCountry":\s*"US"/,
    ]);
    await browser!.screenshot('detail-search-attributes');
  });

  it("shows a running prompt's current details, as the workflow reports them, on its detail page", async () => {
    const { page } = browser!;
    const { waiting } = prompts;
    const details = plain(await waitForCurrentDetails(waiting));

    await page.goto(detailUrl(waiting.workflowId));
    await page.getByRole('tab', { name: 'User Metadata' }).click();
    await waitForText(page, ['RUNNING']);
    await waitForText(page, ['CHATGPT · GB · Which help desk tool'], { within: SUMMARY_FRAME });
    await waitForText(page, [details], { within: CURRENT_DETAILS_FRAME });
    await browser!.screenshot('running-user-metadata');
  });

  /**
   * The list table's prompt rows, each cell under its column's header, once exactly `count`
   * are shown (the table may render before the query's answer arrives).
   */
  async function waitForRows(count: number): Promise<Array<Record<string, string>>> {
    const { page } = browser!;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const headers = await page.locator('thead th').allInnerTexts();
      const rows = await page
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => (td as { innerText?: string }).innerText ?? '')));
      const prompts = rows
        .map((cells) => Object.fromEntries(headers.map((h, i) => [h.trim(), (cells[i] ?? '').trim()])))
        .filter((r) => r['Workflow ID']?.startsWith('cloro-prompt-'));
      if (prompts.length === count) return prompts;
      if (Date.now() > deadline)
        throw new Error(`the list shows ${prompts.length} prompt rows, expected ${count}: ${JSON.stringify(prompts)}`);
      await page.waitForTimeout(200);
    }
  }

  /** The list's search is eventually consistent: wait until it sees what the tests expect. */
  async function waitForVisibility(query: string, count: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { count: seen } = await h.client.workflow.count(query);
      if (seen === count) return;
      if (Date.now() > deadline) throw new Error(`visibility shows ${seen} workflows for ${query}, expected ${count}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The current details a workflow reports (what the UI asks for) once it waits on its first timer. */
  async function waitForCurrentDetails(handle: WorkflowHandle): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const events = (await handle.fetchHistory()).events ?? [];
      if (events.some((e) => e.timerStartedEventAttributes)) {
        const { currentDetails } = await handle.query<temporal.api.sdk.v1.IWorkflowMetadata>(METADATA_QUERY);
        if (currentDetails) return currentDetails;
      }
      if (Date.now() > deadline) throw new Error(`${handle.workflowId} did not start waiting with current details set`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

if (skipReason) {
  it.skip(`Temporal Web UI (${skipReason})`, () => undefined);
}

function pick(row: Record<string, string> | undefined, columns: string[]): Array<string | undefined> {
  return columns.map((c) => row?.[c]);
}

/** Markdown as the UI renders it to text: emphasis and code marks gone, spaces collapsed. */
function plain(markdown: string): string {
  return markdown
    .replace(/\*\*|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

import { type Harness, promptInput, runPrompt, startHarness } from '../helpers/prompt-harness';

/**
 * `include.html`: cloro's html link expires 24 h after the task finished, so the fetch that
 * finds the answer stores the page behind it too, capped, with its size recorded.
 */
describe('html pages of an answer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('downloads and stores the page behind the html link with the answer', async () => {
    const { workflowId, summary } = await h.withWorker((tq) => runPrompt(h, tq, promptInput({ include: { html: true } })));
    expect(summary.status).toBe('COMPLETED');
    const record = await h.store.get(summary.resultRef!);
    const [page, ...rest] = await h.store.answerPages(workflowId);
    expect(rest).toEqual([]);
    expect(page).toMatchObject({ position: 0, url: record?.result?.html, status: 'stored', error: null });
    expect(page!.bytes).toBeGreaterThan(100);
    expect(page!.content).toContain('<html');
  });

  it('keeps a page past the cap truncated and says so', async () => {
    const { workflowId, summary } = await h.withWorker(
      (tq) => runPrompt(h, tq, promptInput({ include: { html: true } })),
      h.deps({ pages: { maxBytes: 64 } }),
    );
    expect(summary.status).toBe('COMPLETED');
    expect(await h.store.answerPages(workflowId)).toEqual([expect.objectContaining({ status: 'truncated', bytes: 64 })]);
  });
});

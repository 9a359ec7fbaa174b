/** The cloro client's wire contract: timeouts, aborts and refused connections. */
import { CloroConnectionError, CloroError } from '../../../src/cloro/errors';
import { caught, closedPortURL, useCannedCloro } from './canned-cloro';
import { CHATGPT_REQUEST, TASK } from './documents';

const cloro = useCannedCloro();

describe('CloroClient transport', () => {
  it('gives up with a CloroConnectionError saying timeout when the server never answers', async () => {
    cloro.reply = { hang: 'before-headers' };
    const started = Date.now();
    const err = await caught(cloro.client({ timeout: 150 }).getStatus());
    expect(err).toBeInstanceOf(CloroConnectionError);
    expect((err as Error).message).toContain('timeout after 150 ms');
    expect(err).toMatchObject({ retryable: true, status: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('lets a per-call timeout override the client default', async () => {
    cloro.reply = { hang: 'before-headers' };
    const err = await caught(cloro.client({ timeout: 60_000 }).getStatus({ timeout: 100 }));
    expect((err as Error).message).toContain('timeout after 100 ms');
  });

  it('times out a server that stalls halfway through the body', async () => {
    cloro.reply = { hang: 'mid-body' };
    const err = await caught(cloro.client({ timeout: 150 }).getTask(TASK.id));
    expect(err).toBeInstanceOf(CloroConnectionError);
    expect((err as Error).message).toContain('timeout');
  });

  it("rethrows the caller's abort reason untouched instead of a retryable error", async () => {
    cloro.reply = { hang: 'before-headers' };
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    const err = await caught(cloro.client().getStatus({ signal: controller.signal }));
    expect(err).toBe(reason);
    expect(err).not.toBeInstanceOf(CloroError);
  });

  it('rethrows a plain abort as an AbortError', async () => {
    cloro.reply = { hang: 'mid-body' };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await caught(cloro.client().getTask(TASK.id, { signal: controller.signal }));
    expect((err as Error).name).toBe('AbortError');
    expect(err).not.toBeInstanceOf(CloroError);
  });

  it('sends nothing when the caller has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await caught(cloro.client().createTask(CHATGPT_REQUEST, { signal: controller.signal }));
    expect((err as Error).name).toBe('AbortError');
    expect(cloro.seen).toHaveLength(0);
  });

  it('reports a refused connection as a retryable CloroConnectionError', async () => {
    const err = await caught(cloro.client({ baseURL: await closedPortURL() }).getStatus());
    expect(err).toBeInstanceOf(CloroConnectionError);
    expect((err as Error).message).toContain('connection failure');
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toContain('timeout');
    expect(err).toMatchObject({ retryable: true, code: 'CONNECTION_ERROR' });
  });
});

/**
 * The HTML behind cloro's `html` links. cloro keeps them for 24 h only, so the fetch that
 * finds a task COMPLETED downloads them at once. Each page is capped (a page past the cap is
 * kept truncated and says so) and a failed download is recorded, never thrown: the answer
 * itself is already stored and paid for. No API key is sent: the links are cloro's to serve
 * and may point at storage that must not see it.
 */
export interface AnswerPage {
  /** Index in the result's `html` list (Google gives one link per results page). */
  position: number;
  url: string;
  status: 'stored' | 'truncated' | 'failed';
  /** Bytes kept (at most the cap). */
  bytes: number;
  content: string | null;
  error: string | null;
}

export interface PageDownloadOptions {
  fetch?: typeof fetch;
  /** Bytes kept per page; the rest is dropped and the page marked truncated. */
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export const DEFAULT_PAGE_MAX_BYTES = 5 * 1024 * 1024;

/** The result's `html` field as a list of links (a string, a list, or nothing). */
export function htmlLinks(html: string | string[] | undefined): string[] {
  if (html === undefined) return [];
  return (Array.isArray(html) ? html : [html]).filter((link) => /^https?:\/\//i.test(link));
}

export async function downloadPages(urls: readonly string[], options: PageDownloadOptions): Promise<AnswerPage[]> {
  return Promise.all(urls.map((url, position) => downloadPage(url, position, options)));
}

async function downloadPage(url: string, position: number, options: PageDownloadOptions): Promise<AnswerPage> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.any(signals), redirect: 'follow' });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return failed(url, position, `HTTP ${response.status}`);
    }
    const { bytes, truncated } = await readCapped(response.body, options.maxBytes);
    return {
      position,
      url,
      status: truncated ? 'truncated' : 'stored',
      bytes: bytes.length,
      content: new TextDecoder('utf-8', { fatal: false }).decode(bytes),
      error: null,
    };
  } catch (err) {
    return failed(url, position, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}

/** Reads at most `max` bytes, then stops the download. */
async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, size), truncated: false };
    const room = max - size;
    if (value.length > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel();
      return { bytes: concat(chunks, max), truncated: true };
    }
    chunks.push(value);
    size += value.length;
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function failed(url: string, position: number, error: string): AnswerPage {
  return { position, url, status: 'failed', bytes: 0, content: null, error: error.slice(0, 500) };
}

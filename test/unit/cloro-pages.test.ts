import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { downloadPages, htmlLinks } from '../../src/cloro/pages';

/** A real HTTP server on loopback: pages of known sizes, an error page, and one that never answers. */
describe('downloading the HTML behind html links', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/small') return res.end('<p>small page</p>');
      if (req.url === '/big') return res.end('x'.repeat(200_000));
      if (req.url === '/gone') {
        res.statusCode = 404;
        return res.end('expired');
      }
      // /slow: never answers; the timeout must end it.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps a page whole, truncates one past the cap and records a failure instead of throwing', async () => {
    const pages = await downloadPages([`${base}/small`, `${base}/big`, `${base}/gone`, `${base}/slow`], {
      maxBytes: 1_000,
      timeoutMs: 1_000,
    });
    expect(pages.map(({ position, status, bytes }) => ({ position, status, bytes }))).toEqual([
      { position: 0, status: 'stored', bytes: 17 },
      { position: 1, status: 'truncated', bytes: 1_000 },
      { position: 2, status: 'failed', bytes: 0 },
      { position: 3, status: 'failed', bytes: 0 },
    ]);
    expect(pages[0]?.content).toBe('<p>small page</p>');
    expect(pages[2]?.error).toBe('HTTP 404');
    expect(pages[3]?.error).toMatch(/Timeout|abort/i);
  });

  it('reads one link, a list of links, or none, and ignores anything that is not http(s)', () => {
    expect(htmlLinks(undefined)).toEqual([]);
    expect(htmlLinks('https://cloro.example/p1.html')).toEqual(['https://cloro.example/p1.html']);
    expect(htmlLinks(['https://a.example/1', 'javascript:alert(1)', 'file:///etc/passwd'])).toEqual(['https://a.example/1']);
  });
});

/**
 * Headless Chromium for Web UI tests: Debian's `chromium` (or CHROMIUM_PATH) driven by
 * playwright-core, a fresh profile per launch, and a loopback-only fence — every request to
 * another host is aborted before it leaves (the Temporal Web UI polls a news feed on the
 * internet), and the resolver maps every other name to NOTFOUND as a second wall.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Overwritten by every run, so a person can look at what the last run saw. */
export const SCREENSHOT_DIR = process.env.WEB_UI_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'cloro-temporal-web-ui');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface HeadlessBrowser {
  page: Page;
  context: BrowserContext;
  /** Requests the fence aborted (URLs), for diagnosis. */
  blocked: string[];
  /** Full-page screenshot to SCREENSHOT_DIR/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;
  /** Local-storage entries every page of this browser finds set before its own scripts run. */
  presetLocalStorage(entries: Record<string, string>): Promise<void>;
  /** Closes the browser and removes its profile. Idempotent. */
  close(): Promise<void>;
}

export async function launchBrowser(options: { timeoutMs?: number } = {}): Promise<HeadlessBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'cloro-chromium-'));
  await rm(SCREENSHOT_DIR, { recursive: true, force: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1600, height: 1000 },
      timeout: 30_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  context.setDefaultTimeout(options.timeoutMs ?? 15_000);
  const page = context.pages()[0] ?? (await context.newPage());

  let closing: Promise<void> | undefined;
  return {
    page,
    context,
    blocked,
    async screenshot(name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async presetLocalStorage(entries) {
      const sets = Object.entries(entries).map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
      await context.addInitScript({ content: sets.join('\n') });
    },
    close() {
      closing ??= context
        .close()
        .catch(() => undefined)
        .then(() => rm(profile, { recursive: true, force: true }));
      return closing;
    },
  };
}

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return LOOPBACK_HOSTS.has(hostname);
}

/**
 * What a person reads on the page: the text of the page and of every frame in it (the Web UI
 * renders markdown — summaries, current details — inside same-origin iframes).
 */
export async function visibleText(page: Page): Promise<string> {
  const texts = await Promise.all(
    page.frames().map((f) =>
      f
        .locator('body')
        .innerText()
        .catch(() => ''),
    ),
  );
  return texts.join('\n');
}

/**
 * Waits until the page's visible text contains every needle; `within` narrows it to one
 * iframe (a CSS selector), so a word elsewhere on the page cannot pass for it. The error
 * names the needles missing and the text seen.
 */
export async function waitForText(
  page: Page,
  needles: Array<string | RegExp>,
  options: { within?: string; timeoutMs?: number } = {},
): Promise<string> {
  const { within } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const read = () =>
    within
      ? page
          .frameLocator(within)
          .locator('body')
          .innerText({ timeout: 1_000 })
          .catch(() => '')
      : visibleText(page);
  let text = '';
  for (;;) {
    text = await read();
    const missing = needles.filter((n) => (typeof n === 'string' ? !text.includes(n) : !n.test(text)));
    if (missing.length === 0) return text;
    if (Date.now() > deadline) {
      const where = within ? `${page.url()} (${within})` : page.url();
      throw new Error(`${where} never showed ${missing.map(String).join(', ')}; it showed:\n${text.slice(0, 3000)}`);
    }
    await page.waitForTimeout(200);
  }
}

/**
 * Opens the HTML report in headless Chromium, as a person would open the file, and checks the
 * charts are drawn: three labelled SVGs with a real size, the title and tables as text, and
 * no request for anything outside the file. A screenshot goes to REPORT_SCREENSHOT_DIR.
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH), no Temporal: skipped with a message locally
 * when absent, a failure under CI, which must install it (.ci/run does as root).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderReport, writeHtmlReport } from '../../../src/reports';
import { hubspotReport } from '../../fixtures/metrics/hubspot';
import { CHROMIUM_PATH, chromiumAvailable, type HeadlessBrowser, launchBrowser, visibleText } from '../../helpers/browser';

/** Overwritten by every run, outside the repository, so a person can look at what the last run saw. */
const REPORT_SCREENSHOT_DIR = process.env.REPORT_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'cloro-temporal-report');

const skipReason =
  !chromiumAvailable() && !process.env.CI
    ? `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH); CI fails instead of skipping`
    : undefined;
if (skipReason) console.warn(`report-browser.test.ts skipped: ${skipReason}`);
const describeBrowser = skipReason ? describe.skip : describe;

describeBrowser('HTML report in a browser', () => {
  let dir: string;
  let browser: HeadlessBrowser | undefined;

  beforeAll(async () => {
    if (!chromiumAvailable()) {
      throw new Error(
        `CI=${process.env.CI}: no Chromium at ${CHROMIUM_PATH}; install Debian's chromium (.ci/run does as root) or set CHROMIUM_PATH`,
      );
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'cloro-report-html-'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows three sized charts, the title and the tables, fetching nothing', async () => {
    const input = hubspotReport();
    const file = await writeHtmlReport(dir, input.monitor.id, input.runs.at(-1)!.runId, await renderReport(input, 'html'));
    const { page, context, blocked } = browser!;
    const url = pathToFileURL(file).href;
    // The fence lets only loopback through; let the report itself through too, nothing else.
    await context.route(url, (route) => route.continue());
    await page.goto(url);

    const sizes = await page
      .locator('figure.chart svg[role="img"]')
      .evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect()).map(({ width, height }) => ({ width, height })));
    expect(sizes).toHaveLength(3);
    for (const { width, height } of sizes) {
      expect(width).toBeGreaterThan(300);
      expect(height).toBeGreaterThan(80);
    }
    expect(await page.title()).toBe('HubSpot: brand monitoring report');
    const text = await visibleText(page);
    for (const needle of [
      'Mention rate of HubSpot over time',
      'Share of voice: HubSpot against competitors',
      'Top cited domains',
      '77 % (59–88)',
    ]) {
      expect(text).toContain(needle);
    }
    // Each chart is named by its caption for screen readers.
    const names = await page
      .locator('figure.chart svg[role="img"]')
      .evaluateAll((svgs) => svgs.map((svg) => svg.ownerDocument.getElementById(svg.getAttribute('aria-labelledby') ?? '')?.textContent));
    expect(names).toEqual(['Mention rate of HubSpot over time', 'Share of voice: HubSpot against competitors', 'Top cited domains']);
    expect(blocked).toEqual([]);

    await rm(REPORT_SCREENSHOT_DIR, { recursive: true, force: true });
    await mkdir(REPORT_SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(REPORT_SCREENSHOT_DIR, 'report.png'), fullPage: true });
    console.info(`report-browser.test.ts: screenshot in ${REPORT_SCREENSHOT_DIR}`);
  });
});

if (skipReason) {
  it.skip(`HTML report in a browser (${skipReason})`, () => undefined);
}

import { ConfigError } from '../../../src/config';
import { buildSimulator } from '../../../src/simulator';
import { parseSimulatorOptions } from '../../../src/simulator/options';
import { chatgptTask, sleep, startTestSimulator } from './helpers';

describe('simulator options', () => {
  test('defaults follow cloro: concurrency 10, queue limit 100,000, 24 h retention, 2/4/8/16 min retries', () => {
    const options = parseSimulatorOptions({});
    expect(options).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      concurrency: 10,
      queueLimit: 100_000,
      initialCredits: 1_000_000,
      retentionMs: 86_400_000,
      webhookRetryDelaysMs: [120_000, 240_000, 480_000, 960_000],
      validationStatus: 422,
      insufficientCreditsStatus: 402,
      lookupByIdempotencyKey: false,
      prices: { CHATGPT: 5, COPILOT: 5, PERPLEXITY: 4, GEMINI: 4, GROK: 4, AIMODE: 4, GOOGLE: 3, GOOGLE_NEWS: 3 },
    });
    expect(Number.isInteger(options.seed)).toBe(true);
  });

  test('a bad option is one ConfigError naming the field', () => {
    expect(() => parseSimulatorOptions({ concurrency: 0 })).toThrow(ConfigError);
    expect(() => parseSimulatorOptions({ concurrency: 0 })).toThrow(/^invalid simulator options: concurrency: /);
    expect(() => parseSimulatorOptions({ processingMs: { min: 10, max: 1 } })).toThrow(/processingMs: min must not exceed max/);
    expect(() => parseSimulatorOptions({ prices: { ALTAVISTA: 1 } } as never)).toThrow(/prices/);
    expect(() => parseSimulatorOptions({ timescale: 5 } as never)).toThrow(/timescale/);
  });

  test('prices are data: the docs example charging 10 for CHATGPT is one option away', async () => {
    const sim = await startTestSimulator({ prices: { CHATGPT: 10 } });
    try {
      const res = await sim.call('POST', '/v1/async/task', chatgptTask('priced'));
      expect(res.body.credits).toEqual({ creditsToCharge: 10, creditsCharged: null });
    } finally {
      await sim.close();
    }
  });

  test('buildSimulator gives an app and an engine usable directly; closing the app stops the engine', async () => {
    const { app, sim } = buildSimulator({ seed: 1, timeScale: 1_000_000 });
    await app.ready();
    expect(sim.createTask(chatgptTask('direct')).task.status).toBe('QUEUED');
    await app.close();
    // At 10^6 the task would have finished within milliseconds had its timers survived the close.
    await sleep(50);
    expect(sim.stats().tasks).toMatchObject({ created: 1, completed: 0 });
  });
});

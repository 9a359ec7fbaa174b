import { simulatorCommand, SimulatorFlagsSchema, toSimulatorOptions } from '../../../src/cli/commands/simulator';
import { UsageError } from '../../../src/cli/handle-error';
import { parseOptions } from '../../../src/cli/parse-options';
import { until } from './helpers';

const parse = (raw: Record<string, unknown>) =>
  toSimulatorOptions(
    parseOptions(SimulatorFlagsSchema, { port: '4010', host: '127.0.0.1', logLevel: 'warn', price: [], errorStatus: '503', ...raw }),
  );

describe('cloro-temporal simulator (CLI)', () => {
  test('flags become simulator options, shorthand fault flags joining --faults', () => {
    const options = parse({
      concurrency: '3',
      timeScale: '1000',
      price: ['CHATGPT=10'],
      errorRate: '0.1',
      dropWebhooks: '0.5',
      faults: '{"webhooks":{"drop":{"count":1}},"loseCreateResponse":{"count":2}}',
    });
    expect(options).toMatchObject({ port: 4010, concurrency: 3, timeScale: 1000, prices: { CHATGPT: 10 } });
    expect(options.faults).toMatchObject({
      errors: [{ status: 503, rate: 0.1, route: '*' }],
      loseCreateResponse: [{ count: 2, respond: 502 }],
      webhooks: { drop: [{ count: 1 }, { rate: 0.5 }] },
    });
  });

  test('a bad flag is a UsageError naming the flag', () => {
    expect(() => parse({ concurrency: '0' })).toThrow(UsageError);
    expect(() => parse({ concurrency: '0' })).toThrow(/^--concurrency: /);
    expect(() => parse({ price: ['ALTAVISTA=1'] })).toThrow(/--price/);
    expect(() => parse({ faults: '{not json' })).toThrow(/--faults: is not JSON/);
    expect(() => parse({ processingMinMs: '9', processingMaxMs: '1' })).toThrow(/--processing-min-ms must not exceed/);
  });

  test('serves until SIGTERM, then closes', async () => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const running = simulatorCommand().exitOverride().parseAsync(['--port', '0', '--time-scale', '1000'], { from: 'user' });
      await until(() => lines.length > 0);
      const url = /listening on (\S+)/.exec(lines[0] ?? '')?.[1];
      const res = await fetch(`${url}/v1/async/status`, { headers: { authorization: 'Bearer k' } });
      expect(res.status).toBe(200);
      process.emit('SIGTERM', 'SIGTERM');
      await running;
      await expect(fetch(`${url}/v1/async/status`)).rejects.toThrow();
    } finally {
      log.mockRestore();
    }
  });
});

import { Teardown } from '../../../src/app/teardown';

describe('Teardown', () => {
  it('runs steps last-registered first, once, however often it is called', async () => {
    const order: string[] = [];
    const teardown = new Teardown();
    for (const name of ['temporal', 'simulator', 'worker']) teardown.add(name, async () => void order.push(name));
    const [a, b] = await Promise.all([teardown.run(), teardown.run()]);
    expect(order).toEqual(['worker', 'simulator', 'temporal']);
    expect(a).toBe(b);
    expect(a.every((r) => r.ok)).toBe(true);
  });

  it('moves on past a step that fails or hangs, and reports both', async () => {
    const problems: string[] = [];
    const order: string[] = [];
    const teardown = new Teardown(50, (m) => problems.push(m));
    teardown.add('last', async () => void order.push('last'));
    teardown.add('hangs', () => new Promise(() => undefined));
    teardown.add('fails', async () => {
      throw new Error('boom');
    });
    const started = Date.now();
    const reports = await teardown.run();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(order).toEqual(['last']);
    expect(reports.map((r) => [r.step, r.ok])).toEqual([
      ['fails', false],
      ['hangs', false],
      ['last', true],
    ]);
    expect(problems).toEqual(['stopping fails: boom', 'stopping hangs: did not finish within 50 ms; moving on']);
  });
});

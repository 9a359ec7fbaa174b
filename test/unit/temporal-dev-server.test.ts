/** The dev server's command line and port choice (no process is started here). */
import net from 'node:net';
import { devServerArgs, pickPorts, portInUse } from '../../src/temporal/dev-server';
import { isPortFree, splitAddress } from '../../src/temporal/ports';
import { searchAttributeFlags } from '../../src/temporal/search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/definitions';

describe('devServerArgs', () => {
  const base = { ip: '127.0.0.1', port: 7233, uiPort: 8233, dbFile: '/state/temporal.sqlite', namespace: 'default', logLevel: 'warn' };

  it('starts a SQLite-backed dev server (WAL) with the UI and every project search attribute', () => {
    expect(devServerArgs(base)).toEqual([
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '7233',
      '--ui-port',
      '8233',
      '--db-filename',
      '/state/temporal.sqlite',
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=NORMAL',
      '--sqlite-pragma',
      'busy_timeout=5000',
      '--search-attribute',
      'CloroTaskType=Keyword',
      '--search-attribute',
      'CloroTaskId=Keyword',
      '--search-attribute',
      'CloroStatus=Keyword',
      '--search-attribute',
      'CloroCountry=Keyword',
      '--search-attribute',
      'CloroPriority=Int',
      '--search-attribute',
      'CloroBatchId=Keyword',
      '--search-attribute',
      'CloroBrand=Keyword',
      '--search-attribute',
      'CloroMonitorId=Keyword',
      '--log-level',
      'warn',
    ]);
  });

  it('derives the attribute flags from SEARCH_ATTRIBUTE_KEYS', () => {
    expect(searchAttributeFlags().filter((a) => a !== '--search-attribute')).toEqual(
      SEARCH_ATTRIBUTE_KEYS.map((k) => `${k.name}=${k.type === 'INT' ? 'Int' : 'Keyword'}`),
    );
  });

  it('runs headless, in memory and in another namespace when asked', () => {
    const args = devServerArgs({ ...base, uiPort: null, dbFile: null, namespace: 'cloro-dev' });
    expect(args).toContain('--headless');
    expect(args).not.toContain('--ui-port');
    expect(args).not.toContain('--db-filename');
    expect(args).not.toContain('--sqlite-pragma');
    expect(args.join(' ')).toContain('--namespace cloro-dev');
  });

  it('points the Web UI at a codec server when given one, and leaves the flag out when headless', () => {
    const codec = { uiCodecEndpoint: 'http://127.0.0.1:8888' };
    expect(devServerArgs({ ...base, ...codec }).join(' ')).toContain('--ui-port 8233 --ui-codec-endpoint http://127.0.0.1:8888');
    expect(devServerArgs({ ...base, ...codec, uiPort: null })).not.toContain('--ui-codec-endpoint');
  });
});

describe('pickPorts', () => {
  it('finds a free frontend port and puts the UI 1000 above it when that is free', async () => {
    const { port, uiPort } = await pickPorts('127.0.0.1', 0, undefined);
    expect(port).toBeGreaterThan(0);
    expect(uiPort === port + 1000 || (uiPort !== null && (await isPortFree(uiPort)))).toBe(true);
  });

  it('moves the UI to a free port when port + 1000 is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const frontend = taken - 1000;
      if (frontend <= 0) return; // cannot construct the case on this port; nothing to check
      const { port, uiPort } = await pickPorts('127.0.0.1', frontend, undefined);
      expect(port).toBe(frontend);
      expect(uiPort).not.toBe(taken);
      expect(uiPort).toBeGreaterThan(0);
    } finally {
      blocker.close();
    }
  });

  it('keeps given ports and drops the UI when headless', async () => {
    await expect(pickPorts('127.0.0.1', 17233, 18233)).resolves.toEqual({ port: 17233, uiPort: 18233 });
    await expect(pickPorts('127.0.0.1', 17233, null)).resolves.toEqual({ port: 17233, uiPort: null });
  });
});

describe('portInUse', () => {
  it.each([
    ["Error: can't set UI port 47111: listen tcp 127.0.0.1:47111: bind: address already in use", 47111],
    ['{"level":"FATAL","prefix":"echo","message":"listen tcp 127.0.0.1:44373: bind: address already in use"}', 44373],
    ['listen tcp [::1]:7233: bind: address already in use', 7233],
  ])('reads the port from %s', (output, port) => {
    expect(portInUse(output)).toBe(port);
  });

  it('is undefined for any other failure', () => {
    expect(portInUse('Error: unable to open database file: permission denied')).toBeUndefined();
  });
});

describe('splitAddress', () => {
  it.each([
    ['127.0.0.1:7233', { host: '127.0.0.1', port: 7233 }],
    ['localhost', { host: 'localhost', port: 7233 }],
    ['[::1]:7400', { host: '::1', port: 7400 }],
  ])('%s', (address, expected) => {
    expect(splitAddress(address)).toEqual(expected);
  });
});

/**
 * Client commands run in a second terminal next to `dev`; they read dev-stack.json but must
 * not load what serves the stack (simulator, bridge, worker, fastify, pino) just to do so.
 */
const SERVING_MODULES = [
  /[\\/]node_modules[\\/](fastify|pino)[\\/]/,
  /[\\/]src[\\/](simulator|bridge)[\\/]/,
  /[\\/]src[\\/]app[\\/]dev-stack\.ts$/,
  /[\\/]src[\\/]temporal[\\/]worker\.ts$/,
];

/** Every module file loaded by importing `modulePath` into an empty registry. */
function modulesLoadedBy(modulePath: string): string[] {
  let loaded: string[] = [];
  jest.isolateModules(() => {
    jest.requireActual(modulePath);
    loaded = Object.keys(require.cache);
  });
  return loaded;
}

const serving = (files: string[]) => files.filter((file) => SERVING_MODULES.some((pattern) => pattern.test(file)));

describe('client command modules', () => {
  it.each(['submit', 'result'])('%s loads neither the simulator, the bridge, the worker nor fastify', (command) => {
    const loaded = modulesLoadedBy(`../../../src/cli/commands/${command}`);
    // Guards the check itself: the registry lists what the command did load.
    expect(loaded.some((file) => /[\\/]src[\\/]cli[\\/]with-client\.ts$/.test(file))).toBe(true);
    expect(serving(loaded)).toEqual([]);
  });

  it('dev does load them, so the check can see them', () => {
    expect(serving(modulesLoadedBy('../../../src/cli/commands/dev')).length).toBeGreaterThan(0);
  });
});

import { randomBytes } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import { createCloroPayloadCodec } from '../../src/codec/encryption-codec';
import { CloroPlugin } from '../../src/temporal/plugin';
import { DEFAULT_CLORO_REQUESTS_PER_SECOND, WORKFLOWS_PATH } from '../../src/temporal/worker';
import type { DbResultStore } from '../../src/store';

// Building activities touches neither store nor network; the plugin only wires them.
const store = { results: {} as DbResultStore };
const plugin = (extra = {}) => new CloroPlugin({ apiKey: 'sk_test_plugin', baseUrl: 'http://127.0.0.1:1', store, ...extra });
const worker = (options: Partial<WorkerOptions>): WorkerOptions => ({ taskQueue: 'cloro', ...options });

describe('CloroPlugin on a worker', () => {
  it('of an API queue registers the activities with the server-side rate limit, and no workflows', () => {
    const configured = plugin({ cloroRequestsPerSecond: 50 }).configureWorker(worker({ taskQueue: 'cloro-api' }));
    expect(configured.maxTaskQueueActivitiesPerSecond).toBe(50);
    expect(configured.workflowsPath).toBeUndefined();
    expect(Object.keys(configured.activities ?? {})).toEqual(expect.arrayContaining(['createTask', 'fetchTask', 'storeAnswer']));
  });

  it('of an API queue keeps a rate limit the worker set itself, else uses the default', () => {
    expect(
      plugin().configureWorker(worker({ taskQueue: 'app-api', maxTaskQueueActivitiesPerSecond: 7 })).maxTaskQueueActivitiesPerSecond,
    ).toBe(7);
    expect(plugin().configureWorker(worker({ taskQueue: 'app-api' })).maxTaskQueueActivitiesPerSecond).toBe(
      DEFAULT_CLORO_REQUESTS_PER_SECOND,
    );
  });

  it('without workflows of its own becomes a dedicated cloro worker', () => {
    const configured = plugin().configureWorker(worker({}));
    expect(configured.workflowsPath).toBe(WORKFLOWS_PATH);
    expect(configured.maxTaskQueueActivitiesPerSecond).toBeUndefined();
  });

  it("with workflows of its own keeps them and the worker's activities, adding cloro's", () => {
    const mine = async () => 'mine';
    const configured = plugin().configureWorker(worker({ taskQueue: 'app', workflowsPath: '/app/workflows.js', activities: { mine } }));
    expect(configured.workflowsPath).toBe('/app/workflows.js');
    expect(configured.activities).toMatchObject({ mine });
    expect(Object.keys(configured.activities ?? {})).toContain('readPromptSetPage');
  });

  it("with a payload codec adds it after the worker's own codecs, so encryption sees their output", () => {
    const encryption = createCloroPayloadCodec([{ id: 'k1', key: randomBytes(32) }]);
    const compression: PayloadCodec = { encode: async (p) => p, decode: async (p) => p };
    const configured = plugin({ payloadCodec: encryption }).configureWorker(worker({ dataConverter: { payloadCodecs: [compression] } }));
    expect(configured.dataConverter?.payloadCodecs).toEqual([compression, encryption]);
    expect(plugin({ payloadCodec: encryption }).configureWorker(worker({})).dataConverter?.payloadCodecs).toEqual([encryption]);
    expect(plugin().configureWorker(worker({})).dataConverter).toBeUndefined();
  });
});

describe('CloroPlugin options', () => {
  it('need an API key or a client', () => {
    expect(() => new CloroPlugin({ store })).toThrow('CloroPlugin needs an apiKey or a client');
  });

  it('refuse a bridge URL without the secret its tokens are made with', () => {
    expect(() => plugin({ bridgeUrl: 'https://bridge.example.com' })).toThrow(/bridgeUrl needs bridgeSecret/);
  });
});

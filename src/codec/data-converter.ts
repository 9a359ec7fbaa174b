/**
 * The data converter every client and worker the project creates uses: the SDK's default,
 * plus the encryption codec when payload keys are configured. One function, so the CLI, the
 * bridge, the dev stack and the worker can never disagree on how payloads are written.
 */
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { createCloroPayloadCodec } from './encryption-codec';

/** The module exporting the failure converter that puts messages and stack traces into encrypted payloads. */
export const ENCRYPTING_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * With keys configured, the encryption codec and the failure converter that routes messages
 * through it; else `{}` (the SDK's defaults). Spread it into `new Client(…)` or `createWorker(…)` options.
 */
export function dataConverterOption(cfg: Pick<Config, 'payloadKeys'>): { dataConverter?: DataConverter } {
  if (!cfg.payloadKeys) return {};
  return {
    dataConverter: { payloadCodecs: [createCloroPayloadCodec(cfg.payloadKeys)], failureConverterPath: ENCRYPTING_FAILURE_CONVERTER_PATH },
  };
}

/**
 * The data converter every client and worker the project creates uses: the SDK's default,
 * plus the encryption codec when payload keys are configured. One function, so the CLI, the
 * bridge, the dev stack and the worker can never disagree on how payloads are written.
 */
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { createCloroPayloadCodec } from './encryption-codec';

/**
 * `{ dataConverter: { payloadCodecs: [encryption] } }` with keys configured, else `{}` (the
 * SDK's default converter): spread it into `new Client(…)` or `createWorker(…)` options.
 */
export function dataConverterOption(cfg: Pick<Config, 'payloadKeys'>): { dataConverter?: DataConverter } {
  return cfg.payloadKeys ? { dataConverter: { payloadCodecs: [createCloroPayloadCodec(cfg.payloadKeys)] } } : {};
}

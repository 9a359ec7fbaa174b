/**
 * What a task costs: the engine's base price plus cloro's paid add-ons (state targeting,
 * raw-data flags, Google AI Overview, each Google page past the first), and the sync
 * surcharge for /v1/monitor. Prices come from options: they are data, not code.
 */
import type { TaskPayload, TaskType } from '../cloro/schemas';
import type { SimulatorOptions } from './options';

export function creditsFor(
  taskType: TaskType,
  payload: TaskPayload,
  options: Pick<SimulatorOptions, 'prices' | 'addOnPrice' | 'syncSurcharge'>,
  sync = false,
): number {
  const addOns =
    (payload.state ? 1 : 0) +
    (payload.include?.rawResponse ? 1 : 0) +
    (payload.include?.aiOverview ? 1 : 0) +
    Math.max(0, (payload.pages ?? 1) - 1);
  return options.prices[taskType] + addOns * options.addOnPrice + (sync ? options.syncSurcharge : 0);
}

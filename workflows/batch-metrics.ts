/**
 * The batch window's figures as gauges, through the SDK's workflow metric meter: exported on
 * the worker runtime's Prometheus endpoint (WORKER_SDK_METRICS_PORT), skipped on replay and
 * adding no command, so histories recorded before these gauges still replay.
 *
 * No batch id tag: ids are unbounded and every one would stay a series for the life of the
 * worker. The SDK tags each value with namespace, task queue and workflow type; batches that
 * run at once on one worker overwrite each other's values, which is harmless for the plan
 * concurrency (org-wide, the same for all) and makes the others a recent sample, not a sum.
 */
import { metricMeter } from '@temporalio/workflow';
import type { WindowFigures } from './definitions';

/** Called wherever the batch shows its progress, so the gauges follow the window. */
export function recordWindow(window: WindowFigures, inFlight: number): void {
  // Made per call: the meter is usable only inside a workflow, not when the bundle loads.
  const gauge = (name: string, help: string, value: number, type: 'int' | 'float' = 'int') =>
    metricMeter.createGauge(`cloro_batch_${name}`, type, '', help).set(value);
  gauge('concurrency_max', "Plan concurrency the batch window works to (cloro's last reading, or the fallback)", window.concurrencyMax);
  gauge('buffer', "Most tasks the batch lets wait in cloro's queue", window.buffer);
  gauge('pipeline', "The batch's in-flight prompts cloro does not show as unfinished", window.pipeline);
  gauge('in_flight', 'Prompts of the batch launched and not yet reported', inFlight);
  // Unmeasured until enough prompts reported: no value beats a made-up one.
  if (window.roundTripMs !== null)
    gauge('round_trip_seconds', 'Smoothed time the batch takes to turn a freed slot into a new task', window.roundTripMs / 1000, 'float');
}

/**
 * Prompts that end ORPHANED, and the credits estimated for their lost tasks, as counters
 * through the SDK's workflow metric meter (the worker runtime's Prometheus endpoint,
 * WORKER_SDK_METRICS_PORT). The orphan is decided here, in the workflow, after the webhook
 * wait and the resubmission policy; no activity sees it, and the store keeps no row for it.
 * Counting through the meter is skipped on replay and adds no command, so recorded
 * histories still replay and a replayed prompt is not counted twice.
 */
import { metricMeter } from '@temporalio/workflow';
import type { PromptSummary } from './definitions';

export function countOrphan(summary: PromptSummary): void {
  // Made per call: the meter is usable only inside a workflow, not when the bundle loads.
  // The runtime's exporter appends `_total` to counter names.
  metricMeter.createCounter('cloro_orphans', '', 'Prompts that ended ORPHANED: a task created whose id was lost and not recovered').add(1);
  if (summary.creditsEstimated)
    metricMeter
      .createCounter(
        'cloro_credits_estimated',
        '',
        "Credits estimated (the prompt's price) for ORPHANED prompts' lost tasks, which cloro charges unseen",
      )
      .add(summary.creditsCharged);
}

import type { Registry } from 'prom-client';

/**
 * One series' value from a registry: a counter's or gauge's value, a histogram's count,
 * for the sample whose labels include `labels`.
 */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)!.get();
  const match = metric.values.find(
    (v) =>
      !/_(bucket|sum)$/.test((v as { metricName?: string }).metricName ?? '') &&
      Object.entries(labels).every(([key, value]) => v.labels[key] === value),
  );
  return match?.value;
}

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

/** A Prometheus text page as `series → value`, each series as written (`name{label="v"}`). */
export function parseMetricsText(text: string): Map<string, number> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );
}

/** GETs `<base>/metrics` and parses it; fails on anything but 200. */
export async function scrapeMetrics(base: string): Promise<Map<string, number>> {
  const res = await fetch(`${base}/metrics`);
  if (res.status !== 200) throw new Error(`${base}/metrics answered ${res.status}`);
  return parseMetricsText(await res.text());
}

/** How numbers read in every report format: whole percents, Wilson intervals, point changes. */
import type { Change, Cut, Proportion } from '../analysis/types';

export const NOT_AVAILABLE = '–';

/** 0.4213 → "42 %". */
export function percent(rate: number | null): string {
  return rate === null ? NOT_AVAILABLE : `${Math.round(rate * 100)} %`;
}

/** A proportion with its Wilson interval: "42 % (31–54)". */
export function proportionText(p: Proportion): string {
  if (p.rate === null) return NOT_AVAILABLE;
  if (p.low === null || p.high === null) return percent(p.rate);
  return `${percent(p.rate)} (${Math.round(p.low * 100)}–${Math.round(p.high * 100)})`;
}

export function positionText(position: number | null): string {
  return position === null ? NOT_AVAILABLE : position.toFixed(1);
}

export function pValueText(p: number | null): string {
  if (p === null) return 'p n/a';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(p < 0.01 ? 3 : 2)}`;
}

/** Percentage points with a real minus sign: "+12 pts", "−8 pts". */
export function pointsText(delta: number): string {
  const pts = Math.round(delta * 100);
  return `${pts < 0 ? '−' : '+'}${Math.abs(pts)} pts`;
}

/** "▲ +12 pts, significant" / "no real change (p = 0.41)". */
export function verdictText(change: Change): string {
  if (change.verdict === 'no real change' || change.delta === null) return `no real change (${pValueText(change.pValue)})`;
  const arrow = change.verdict === 'up' ? '▲' : '▼';
  return `${arrow} ${pointsText(change.delta)}, significant (${pValueText(change.pValue)})`;
}

export function cutLabel(cut: Cut): string {
  const parts = [
    cut.engine && `engine ${cut.engine}`,
    cut.country && `country ${cut.country}`,
    cut.tag && `tag ${cut.tag}`,
    cut.promptId && `prompt ${cut.promptId}`,
  ].filter((part): part is string => Boolean(part));
  return parts.length === 0 ? 'overall' : parts.join(', ');
}

export function sameCut(a: Cut, b: Cut): boolean {
  return a.engine === b.engine && a.country === b.country && a.tag === b.tag && a.promptId === b.promptId;
}

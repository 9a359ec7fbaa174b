/**
 * The brand-monitoring analysis contract: what one answer yields (AnswerAnalysis), what a run
 * or a cut of it yields (CutMetrics, RunMetrics) and how two runs compare (RunComparison).
 * Pure data shapes: the analysis computes them, the store keeps them, the report renders them.
 * Bump METHODOLOGY_VERSION whenever a rule that turns answers into numbers changes, so stored
 * metrics say which rules made them and `monitor recompute` knows what to redo.
 */
import type { TaskResult } from '../cloro/schemas';

export const METHODOLOGY_VERSION = 1;

/** A brand as the monitor tracks it: the name, other names it goes by, its own web domains. */
export interface BrandTerms {
  name: string;
  aliases: string[];
  /** Registrable domains (e.g. `hubspot.com`); subdomains count as the brand's too. */
  domains: string[];
}

/** The monitored brand and the competitors it is measured against. */
export interface Tracked {
  brand: BrandTerms;
  competitors: BrandTerms[];
}

/** One stored answer, with the coordinates of the cell it belongs to. */
export interface AnswerInput {
  workflowId: string;
  /** The monitor run it belongs to. */
  runId: string;
  /** The run's scheduled time (ISO). */
  runAt: string;
  /** cloro task type: CHATGPT, PERPLEXITY, GEMINI, AIMODE, COPILOT, GROK, GOOGLE, … */
  engine: string;
  country: string;
  /** Stable id of the prompt within the monitor. */
  promptId: string;
  prompt: string;
  tags: string[];
  /** 1-based sample number within the cell. */
  sample: number;
  /** Only COMPLETED answers carry a result; the others count as not analysable. */
  status: string;
  result: TaskResult | null;
}

export interface BrandMention {
  brand: string;
  mentioned: boolean;
  /** Mentions in the answer's text (aliases included, word-bounded). */
  count: number;
  /** Character offset of the first mention in the answer text; null when not mentioned. */
  firstOffset: number | null;
  /** 1-based rank among the tracked brands mentioned, by first mention; null when not mentioned. */
  rank: number | null;
  /** One of the brand's domains is among the answer's cited sources. */
  cited: boolean;
}

export interface AnswerAnalysis {
  workflowId: string;
  runId: string;
  engine: string;
  country: string;
  promptId: string;
  tags: string[];
  sample: number;
  brand: BrandMention;
  competitors: BrandMention[];
  /** Registrable domains cited in sources (`www.` stripped), each once, in order of first citation. */
  citedDomains: string[];
  /**
   * False when the answer was not COMPLETED (no result to read): every mention is false and the
   * answer counts in no denominator. Absent means true (analyses written before the field).
   */
  analysable?: boolean;
  methodologyVersion: number;
}

/** A proportion with its Wilson 95 % interval; rate/low/high are null when trials = 0. */
export interface Proportion {
  successes: number;
  trials: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

/** Which slice of a run: no field set = the whole run. */
export interface Cut {
  engine?: string;
  country?: string;
  tag?: string;
  promptId?: string;
}

export interface CutMetrics {
  cut: Cut;
  /** Analysable (COMPLETED) answers in the cut. */
  answers: number;
  /** Answers that name the brand. */
  mentionRate: Proportion;
  /** Mentions of each tracked brand (brand first, then competitors) ÷ mentions of all tracked brands. */
  shareOfVoice: { brand: string; mentions: number; share: number | null }[];
  /** Mean rank of the brand among tracked brands, over answers that name it; null when none do. */
  averagePosition: number | null;
  /** Answers citing one of the brand's domains. */
  citationShare: Proportion;
  /** Most cited domains: answers citing each, most first (at most 10). */
  topDomains: { domain: string; answers: number }[];
}

export interface RunMetrics {
  runId: string;
  runAt: string;
  methodologyVersion: number;
  overall: CutMetrics;
  byEngine: CutMetrics[];
  byCountry: CutMetrics[];
  byTag: CutMetrics[];
  byPrompt: CutMetrics[];
}

/** A change between two runs of the same cut, called real only when a two-proportion test says so. */
export interface Change {
  metric: 'mentionRate' | 'citationShare';
  cut: Cut;
  previous: Proportion;
  current: Proportion;
  /** current.rate − previous.rate; null when either has no trials. */
  delta: number | null;
  /** Two-sided p-value of the two-proportion z-test (pooled); null when it cannot be computed. */
  pValue: number | null;
  significant: boolean;
  /** 'up' / 'down' only when significant at α = 0.05. */
  verdict: 'up' | 'down' | 'no real change';
}

export interface RunComparison {
  previousRunId: string;
  currentRunId: string;
  changes: Change[];
  /** Competitors named in one run and not the other. */
  competitorChurn: { added: string[]; removed: string[] };
  /** Top cited domains that entered or left the top list. */
  domainChurn: { added: string[]; removed: string[] };
}

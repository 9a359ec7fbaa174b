/**
 * A brand monitor as its owner writes it (a YAML or JSON file), validated once: what brand
 * and competitors to look for, which prompts to ask which engines from which countries, how
 * often, how many samples, and what one run may spend. `parseMonitorFile` never throws for
 * bad input: it lists every problem, each with its path (`competitors[2].aliases[0]: …`),
 * so one edit can fix them all.
 */
import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import { z } from 'zod';
import type { Tracked } from '../analysis/types';
import { CountrySchema, PrioritySchema, PromptTextSchema, TaskTypeSchema } from '../cloro/schemas';
import { ALL_COUNTRIES, isCountrySupported } from '../simulator/countries';
import { DELIVERIES } from '../../workflows/definitions';
import { minimumRunCost } from './definition-cells';
import { loadDocument } from './definition-file';

export { cellKey, cellsOf, compactInstant, initialSamples, minimumRunCost, type Cell } from './definition-cells';

/** cloro's default priority, as prompt requests use it. */
export const DEFAULT_MONITOR_PRIORITY = 1;

// ---------------------------------------------------------------- field schemas

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** `30s`, `15m`, `12h`, `1d`, `1w`: the subset of Temporal's duration strings a monitor needs. */
const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new RangeError(`${text} is not a duration`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

const DurationSchema = z.string().regex(DURATION, 'must be a duration such as 30m, 12h or 1d');

const DomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain such as hubspot.com (no scheme, no path)')
  .transform((d) => d.replace(/^www\./, ''));

const BrandTermsSchema = z.strictObject({
  name: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  domains: z.array(DomainSchema).default([]),
});

const PromptSchema = z.preprocess(
  (raw) => (typeof raw === 'string' ? { text: raw } : raw),
  z.strictObject({ text: PromptTextSchema, tags: z.array(nonEmpty.max(64, 'must be at most 64 characters')).default([]) }),
);

const TimeZoneSchema = z.string().default('UTC').refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/London or UTC' });

const CronSchema = z.string().superRefine((expr, ctx) => {
  const problem = cronProblem(expr);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const CadenceSchema = z.strictObject({
  every: DurationSchema.optional(),
  cron: CronSchema.optional(),
  timezone: TimeZoneSchema,
  jitter: DurationSchema.optional(),
});

const SamplesSchema = z
  .union([z.literal('auto'), z.number().int('must be a whole number').min(1, 'must be at least 1 (or "auto")')], {
    error: 'must be a whole number ≥ 1 or "auto"',
  })
  .default(1);

const AutoSamplingSchema = z.strictObject({
  /** Stop adding samples once the mention rate's 95 % interval is at most ± this wide. */
  targetHalfWidth: z.number().gt(0, 'must be above 0').max(0.5, 'must be at most 0.5'),
  maxSamples: z.number().int('must be a whole number').min(2, 'must be at least 2').max(100, 'must be at most 100'),
});

const StopAtSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be an ISO date (2026-12-31) or date-time (2026-12-31T23:59:00Z)',
});

/** Each top-level field on its own, so cross-field checks can use whichever fields are valid. */
const FIELDS = {
  id: z
    .string()
    .max(64, 'must be at most 64 characters')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug of a–z, 0–9 and single dashes, such as hubspot-crm'),
  brand: BrandTermsSchema,
  competitors: z.array(BrandTermsSchema).default([]),
  prompts: z.array(PromptSchema).min(1, 'must list at least one prompt'),
  engines: z.array(TaskTypeSchema).min(1, 'must list at least one engine'),
  countries: z
    .array(CountrySchema.refine((c) => ALL_COUNTRIES.includes(c), { message: 'is not a known country code' }))
    .min(1, 'must list at least one country'),
  cadence: CadenceSchema,
  samples: SamplesSchema,
  autoSampling: AutoSamplingSchema.optional(),
  priority: PrioritySchema.default(DEFAULT_MONITOR_PRIORITY),
  budgetPerRun: z.number().positive('must be above 0'),
  stopAt: StopAtSchema.optional(),
  delivery: z.enum(DELIVERIES).optional(),
};

const MonitorFileSchema = z.strictObject(FIELDS);
type MonitorFile = z.output<typeof MonitorFileSchema>;

/** A parsed monitor: the file's fields with defaults applied, and each prompt with its stable id. */
export type Monitor = Omit<MonitorFile, 'prompts'> & { prompts: { id: string; text: string; tags: string[] }[] };

/** A parsed monitor, or every problem found, by path. */
export type ParseResult = { ok: true; monitor: Monitor } | { ok: false; problems: string[] };

// ---------------------------------------------------------------- parsing

/** Reads a monitor file: YAML (`.yaml`, `.yml`) or JSON (`.json`), chosen by extension. */
export function parseMonitorFile(text: string, fileName: string): ParseResult {
  const loaded = loadDocument(text, fileName);
  if (!loaded.ok) return loaded;
  return validateMonitor(loaded.value);
}

/** Validates an already-loaded document (e.g. from a request body). */
export function validateMonitor(raw: unknown): ParseResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: ['must be a mapping of fields (id, brand, prompts, engines, …)'] };
  }
  const parsed = MonitorFileSchema.safeParse(raw, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  const problems = parsed.success ? [] : parsed.error.issues.flatMap(describeIssue);
  problems.push(...crossFieldProblems(raw as Record<string, unknown>));
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const monitor: Monitor = { ...parsed.data, prompts: parsed.data.prompts.map((p) => ({ id: promptIdOf(p.text), ...p })) };
  return { ok: true, monitor };
}

/** `competitors[2].aliases[0]` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function problem(path: readonly PropertyKey[], message: string): string {
  return path.length > 0 ? `${formatPath(path)}: ${message}` : message;
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => problem([...issue.path, key], 'is not a known field'));
  return [problem(issue.path, issue.message)];
}

// ---------------------------------------------------------------- checks

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a cron pattern, as croner's parser sees it; undefined when it is fine. */
export function cronProblem(expr: string): string | undefined {
  try {
    new Cron(expr, { paused: true }).stop();
    return undefined;
  } catch (error) {
    return `is not a valid cron pattern (${(error as Error).message.replace(/^CronPattern: /, '')})`;
  }
}

function promptKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A short stable id of a prompt: the same text (up to case and spacing) keeps its id and its history. */
export function promptIdOf(text: string): string {
  return createHash('sha256').update(promptKey(text)).digest('hex').slice(0, 12);
}

/** The value of one top-level field when it is valid on its own, else undefined. */
function validField<K extends keyof typeof FIELDS>(raw: Record<string, unknown>, key: K): z.output<(typeof FIELDS)[K]> | undefined {
  const parsed = FIELDS[key].safeParse(raw[key]);
  return parsed.success ? (parsed.data as z.output<(typeof FIELDS)[K]>) : undefined;
}

/** Rules that span fields or list items; each runs when the fields it reads are valid on their own. */
function crossFieldProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const prompts = validField(raw, 'prompts');
  const engines = validField(raw, 'engines');
  const countries = validField(raw, 'countries');
  const samples = validField(raw, 'samples');
  const budget = validField(raw, 'budgetPerRun');

  if (prompts)
    problems.push(
      ...duplicates(
        prompts.map((p) => promptKey(p.text)),
        (i, first) => problem(['prompts', i, 'text'], `repeats prompts[${first}]`),
      ),
    );
  if (engines) problems.push(...duplicates(engines, (i) => problem(['engines', i], `${engines[i]} is listed twice`)));
  if (countries) problems.push(...duplicates(countries, (i) => problem(['countries', i], `${countries[i]} is listed twice`)));
  if (engines && countries) {
    for (const [i, country] of countries.entries()) {
      const refused = engines.filter((engine) => !isCountrySupported(engine, country));
      if (refused.length > 0) problems.push(problem(['countries', i], `${country} is not available for ${refused.join(', ')}`));
    }
  }
  problems.push(...brandProblems(raw));
  problems.push(...cadenceProblems(raw.cadence));

  const autoSampling = raw.autoSampling;
  if (samples === 'auto' && autoSampling === undefined) problems.push(problem(['autoSampling'], 'is required when samples is "auto"'));
  if (typeof samples === 'number' && autoSampling !== undefined)
    problems.push(problem(['autoSampling'], 'applies only when samples is "auto"'));

  if (prompts && engines && countries && samples !== undefined && budget !== undefined) {
    const minimum = minimumRunCost({ prompts, engines, countries, samples });
    if (budget < minimum) {
      problems.push(
        problem(
          ['budgetPerRun'],
          `must be at least ${minimum} credits, the cost of one run (${prompts.length} prompts × ${countries.length} countries × ` +
            `${samples === 'auto' ? 1 : samples} samples × ${engines.join(' + ')} at their prices)`,
        ),
      );
    }
  }
  return problems;
}

/** One problem per item equal (by key) to an earlier one. */
function duplicates(keys: readonly string[], describe: (index: number, first: number) => string): string[] {
  const first = new Map<string, number>();
  const found: string[] = [];
  keys.forEach((key, i) => {
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else found.push(describe(i, earlier));
  });
  return found;
}

/** A name, alias or domain must belong to one tracked brand only, or mentions could not be told apart. */
function brandProblems(raw: Record<string, unknown>): string[] {
  const brand = validField(raw, 'brand');
  const competitors = validField(raw, 'competitors');
  if (!brand || !competitors) return [];
  const owners = new Map<string, { label: string; owner: number }>();
  const problems: string[] = [];
  const claim = (term: string, path: PropertyKey[], owner: number, label: string) => {
    const key = `${path.at(-2) === 'domains' ? 'domain' : 'term'}:${term.toLowerCase()}`;
    const earlier = owners.get(key);
    if (earlier === undefined) owners.set(key, { label, owner });
    else if (earlier.owner !== owner) problems.push(problem(path, `"${term}" also belongs to ${earlier.label}`));
  };
  [brand, ...competitors].forEach((terms, owner) => {
    const base = owner === 0 ? ['brand'] : ['competitors', owner - 1];
    const label = owner === 0 ? `the brand ${terms.name}` : `competitor ${terms.name}`;
    claim(terms.name, [...base, 'name'], owner, label);
    terms.aliases.forEach((alias, i) => claim(alias, [...base, 'aliases', i], owner, label));
    terms.domains.forEach((domain, i) => claim(domain, [...base, 'domains', i], owner, label));
  });
  return problems;
}

function cadenceProblems(cadence: unknown): string[] {
  if (typeof cadence !== 'object' || cadence === null) return [];
  const { every, cron } = cadence as Record<string, unknown>;
  if (every !== undefined && cron !== undefined) return [problem(['cadence'], 'give either every or cron, not both')];
  if (every === undefined && cron === undefined) return [problem(['cadence'], 'needs every (such as 1d) or cron (such as "0 6 * * *")')];
  return [];
}

// ---------------------------------------------------------------- views

/** The brand and competitors in the analysis's shape. */
export function trackedOf(monitor: Pick<Monitor, 'brand' | 'competitors'>): Tracked {
  const copy = (b: Monitor['brand']) => ({ name: b.name, aliases: [...b.aliases], domains: [...b.domains] });
  return { brand: copy(monitor.brand), competitors: monitor.competitors.map(copy) };
}

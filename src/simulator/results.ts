/**
 * Plausible answers, generated from the request and a seeded generator. Which brands an
 * answer names, in which order, and which sites it cites are drawn from the brand
 * catalogue (brand-catalogue.ts) at rates per engine and country, plus the brands the
 * prompt itself names; so a monitor's mention rate, share of voice, positions and citation
 * shares differ by engine and country. `AnswerGenerator` draws afresh each time a cell is
 * asked again (samples, later runs), reproducibly for a seed; `generateAnswer` alone always
 * gives the same answer to the same prompt, engine and country.
 */
import type { Include, TaskResult, TaskType } from '../cloro/schemas';
import { DEFAULT_BRAND_CATALOGUE, categoryFor, containsTerm, rateFor, type BrandCatalogue, type Category } from './brand-catalogue';
import { Rng } from './rng';

/** The model name each engine reports. */
export const MODELS: Readonly<Record<TaskType, string>> = {
  CHATGPT: 'gpt-5-mini',
  COPILOT: 'copilot-gpt-5',
  PERPLEXITY: 'sonar',
  GEMINI: 'gemini-2.5-flash',
  GROK: 'grok-4',
  AIMODE: 'google-ai-mode',
  GOOGLE: 'google-search',
  GOOGLE_NEWS: 'google-news',
};

// Capitalised words that start questions or are everyday acronyms, not brands.
const NOT_BRANDS = new Set(
  (
    'A An And Any Are Best Can Compare Could Did Do Does Explain Find For Give Hello Hi How I If In Is It List Me My ' +
    'Name Of Or Our Please Recommend Should Some Tell That The These This Those To Top Us Vs Versus Was We Were What ' +
    'When Where Which Who Whom Whose Why Will With Would AI API CRM EU SEO UK US USA'
  ).split(' '),
);

const INTROS: readonly ((topic: string) => string)[] = [
  (topic) => `Here is a short overview for "${topic}".`,
  (topic) => `There is no single answer to "${topic}", but a few names come up again and again.`,
  (topic) => `Based on recent reviews and discussions, this is what stands out for "${topic}".`,
  (topic) => `Good question. When people ask "${topic}", these are the options most often recommended.`,
];

const ASPECTS = [
  'is frequently praised for its reliability',
  'stands out for value for money',
  'is known for responsive customer support',
  'offers one of the broadest feature sets',
  'is often recommended for ease of use',
  'has consistently strong user reviews',
  'is a popular choice among professionals',
];

const FACTORS = ['your budget', 'the features you need', 'local availability', 'long-term support', 'independent reviews'];

/** Runs of capitalised words ("Acme Corp", "HubSpot", "iPhone"), in prompt order, without duplicates. */
export function extractBrands(prompt: string, max = 6): string[] {
  const found = new Map<string, string>();
  let run: string[] = [];
  const flush = () => {
    const phrase = run.join(' ');
    if (phrase && !found.has(phrase.toLowerCase())) found.set(phrase.toLowerCase(), phrase);
    run = [];
  };
  for (const raw of prompt.split(/\s+/)) {
    const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}&+]+$/gu, '');
    const brandLike = /^\p{Lu}|^\p{Ll}+\p{Lu}/u.test(word) && !NOT_BRANDS.has(word);
    if (brandLike) run.push(word);
    else flush();
    if (/[,.;:!?)"']$/.test(raw)) flush();
  }
  flush();
  return [...found.values()].slice(0, max);
}

function slug(text: string, separator = '-'): string {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(separator)
    .slice(0, 60);
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface AnswerRequest {
  taskType: TaskType;
  prompt: string;
  country: string;
  include?: Include | undefined;
  /** Link to the rendered page, given only when `include.html` was asked for. */
  htmlUrl?: string | undefined;
}

// A type literal, not an interface: it must fit the schema's open (looseObject) source type.
type Source = {
  position: number;
  url: string;
  label: string;
  description: string;
};

interface Candidate {
  name: string;
  domain: string;
  rate: number;
  fromPrompt: boolean;
}

/** The category's brands at their rates, then the brands the prompt names (catalogued or not) at the prompt-brand rate. */
function candidatesFor(req: AnswerRequest, category: Category, catalogue: BrandCatalogue): Candidate[] {
  const candidates = new Map<string, Candidate>();
  for (const brand of category.brands) {
    candidates.set(brand.name.toLowerCase(), {
      name: brand.name,
      domain: brand.domain,
      rate: rateFor(brand.rates, req.taskType, req.country),
      fromPrompt: false,
    });
  }
  const named = (name: string, domain: string) => {
    const key = name.toLowerCase();
    const within = [...candidates.values()].find((c) => c.name.toLowerCase() === key || containsTerm(c.name, name));
    const candidate = within ?? { name, domain, rate: 0, fromPrompt: true };
    candidates.set(candidate.name.toLowerCase(), { ...candidate, rate: catalogue.promptBrandRate, fromPrompt: true });
  };
  for (const brand of [...catalogue.categories.flatMap((c) => c.brands), ...catalogue.fallback.brands]) {
    if (containsTerm(req.prompt, brand.name)) named(brand.name, brand.domain);
  }
  for (const name of extractBrands(req.prompt)) named(name, `${slug(name, '')}.com`);
  return [...candidates.values()];
}

/** Each candidate named with its rate, likelier ones tending to come first (weighted random order). */
function drawMentions(candidates: Candidate[], rng: Rng): Candidate[] {
  const drawn = candidates.filter((c) => rng.chance(c.rate));
  const fromPrompt = candidates.filter((c) => c.fromPrompt);
  if (fromPrompt.length > 0 && !drawn.some((c) => c.fromPrompt)) drawn.push(rng.pick(fromPrompt));
  return drawn
    .map((c) => ({ c, key: rng.next() ** (1 / Math.max(c.rate, 0.01)) }))
    .sort((x, y) => y.key - x.key)
    .map(({ c }) => c);
}

function drawSources(
  req: AnswerRequest,
  mentioned: Candidate[],
  topic: string,
  category: Category,
  catalogue: BrandCatalogue,
  rng: Rng,
): Source[] {
  const own = mentioned
    .filter(() => rng.chance(rateFor(catalogue.ownSiteRates, req.taskType, req.country)))
    .map((brand) => ({ url: `https://www.${brand.domain}/`, label: brand.name, description: `Official site of ${brand.name}.` }));
  const { sites } = category;
  let cited = sites.filter((site) => rng.chance(rateFor(site.rates, req.taskType, req.country)));
  if (cited.length === 0 && own.length === 0) cited = [rng.pick(sites)];
  const reviews = cited.map((site) => ({
    url: `https://${site.host}/${slug(topic)}`,
    label: site.label,
    description: `${site.blurb}: ${topic}.`,
  }));
  // cloro numbers ChatGPT's citations from 0, every other engine's from 1.
  const first = req.taskType === 'CHATGPT' ? 0 : 1;
  return shuffle([...own, ...reviews], rng).map((source, i) => ({ position: i + first, ...source }));
}

export interface AnswerOptions {
  /** Draws for this answer; by default seeded from the engine, country and prompt. */
  rng?: Rng;
  catalogue?: BrandCatalogue;
}

export function generateAnswer(req: AnswerRequest, options: AnswerOptions = {}): TaskResult {
  const rng = options.rng ?? Rng.fromString(`${req.taskType}|${req.country}|${req.prompt}`);
  const catalogue = options.catalogue ?? DEFAULT_BRAND_CATALOGUE;
  const topic = req.prompt
    .trim()
    .replace(/[?.!]+$/, '')
    .slice(0, 120);
  const category = categoryFor(catalogue, req.prompt);
  const mentioned = drawMentions(candidatesFor(req, category, catalogue), rng);
  const sources = drawSources(req, mentioned, topic, category, catalogue, rng);
  const cite = (label: string) => sources.find((s) => s.label === label) ?? rng.pick(sources);

  const intro = rng.pick(INTROS)(topic);
  const lines = mentioned.map(({ name }) => ({ brand: name, aspect: rng.pick(ASPECTS), source: cite(name) }));
  const closing =
    req.country === 'US'
      ? 'Compare current pricing and reviews before deciding.'
      : `Availability and pricing can differ in ${req.country}; check local offers before deciding.`;
  const fallback = `It mostly depends on ${shuffle([...FACTORS], rng)
    .slice(0, 3)
    .join(', ')} [${sources[0]?.position ?? 1}].`;

  const text = [
    intro,
    ...(lines.length ? lines.map((l, i) => `${i + 1}. ${l.brand} ${l.aspect} [${l.source.position}].`) : [fallback]),
    closing,
  ].join('\n');

  const result: TaskResult = { model: MODELS[req.taskType], text, sources };
  if (req.include?.markdown) {
    result.markdown = [
      intro,
      '',
      ...(lines.length ? lines.map((l, i) => `${i + 1}. **${l.brand}** ${l.aspect} ([${l.source.label}](${l.source.url})).`) : [fallback]),
      '',
      closing,
    ].join('\n');
  }
  if (req.include?.html && req.htmlUrl) result.html = req.htmlUrl;
  if (req.taskType === 'CHATGPT' && req.include?.searchQueries) {
    result.searchQueries = [topic.toLowerCase(), `${topic.toLowerCase()} reviews`];
  }
  if (req.taskType === 'GOOGLE') {
    result.organicResults = sources.map((s) => ({ position: s.position, title: s.label, link: s.url, snippet: s.description }));
  }
  if (req.taskType === 'GOOGLE_NEWS') {
    result.newsResults = sources.map((s) => ({ position: s.position, title: `${s.label}: ${topic}`, link: s.url, source: s.label }));
  }
  return result;
}

/**
 * Answers for one simulated org: the n-th time the same engine, country and prompt is asked
 * draws from its own generator, seeded by (seed, n, cell). So samples and later runs of a
 * monitor differ a little, while the same seed and the same sequence of prompts give the same
 * answers whatever order other cells finish in.
 */
export class AnswerGenerator {
  private readonly asked = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly catalogue: BrandCatalogue = DEFAULT_BRAND_CATALOGUE,
  ) {}

  answer(req: AnswerRequest): TaskResult {
    const cell = `${req.taskType}|${req.country}|${req.prompt}`;
    const n = this.asked.get(cell) ?? 0;
    this.asked.set(cell, n + 1);
    return generateAnswer(req, { rng: Rng.fromString(`${this.seed}|${n}|${cell}`), catalogue: this.catalogue });
  }
}

/** The page an `html` link shows: the answer text as a minimal document. */
export function renderHtml(result: TaskResult): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  const paragraphs = (result.text ?? '').split('\n').map((line) => `<p>${escape(line)}</p>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(result.model ?? 'answer')}</title></head><body>${paragraphs.join('')}</body></html>`;
}

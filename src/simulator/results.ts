/**
 * Plausible answers generated from the request alone: the same prompt, engine and
 * country always give the same text and sources, so tests and brand metrics are
 * reproducible. Capitalised names in the prompt are taken as brands; each engine
 * mentions a deterministic subset of them in its own order, which gives brand
 * monitoring something to measure (mention rate, position, share of voice, citations).
 */
import type { Include, TaskResult, TaskType } from '../cloro/schemas';
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

const GENERIC_SITES = [
  { domain: 'en.wikipedia.org', label: 'Wikipedia', blurb: 'Encyclopedia overview' },
  { domain: 'www.reddit.com', label: 'Reddit', blurb: 'Community discussion' },
  { domain: 'www.forbes.com', label: 'Forbes', blurb: 'Analysis and rankings' },
  { domain: 'www.g2.com', label: 'G2', blurb: 'User reviews and comparisons' },
  { domain: 'www.nytimes.com', label: 'The New York Times', blurb: 'News coverage' },
  { domain: 'www.techradar.com', label: 'TechRadar', blurb: 'Buying guide' },
  { domain: 'www.trustpilot.com', label: 'Trustpilot', blurb: 'Customer reviews' },
  { domain: 'www.youtube.com', label: 'YouTube', blurb: 'Video reviews' },
];

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

export function generateAnswer(req: AnswerRequest): TaskResult {
  const rng = Rng.fromString(`${req.taskType}|${req.country}|${req.prompt}`);
  const topic = req.prompt
    .trim()
    .replace(/[?.!]+$/, '')
    .slice(0, 120);
  const brands = extractBrands(req.prompt);
  let mentioned = brands.filter(() => rng.chance(0.75));
  if (mentioned.length === 0 && brands.length > 0) mentioned = [rng.pick(brands)];
  mentioned = shuffle(mentioned, rng);

  const generic = shuffle([...GENERIC_SITES], rng).slice(0, rng.int(2, 4));
  const sources: Source[] = shuffle(
    [
      ...mentioned.map((brand) => ({
        url: `https://www.${slug(brand, '')}.com/`,
        label: brand,
        description: `Official site of ${brand}.`,
      })),
      ...generic.map((site) => ({
        url: `https://${site.domain}/${slug(topic)}`,
        label: site.label,
        description: `${site.blurb}: ${topic}.`,
      })),
    ],
    rng,
  ).map((source, i) => ({ position: i + 1, ...source }));
  const cite = (label: string) => sources.find((s) => s.label === label) ?? (sources[0] as Source);

  const intro = rng.pick(INTROS)(topic);
  const lines = mentioned.map((brand) => ({ brand, aspect: rng.pick(ASPECTS), source: cite(brand) }));
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

/** The page an `html` link shows: the answer text as a minimal document. */
export function renderHtml(result: TaskResult): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  const paragraphs = (result.text ?? '').split('\n').map((line) => `<p>${escape(line)}</p>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(result.model ?? 'answer')}</title></head><body>${paragraphs.join('')}</body></html>`;
}

/**
 * What of a cloro result is analysed: the prose an engine wrote and the URLs it cited. The
 * result schema is loose (engine-specific blocks pass through), so the Google and Perplexity
 * blocks are read defensively here: anything of the wrong shape is ignored, never thrown.
 *
 * Text, first that is non-empty:
 *   1. `text` (every AI engine);
 *   2. `markdown`, with links, images and emphasis stripped so URLs do not count;
 *   3. Google's page: the AI Overview's text (`aioverview` / `aiOverview` / `ai_overview`),
 *      then each organic and news result's title and snippet, one per line.
 * Cited URLs, in this order: `sources`, `citations`, `citationPills` (any of the snake_case
 * spellings), the AI Overview's sources, organic results, news results. Ads, shopping cards and
 * "people also ask" are not citations.
 */
import type { TaskResult } from '../cloro/schemas';

type Block = Record<string, unknown>;

function isBlock(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The first of `keys` that holds an array in `block`, or []. */
function arrayAt(block: Block, keys: readonly string[]): unknown[] {
  for (const key of keys) {
    const value = block[key];
    if (Array.isArray(value)) return value;
  }
  return [];
}

function blockAt(block: Block, keys: readonly string[]): Block | null {
  for (const key of keys) {
    const value = block[key];
    if (isBlock(value)) return value;
  }
  return null;
}

const OVERVIEW = ['aioverview', 'aiOverview', 'ai_overview'];
const ORGANIC = ['organicResults', 'organic_results', 'organic'];
const NEWS = ['newsResults', 'news_results'];
const CITATION_LISTS = [['sources'], ['citations'], ['citationPills', 'citation_pills']];

/** Markdown reduced to its words: link and image targets, autolinks, tags and emphasis removed. */
export function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, '') // link reference definitions
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images → alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // inline links → link text
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1') // reference links → link text
    .replace(/<(?:https?:\/\/|mailto:)[^>]*>/gi, '') // autolinks
    .replace(/<\/?[a-z][^>]*>/gi, '') // inline HTML tags
    .replace(/^\s{0,3}#{1,6}\s+/gm, '') // headings
    .replace(/^\s{0,3}>\s?/gm, '') // block quotes
    .replace(/(\*{1,3}|_{1,3}|~~)(?=\S)([^\n]*?\S)\1/g, '$2') // emphasis, strong, strike-through
    .replace(/`+/g, ''); // code spans
}

function overviewText(overview: Block): string | null {
  const text = nonEmptyString(overview.text);
  if (text !== null) return text;
  const markdown = nonEmptyString(overview.markdown);
  return markdown === null ? null : stripMarkdown(markdown);
}

/** The prose analysed for mentions (see the rules above); '' when the result has none. */
export function answerText(result: TaskResult): string {
  const text = nonEmptyString(result.text);
  if (text !== null) return text;
  const markdown = nonEmptyString(result.markdown);
  if (markdown !== null) return stripMarkdown(markdown);

  const parts: string[] = [];
  const overview = blockAt(result, OVERVIEW);
  const overviewProse = overview && overviewText(overview);
  if (overviewProse) parts.push(overviewProse);
  for (const item of [...arrayAt(result, ORGANIC), ...arrayAt(result, NEWS)]) {
    if (!isBlock(item)) continue;
    const line = [item.title, item.snippet ?? item.description].map(nonEmptyString).filter((s) => s !== null);
    if (line.length) parts.push(line.join(' — '));
  }
  return parts.join('\n');
}

function urlOf(item: unknown): string | null {
  if (typeof item === 'string') return nonEmptyString(item);
  if (!isBlock(item)) return null;
  return nonEmptyString(item.url) ?? nonEmptyString(item.link);
}

function citationUrls(block: Block): string[] {
  return CITATION_LISTS.flatMap((keys) => arrayAt(block, keys).map(urlOf)).filter((u): u is string => u !== null);
}

/** Every cited URL in order of citation (duplicates kept; positions ignored, they start at 0 on ChatGPT). */
export function citedUrls(result: TaskResult): string[] {
  const overview = blockAt(result, OVERVIEW);
  const listed = [...arrayAt(result, ORGANIC), ...arrayAt(result, NEWS)].map(urlOf).filter((u): u is string => u !== null);
  return [...citationUrls(result), ...(overview ? citationUrls(overview) : []), ...listed];
}

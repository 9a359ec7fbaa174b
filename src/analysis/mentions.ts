/**
 * Finding a brand in an answer's text. The rules (see README.md):
 * - case-, accent- and Turkish-dotless-i-insensitive: "Société Générale", "SOCIETE GENERALE"
 *   and "société générale" are one name;
 * - word-bounded: a letter, digit or `_` right before or after the match rejects it, so
 *   "HubSpot" is not in "HubSpotter" and "Acme" is not in "Acmes" (add the plural as an alias if
 *   it should count); punctuation, spaces, hyphens and apostrophes are boundaries ("HubSpot's",
 *   "HubSpot-based"). Next to a script written without spaces (Chinese, Japanese, Thai…) no
 *   boundary is required, so "小米" is found in "我推荐小米手机" and "HubSpot" in "使用HubSpot的";
 * - never inside a link: URLs (with a scheme, starting `www.`, or a domain followed by a path)
 *   and e-mail addresses are skipped; a bare domain written as prose ("hubspot.com") is text;
 * - a brand's name, aliases and domains are all its terms; overlapping matches of one brand
 *   ("Monday" inside "monday.com") count once, the longest winning.
 */
import { normaliseDomain } from './domains';
import type { BrandTerms } from './types';

export interface MentionMatch {
  count: number;
  /** Offset in the original text of the first counted match; null when none. */
  firstOffset: number | null;
}

interface Span {
  start: number;
  end: number;
}

// Letters that neither NFD nor lowercasing folds to their ASCII look-alike.
const EXTRA_FOLDS: Readonly<Record<string, string>> = { ı: 'i', ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th' };

function foldCodePoint(ch: string): string {
  const folded = ch.normalize('NFD').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  return [...folded].map((c) => EXTRA_FOLDS[c] ?? c).join('');
}

/** The text folded for matching, and for each folded UTF-16 unit the offset it came from. */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const f = foldCodePoint(ch);
    folded += f;
    for (let i = 0; i < f.length; i++) origin.push(offset);
    offset += ch.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const UNSPACED_SCRIPT = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{sc=Tibetan}]/u;

/** True when `edge` (a term's first or last char) and `neighbour` (the text's char beside it) run together as one word. */
function joins(edge: string, neighbour: string | undefined): boolean {
  if (neighbour === undefined || !WORD_CHAR.test(edge) || !WORD_CHAR.test(neighbour)) return false;
  return !UNSPACED_SCRIPT.test(edge) && !UNSPACED_SCRIPT.test(neighbour);
}

const LINK =
  /(?<![\p{L}\p{N}])(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>()[\]"'`]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+|(?<![\p{L}\p{N}.])[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+\/[^\s<>()[\]"'`]*/giu;

/** Spans of the text that are links or e-mail addresses, where no mention is counted. */
export function linkSpans(text: string): Span[] {
  return [...text.matchAll(LINK)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** Last code point of a string (a whole surrogate pair, not half of one). */
function lastChar(s: string): string {
  return [...s].at(-1) ?? '';
}

function termMatches(folded: string, origin: number[], term: string, links: Span[]): Span[] {
  const needle = fold(term.trim()).folded;
  if (!needle) return [];
  const first = String.fromCodePoint(needle.codePointAt(0) ?? 0);
  const last = lastChar(needle);
  const spans: Span[] = [];
  for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + 1)) {
    const before = lastChar(folded.slice(Math.max(0, at - 2), at)) || undefined;
    const after = folded.slice(at + needle.length).codePointAt(0);
    if (joins(first, before) || joins(last, after === undefined ? undefined : String.fromCodePoint(after))) continue;
    const span = { start: origin[at] ?? 0, end: origin[at + needle.length] ?? 0 };
    if (links.some((l) => span.start < l.end && l.start < span.end)) continue;
    spans.push(span);
  }
  return spans;
}

/** All of a brand's terms: its name, aliases and domains (as bare hosts: `hubspot.com`). */
export function brandTerms(brand: BrandTerms): string[] {
  return [brand.name, ...brand.aliases, ...brand.domains.map((d) => normaliseDomain(d) ?? d)];
}

/** How often, and first where, any of `terms` appears in `text` by the rules above. */
export function findMentions(text: string, terms: readonly string[]): MentionMatch {
  const { folded, origin } = fold(text);
  const links = linkSpans(text);
  const spans = terms.flatMap((term) => termMatches(folded, origin, term, links)).sort((a, b) => a.start - b.start || b.end - a.end);
  let count = 0;
  let firstOffset: number | null = null;
  let reached = 0;
  for (const span of spans) {
    if (span.start < reached) continue;
    count++;
    firstOffset ??= span.start;
    reached = span.end;
  }
  return { count, firstOffset };
}

/** One answer → one AnswerAnalysis: who is named, in what order, and which sites are cited. */
import { answerText, citedUrls } from './answer-content';
import { isOnDomains, uniqueDomains } from './domains';
import { brandTerms, findMentions, type MentionMatch } from './mentions';
import { METHODOLOGY_VERSION, type AnswerAnalysis, type AnswerInput, type BrandMention, type Tracked } from './types';

/** 1-based rank of each found brand by first mention (ties: tracked order, brand first); null when not found. */
function ranks(matches: readonly MentionMatch[]): (number | null)[] {
  const order = matches
    .map((m, index) => ({ offset: m.firstOffset, index }))
    .filter((m): m is { offset: number; index: number } => m.offset !== null)
    .sort((a, b) => a.offset - b.offset || a.index - b.index);
  const rank: (number | null)[] = matches.map(() => null);
  order.forEach((m, i) => (rank[m.index] = i + 1));
  return rank;
}

export function analyzeAnswer(input: AnswerInput, tracked: Tracked): AnswerAnalysis {
  const result = input.status === 'COMPLETED' ? input.result : null;
  const text = result ? answerText(result) : '';
  const urls = result ? citedUrls(result) : [];
  const brands = [tracked.brand, ...tracked.competitors];
  const matches = brands.map((brand) => findMentions(text, brandTerms(brand)));
  const rank = ranks(matches);
  const mentions: BrandMention[] = brands.map((brand, i) => {
    const match = matches[i] as MentionMatch;
    return {
      brand: brand.name,
      mentioned: match.count > 0,
      count: match.count,
      firstOffset: match.firstOffset,
      rank: rank[i] ?? null,
      cited: urls.some((url) => isOnDomains(url, brand.domains)),
    };
  });
  return {
    workflowId: input.workflowId,
    runId: input.runId,
    engine: input.engine,
    country: input.country,
    promptId: input.promptId,
    tags: [...input.tags],
    sample: input.sample,
    brand: mentions[0] as BrandMention,
    competitors: mentions.slice(1),
    citedDomains: uniqueDomains(urls),
    analysable: result !== null,
    methodologyVersion: METHODOLOGY_VERSION,
  };
}

/**
 * Who simulated answers name, and how often: brands and cited sites per product category,
 * each with a rate per engine and country. Data, not logic, so a test or a demo can swap it
 * (`BrandCatalogueSchema`). The rates are made up but shaped like real monitoring data: the
 * same brand is named more by one engine than another and more in one country than another,
 * so mention rate, share of voice, position and citation share all differ by cut.
 */
import { z } from 'zod';
import type { TaskType } from '../cloro/schemas';

/**
 * Probability by `ENGINE:COUNTRY`, `ENGINE`, `*:COUNTRY` or `*`; the most specific key that
 * matches wins, none gives 0.
 */
export const RateTableSchema = z.record(
  z.string().regex(/^(\*|[A-Z_]+)(:[A-Z]{2})?$/, 'keys are ENGINE:COUNTRY, ENGINE, *:COUNTRY or *'),
  z.number().min(0).max(1),
);
export type RateTable = z.infer<typeof RateTableSchema>;

export const CatalogueBrandSchema = z.strictObject({
  name: z.string().min(1),
  /** Registrable domain, cited as `https://www.<domain>/`. */
  domain: z.string().min(1),
  /** How often an answer in this category names the brand. */
  rates: RateTableSchema,
});
export type CatalogueBrand = z.infer<typeof CatalogueBrandSchema>;

export const CatalogueSiteSchema = z.strictObject({
  /** Host as cited (`www.g2.com`, `en.wikipedia.org`). */
  host: z.string().min(1),
  label: z.string().min(1),
  blurb: z.string().min(1),
  /** How often an answer in this category cites the site. */
  rates: RateTableSchema,
});
export type CatalogueSite = z.infer<typeof CatalogueSiteSchema>;

export const CategorySchema = z.strictObject({
  name: z.string().min(1),
  /** Lower-case words or phrases; a prompt containing one (word-bounded) is in the category. */
  keywords: z.array(z.string().min(1)),
  brands: z.array(CatalogueBrandSchema),
  sites: z.array(CatalogueSiteSchema).min(1),
});
export type Category = z.infer<typeof CategorySchema>;

export const BrandCatalogueSchema = z.strictObject({
  categories: z.array(CategorySchema),
  /** For prompts no category matches. */
  fallback: CategorySchema,
  /** How often an answer names a brand the prompt itself names. */
  promptBrandRate: z.number().min(0).max(1),
  /** How often an answer that names a brand also cites the brand's own site. */
  ownSiteRates: RateTableSchema,
});
export type BrandCatalogue = z.infer<typeof BrandCatalogueSchema>;

export function rateFor(table: RateTable, engine: TaskType, country: string): number {
  return table[`${engine}:${country}`] ?? table[engine] ?? table[`*:${country}`] ?? table['*'] ?? 0;
}

/** `term` occurs in `text` as whole words, ignoring case. */
export function containsTerm(text: string, term: string): boolean {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

/** The category with the most keyword and brand-name hits in the prompt (the first on a tie), else the fallback. */
export function categoryFor(catalogue: BrandCatalogue, prompt: string): Category {
  let best = catalogue.fallback;
  let bestHits = 0;
  for (const category of catalogue.categories) {
    const terms = [...category.keywords, ...category.brands.map((b) => b.name)];
    const hits = terms.filter((term) => containsTerm(prompt, term)).length;
    if (hits > bestHits) [best, bestHits] = [category, hits];
  }
  return best;
}

const REVIEW_SITES = {
  g2: { host: 'www.g2.com', label: 'G2', blurb: 'User reviews and comparisons' },
  capterra: { host: 'www.capterra.com', label: 'Capterra', blurb: 'Software reviews' },
  forbes: { host: 'www.forbes.com', label: 'Forbes Advisor', blurb: 'Analysis and rankings' },
  techradar: { host: 'www.techradar.com', label: 'TechRadar', blurb: 'Buying guide' },
  reddit: { host: 'www.reddit.com', label: 'Reddit', blurb: 'Community discussion' },
  wikipedia: { host: 'en.wikipedia.org', label: 'Wikipedia', blurb: 'Encyclopedia overview' },
};

/** Review sites with rates tilted per engine: Perplexity leans on G2 and Reddit, ChatGPT on Forbes and Wikipedia, GB on TechRadar. */
const SOFTWARE_SITES: CatalogueSite[] = [
  { ...REVIEW_SITES.g2, rates: { '*': 0.45, PERPLEXITY: 0.7, 'PERPLEXITY:GB': 0.55 } },
  { ...REVIEW_SITES.capterra, rates: { '*': 0.3, PERPLEXITY: 0.45, '*:GB': 0.4 } },
  { ...REVIEW_SITES.forbes, rates: { '*': 0.3, CHATGPT: 0.5, 'CHATGPT:GB': 0.35 } },
  { ...REVIEW_SITES.techradar, rates: { '*': 0.2, '*:GB': 0.5 } },
  { ...REVIEW_SITES.reddit, rates: { '*': 0.2, PERPLEXITY: 0.5 } },
  { ...REVIEW_SITES.wikipedia, rates: { '*': 0.15, CHATGPT: 0.35 } },
];

export const DEFAULT_BRAND_CATALOGUE: BrandCatalogue = {
  categories: [
    {
      name: 'crm',
      keywords: ['crm', 'customer relationship', 'sales pipeline', 'sales team', 'lead management', 'sales software'],
      brands: [
        {
          name: 'HubSpot',
          domain: 'hubspot.com',
          rates: { '*': 0.5, 'CHATGPT:US': 0.55, 'CHATGPT:GB': 0.6, 'PERPLEXITY:US': 0.7, 'PERPLEXITY:GB': 0.4 },
        },
        { name: 'Salesforce', domain: 'salesforce.com', rates: { '*': 0.65, PERPLEXITY: 0.75, 'CHATGPT:GB': 0.5 } },
        { name: 'Pipedrive', domain: 'pipedrive.com', rates: { '*': 0.4, CHATGPT: 0.45, 'PERPLEXITY:GB': 0.55 } },
        { name: 'Zoho CRM', domain: 'zoho.com', rates: { '*': 0.35, 'PERPLEXITY:US': 0.25, 'CHATGPT:GB': 0.45 } },
        { name: 'Freshsales', domain: 'freshworks.com', rates: { '*': 0.2, PERPLEXITY: 0.3 } },
        { name: 'monday.com', domain: 'monday.com', rates: { '*': 0.25, '*:GB': 0.3 } },
      ],
      sites: SOFTWARE_SITES,
    },
    {
      name: 'project-management',
      keywords: ['project management', 'task management', 'kanban', 'project tool', 'project tracking'],
      brands: [
        { name: 'Asana', domain: 'asana.com', rates: { '*': 0.6, PERPLEXITY: 0.65 } },
        { name: 'Trello', domain: 'trello.com', rates: { '*': 0.5, CHATGPT: 0.6 } },
        { name: 'monday.com', domain: 'monday.com', rates: { '*': 0.55, '*:GB': 0.45 } },
        { name: 'Jira', domain: 'atlassian.com', rates: { '*': 0.4 } },
        { name: 'ClickUp', domain: 'clickup.com', rates: { '*': 0.35, PERPLEXITY: 0.5 } },
        { name: 'Notion', domain: 'notion.so', rates: { '*': 0.3 } },
      ],
      sites: SOFTWARE_SITES,
    },
  ],
  fallback: {
    name: 'generic',
    keywords: [],
    brands: [
      { name: 'Northwind', domain: 'northwind.com', rates: { '*': 0.35, CHATGPT: 0.45 } },
      { name: 'Contoso', domain: 'contoso.com', rates: { '*': 0.3, PERPLEXITY: 0.4 } },
      { name: 'Globex', domain: 'globex.com', rates: { '*': 0.25, '*:GB': 0.35 } },
      { name: 'Initech', domain: 'initech.com', rates: { '*': 0.2 } },
    ],
    sites: [
      { ...REVIEW_SITES.wikipedia, rates: { '*': 0.35, CHATGPT: 0.5 } },
      { ...REVIEW_SITES.reddit, rates: { '*': 0.3, PERPLEXITY: 0.55 } },
      { ...REVIEW_SITES.forbes, rates: { '*': 0.25 } },
      { host: 'www.nytimes.com', label: 'The New York Times', blurb: 'News coverage', rates: { '*': 0.2, '*:GB': 0.1 } },
      { host: 'www.trustpilot.com', label: 'Trustpilot', blurb: 'Customer reviews', rates: { '*': 0.2, '*:GB': 0.35 } },
      { host: 'www.youtube.com', label: 'YouTube', blurb: 'Video reviews', rates: { '*': 0.2 } },
    ],
  },
  promptBrandRate: 0.85,
  ownSiteRates: { '*': 0.4, CHATGPT: 0.3, PERPLEXITY: 0.6, 'PERPLEXITY:GB': 0.45, GOOGLE: 0.9, GOOGLE_NEWS: 0.5, AIMODE: 0.55 },
};

import { brandTerms, findMentions, linkSpans } from '../../../src/analysis/mentions';

const find = (text: string, ...terms: string[]) => findMentions(text, terms);

describe('findMentions', () => {
  it('finds a name case-insensitively and counts every occurrence', () => {
    expect(find('hubspot first, then HUBSPOT and HubSpot.', 'HubSpot')).toEqual({ count: 3, firstOffset: 0 });
  });

  it('counts a name or any alias and reports the earliest offset', () => {
    expect(find('Try Zoho, or Zoho CRM if you need more.', 'Zoho CRM', 'Zoho')).toEqual({ count: 2, firstOffset: 4 });
  });

  it('does not match inside a longer word: HubSpotter, Acmes, Acme2', () => {
    expect(find('The HubSpotter newsletter', 'HubSpot').count).toBe(0);
    expect(find('Acmes everywhere; Acme2 too; xAcme', 'Acme').count).toBe(0);
  });

  it('treats punctuation, hyphens and apostrophes as boundaries', () => {
    expect(find("HubSpot's CRM, HubSpot-based tools (HubSpot) and “HubSpot”", 'HubSpot').count).toBe(4);
  });

  it('ignores a name inside a URL or e-mail address', () => {
    const text = 'See https://salesforce.com/x, www.salesforce.com, salesforce.com/pricing and sales@salesforce.com.';
    expect(find(text, 'Salesforce').count).toBe(0);
  });

  it('counts a bare domain written as prose, once even when name and domain overlap', () => {
    expect(find('Go to hubspot.com today.', 'HubSpot', 'hubspot.com')).toEqual({ count: 1, firstOffset: 6 });
    expect(find('Monday (monday.com) is popular; Monday wins.', 'Monday', 'monday.com')).toEqual({ count: 3, firstOffset: 0 });
  });

  it('matches with or without accents, either way round', () => {
    expect(find('Societe Generale and SOCIÉTÉ GÉNÉRALE', 'Société Générale').count).toBe(2);
    expect(find('Société Générale', 'Societe Generale')).toEqual({ count: 1, firstOffset: 0 });
    // Decomposed input (e + combining acute) is the same name, and offsets stay in the original text.
    expect(find('About Socie\u0301te\u0301 Ge\u0301ne\u0301rale', 'Société Générale')).toEqual({ count: 1, firstOffset: 6 });
  });

  it('finds CJK names with no spaces around them, and Latin names inside CJK text', () => {
    expect(find('我推荐小米手机，小米很好', '小米')).toEqual({ count: 2, firstOffset: 3 });
    expect(find('使用HubSpot的团队', 'HubSpot')).toEqual({ count: 1, firstOffset: 2 });
    expect(find('トヨタの車', 'トヨタ').count).toBe(1);
  });

  it('folds Turkish dotted and dotless i without crashing', () => {
    expect(find('IŞIK Üniversitesi ve Işık', 'Işık').count).toBe(2);
    expect(find('İSTANBUL', 'istanbul').count).toBe(1);
    expect(find('ıiİI', 'x').count).toBe(0);
  });

  it('keeps offsets right after astral characters such as emoji', () => {
    expect(find('🚀 HubSpot', 'HubSpot').firstOffset).toBe(3);
  });

  it('ignores empty and blank terms instead of matching everything', () => {
    expect(find('anything', '', '  ')).toEqual({ count: 0, firstOffset: null });
  });

  it('finds nothing in empty text', () => {
    expect(find('', 'HubSpot')).toEqual({ count: 0, firstOffset: null });
  });
});

describe('brandTerms', () => {
  it('uses the name, aliases and domains as bare hosts', () => {
    expect(brandTerms({ name: 'HubSpot', aliases: ['Hubspot CRM'], domains: ['https://www.hubspot.com/'] })).toEqual([
      'HubSpot',
      'Hubspot CRM',
      'hubspot.com',
    ]);
  });
});

describe('linkSpans', () => {
  it('covers URLs with a scheme, www. links, domains with a path and e-mail addresses', () => {
    const text = 'a https://x.io/p b www.y.com c z.org/q d me@w.net e plain.com';
    expect(linkSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(['https://x.io/p', 'www.y.com', 'z.org/q', 'me@w.net']);
  });
});

import { hostOf, isOnDomains, registrableDomain, uniqueDomains } from '../../../src/analysis/domains';

describe('registrableDomain', () => {
  it.each([
    ['https://www.hubspot.com/pricing', 'hubspot.com'],
    ['https://blog.hubspot.com/a?b=c#d', 'hubspot.com'],
    ['https://WWW.BBC.CO.UK/news', 'bbc.co.uk'],
    ['https://news.bbc.co.uk/x', 'bbc.co.uk'],
    ['https://foo.github.io/repo', 'foo.github.io'],
    ['https://en.wikipedia.org/wiki/CRM', 'wikipedia.org'],
    ['hubspot.com/x', 'hubspot.com'],
    ['http://127.0.0.1:8080/x', '127.0.0.1'],
  ])('%s → %s', (url, domain) => {
    expect(registrableDomain(url)).toBe(domain);
  });

  it.each(['', 'not a url', 'javascript:void(0)', 'mailto:a@b.com', 'https://', 'ftp://example.com/file', 'garbage'])('skips %p', (url) => {
    expect(registrableDomain(url)).toBeNull();
  });
});

describe('hostOf', () => {
  it('turns an internationalised host into its ASCII form', () => {
    expect(hostOf('https://bücher.de/x')).toBe('xn--bcher-kva.de');
  });
});

describe('isOnDomains', () => {
  it('accepts the domain and its subdomains, not look-alikes', () => {
    expect(isOnDomains('https://hubspot.com/', ['hubspot.com'])).toBe(true);
    expect(isOnDomains('https://knowledge.hubspot.com/x', ['hubspot.com'])).toBe(true);
    expect(isOnDomains('https://nothubspot.com/', ['hubspot.com'])).toBe(false);
    expect(isOnDomains('https://hubspot.com.evil.io/', ['hubspot.com'])).toBe(false);
  });

  it('reads brand domains written as URLs or with www.', () => {
    expect(isOnDomains('https://hubspot.com/x', ['https://www.HubSpot.com/'])).toBe(true);
  });

  it('is false for a bad URL', () => {
    expect(isOnDomains('::::', ['hubspot.com'])).toBe(false);
  });
});

describe('uniqueDomains', () => {
  it('keeps each registrable domain once, in order of first citation, skipping bad URLs', () => {
    expect(
      uniqueDomains(['https://www.g2.com/a', 'garbage', 'https://blog.hubspot.com/', 'https://g2.com/b', 'https://www.bbc.co.uk/']),
    ).toEqual(['g2.com', 'hubspot.com', 'bbc.co.uk']);
  });
});

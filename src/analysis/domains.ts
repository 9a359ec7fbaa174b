/**
 * Which web sites an answer cites. A URL is reduced to its registrable domain with the Public
 * Suffix List (tldts, private suffixes included), so `news.bbc.co.uk` groups as `bbc.co.uk`
 * and `foo.github.io` stays apart from `bar.github.io`. Bad URLs are skipped, never thrown.
 */
import { getDomain } from 'tldts';

const PSL_OPTIONS = { allowPrivateDomains: true } as const;

/** Lowercased (punycode) host of an http(s) URL (a bare `example.com/x` is read as https), or null. */
export function hostOf(url: string): string | null {
  const trimmed = url.trim();
  if (!trimmed) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed);
  const withScheme = hasScheme ? trimmed : `https://${trimmed.replace(/^\/\//, '')}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  // Without a scheme only something that looks like a domain is read as one ("garbage" is not).
  return host && (hasScheme || host.includes('.')) ? host : null;
}

/**
 * Registrable domain of a URL (`www.` and other subdomains dropped). Hosts outside the
 * suffix list (an IP address, `localhost`) keep their host, `www.` stripped.
 */
export function registrableDomain(url: string): string | null {
  const host = hostOf(url);
  if (host === null) return null;
  return getDomain(host, PSL_OPTIONS) ?? host.replace(/^www\./, '');
}

/** A brand domain as configured (`https://www.HubSpot.com/` or `hubspot.com`) in the form hosts are compared in. */
export function normaliseDomain(domain: string): string | null {
  const host = hostOf(domain);
  return host === null ? null : host.replace(/^www\./, '');
}

/** The URL's host is one of `domains` or a subdomain of one (`blog.acme.io` for `acme.io`, never `notacme.io`). */
export function isOnDomains(url: string, domains: readonly string[]): boolean {
  const host = hostOf(url);
  if (host === null) return false;
  return domains.some((raw) => {
    const domain = normaliseDomain(raw);
    return domain !== null && (host === domain || host.endsWith(`.${domain}`));
  });
}

/** Registrable domains of `urls`, each once, in order of first appearance; bad URLs skipped. */
export function uniqueDomains(urls: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const url of urls) {
    const domain = registrableDomain(url);
    if (domain !== null) seen.add(domain);
  }
  return [...seen];
}

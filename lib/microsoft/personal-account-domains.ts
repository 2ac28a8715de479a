// Domains of personal Microsoft accounts (Outlook.com; reference §8): outlook.com, hotmail.com, live.com,
// msn.com and their regional variants (hotmail.co.uk, outlook.de, live.com.au, …). Microsoft holds these
// names across country-code domains, so a two-letter suffix, co.xx or com.xx after one of the brands counts.

const BRANDS = "(?:outlook|hotmail|live|msn|windowslive|passport)";
const PERSONAL_DOMAIN = new RegExp(`^${BRANDS}\\.(?:com|net|[a-z]{2}|co\\.[a-z]{2}|com\\.[a-z]{2})$`);

export const WELL_KNOWN_PERSONAL_DOMAINS = ["outlook.com", "hotmail.com", "live.com", "msn.com"] as const;

/** The domain of an address (after the last @), or the value itself, lower case. */
export function domainOf(addressOrDomain: string): string {
  const v = addressOrDomain.trim().toLowerCase();
  return v.slice(v.lastIndexOf("@") + 1);
}

export function isPersonalAccountDomain(addressOrDomain: string): boolean {
  return PERSONAL_DOMAIN.test(domainOf(addressOrDomain));
}

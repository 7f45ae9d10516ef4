/**
 * Countries of shipping addresses as ISO 3166-1 alpha-2 codes (upper case).
 *
 * Policy for what the export leaves open: an alpha-2 code in any case is taken
 * when ICU knows it as a region ("UK" is read as "GB", as people write it); a
 * country name is taken when it is the English or a store language's name of
 * exactly one region ("United Kingdom", "Deutschland", "Polska"). Anything else
 * is rejected rather than guessed. The names come from ICU (Intl.DisplayNames),
 * so no hand-kept table drifts out of date.
 */
import { invalid, parsed, type ParseResult } from './parseResult';

const NAME_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pl'];
const EXTRA_NAMES: Record<string, string> = {
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  usa: 'US',
  'united states of america': 'US',
};

/**
 * Codes ICU names that are not ISO 3166-1 assigned countries: exceptional or
 * transitional reservations (UK, FX, EU, ...), private-use codes and "ZZ".
 */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'FX', 'IC', 'QO', 'TA', 'UK', 'UN', 'XA', 'XB', 'ZZ']);

let regionCodes: Set<string> | undefined;
let regionNames: Map<string, string> | undefined;

function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

function loadRegions(): { codes: Set<string>; names: Map<string, string> } {
  if (regionCodes && regionNames) return { codes: regionCodes, names: regionNames };
  const codes = new Set<string>();
  const names = new Map<string, string>();
  const english = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const displays = NAME_LANGUAGES.map((language) => new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }));
  const A = 'A'.charCodeAt(0);
  for (let first = 0; first < 26; first++) {
    for (let second = 0; second < 26; second++) {
      const code = String.fromCharCode(A + first, A + second);
      const name = english.of(code);
      // ICU answers for reserved/unknown codes with the code itself or nothing.
      if (!name || name === code || NOT_COUNTRIES.has(code)) continue;
      codes.add(code);
      for (const display of displays) {
        const localName = display.of(code);
        if (localName) names.set(foldName(localName), code);
      }
    }
  }
  for (const [name, code] of Object.entries(EXTRA_NAMES)) names.set(name, code);
  regionCodes = codes;
  regionNames = names;
  return { codes, names };
}

export function parseCountry(value: string): ParseResult<string> {
  const text = value.trim();
  const { codes, names } = loadRegions();
  if (/^[A-Za-z]{2}$/.test(text)) {
    const code = text.toUpperCase();
    if (code === 'UK') return parsed('GB');
    if (codes.has(code)) return parsed(code);
    return invalid(`"${text}" is not an ISO 3166-1 country code`);
  }
  const byName = names.get(foldName(text));
  if (byName) return parsed(byName);
  return invalid(`"${text}" is neither an ISO 3166-1 alpha-2 code nor a known country name`);
}

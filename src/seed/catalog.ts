/**
 * The world the synthetic export describes: POCO's regional stores with their
 * currencies, VAT rates, time zones and carriers, and a product catalogue
 * priced the way po.co priced it (phones 199–699 EUR, accessories 9–49 EUR).
 */
import type { CurrencyCode, PocoStore } from '../shared/codes';

export interface StoreProfile {
  /** Relative share of accounts. */
  weight: number;
  /** Possible currencies; GLOBAL sold in USD and EUR. */
  currencies: readonly CurrencyCode[];
  /** VAT included in prices; GLOBAL sold without VAT. */
  vatRate: number;
  /** IANA zone of the store's wall-clock timestamps (format doc, quirk 1). */
  timeZone: string;
  carriers: readonly string[];
  countries: readonly string[];
  cities: readonly string[];
  streets: readonly string[];
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** Uses a decimal comma in its exports (format doc, quirk 2). */
  decimalComma: boolean;
}

export const STORES: Readonly<Record<PocoStore, StoreProfile>> = {
  GLOBAL: {
    weight: 30,
    currencies: ['USD', 'EUR'],
    vatRate: 0,
    timeZone: 'UTC',
    carriers: ['DHL Express', 'FedEx', 'UPS'],
    countries: ['NL', 'BE', 'PT', 'GR', 'CZ', 'AT', 'IE'],
    cities: ['Amsterdam', 'Brussels', 'Lisbon', 'Athens', 'Prague', 'Vienna', 'Dublin'],
    streets: ['Keizersgracht', 'Rue Neuve', 'Rua Augusta', 'Ermou', 'Národní', 'Mariahilfer Straße', 'Grafton Street'],
    firstNames: ['Alex', 'Sam', 'Noah', 'Emma', 'Lucas', 'Mia', 'Jan', 'Eva'],
    lastNames: ['de Vries', 'Peeters', 'Silva', 'Papadopoulos', 'Novak', 'Gruber', 'Murphy'],
    decimalComma: false,
  },
  UK: {
    weight: 12,
    currencies: ['GBP'],
    vatRate: 0.2,
    timeZone: 'Europe/London',
    carriers: ['Royal Mail', 'DPD UK', 'Evri'],
    countries: ['GB'],
    cities: ['London', 'Manchester', 'Leeds', 'Bristol', 'Glasgow', 'Cardiff'],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue'],
    firstNames: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava'],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Evans'],
    decimalComma: false,
  },
  FR: {
    weight: 14,
    currencies: ['EUR'],
    vatRate: 0.2,
    timeZone: 'Europe/Paris',
    carriers: ['Colissimo', 'Chronopost', 'Mondial Relay'],
    countries: ['FR'],
    cities: ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Lille', 'Nantes'],
    streets: ['Rue de la Paix', 'Avenue Jean Jaurès', 'Rue Victor Hugo', 'Boulevard Voltaire', 'Rue de la République'],
    firstNames: ['Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Jules'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit'],
    decimalComma: true,
  },
  DE: {
    weight: 14,
    currencies: ['EUR'],
    vatRate: 0.19,
    timeZone: 'Europe/Berlin',
    carriers: ['DHL', 'Hermes', 'DPD'],
    countries: ['DE'],
    cities: ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt', 'Leipzig'],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schulstraße', 'Dorfstraße'],
    firstNames: ['Lukas', 'Sophie', 'Maximilian', 'Hannah', 'Felix', 'Lena'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner'],
    decimalComma: true,
  },
  ES: {
    weight: 16,
    currencies: ['EUR'],
    vatRate: 0.21,
    timeZone: 'Europe/Madrid',
    carriers: ['Correos', 'SEUR', 'MRW'],
    countries: ['ES'],
    cities: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao', 'Málaga'],
    streets: ['Calle Mayor', 'Calle Real', 'Avenida de la Constitución', 'Calle de Alcalá', 'Gran Vía'],
    firstNames: ['Lucía', 'Hugo', 'Martina', 'Mateo', 'Sofía', 'Pablo'],
    lastNames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez'],
    decimalComma: true,
  },
  IT: {
    weight: 9,
    currencies: ['EUR'],
    vatRate: 0.22,
    timeZone: 'Europe/Rome',
    carriers: ['Poste Italiane', 'BRT', 'GLS Italy'],
    countries: ['IT'],
    cities: ['Roma', 'Milano', 'Napoli', 'Torino', 'Bologna', 'Firenze'],
    streets: ['Via Roma', 'Via Garibaldi', 'Corso Italia', 'Via Dante', 'Via Mazzini'],
    firstNames: ['Leonardo', 'Sofia', 'Francesco', 'Giulia', 'Alessandro', 'Aurora'],
    lastNames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano'],
    decimalComma: true,
  },
  PL: {
    weight: 5,
    currencies: ['PLN'],
    vatRate: 0.23,
    timeZone: 'Europe/Warsaw',
    carriers: ['InPost', 'DPD Polska', 'Poczta Polska'],
    countries: ['PL'],
    cities: ['Warszawa', 'Kraków', 'Wrocław', 'Gdańsk', 'Poznań', 'Łódź'],
    streets: ['ul. Długa', 'ul. Polna', 'ul. Leśna', 'ul. Słoneczna', 'ul. Krótka'],
    firstNames: ['Jakub', 'Zuzanna', 'Antoni', 'Julia', 'Szymon', 'Maja'],
    lastNames: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski'],
    decimalComma: false,
  },
};

/** How a price in EUR translates into the store's currency (list prices, not live rates). */
const PRICE_FACTOR: Readonly<Record<CurrencyCode, number>> = { EUR: 1, GBP: 0.87, USD: 1.08, PLN: 4.4 };

/** A list price in minor units of `currency`, ending in .99 like shop prices do. */
export function listPrice(eurMajor: number, currency: CurrencyCode): number {
  const major = Math.max(1, Math.round(eurMajor * PRICE_FACTOR[currency]));
  return major * 100 - 1;
}

/** Standard shipping fee in minor units; free above the store's threshold. */
export function shippingFeeFor(currency: CurrencyCode, subtotal: number): number {
  const threshold = listPrice(49, currency);
  return subtotal >= threshold ? 0 : listPrice(5, currency);
}

export interface Product {
  sku: string;
  name: string;
  variants: readonly string[];
  /** List price in EUR (major units). */
  eur: number;
  kind: 'phone' | 'accessory';
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'POCO-F3', name: 'POCO F3', variants: ['6GB+128GB Arctic White', '8GB+256GB Night Black'], eur: 349, kind: 'phone' },
  { sku: 'POCO-F4', name: 'POCO F4 5G', variants: ['6GB+128GB Moonlight Silver', '8GB+256GB Night Black'], eur: 399, kind: 'phone' },
  { sku: 'POCO-F4-GT', name: 'POCO F4 GT', variants: ['8GB+128GB Knight Silver', '12GB+256GB Cyber Yellow'], eur: 599, kind: 'phone' },
  { sku: 'POCO-F5', name: 'POCO F5', variants: ['8GB+256GB Carbon Black', '12GB+256GB Blue'], eur: 449, kind: 'phone' },
  { sku: 'POCO-F5-PRO', name: 'POCO F5 Pro', variants: ['12GB+256GB White', '12GB+512GB Black'], eur: 549, kind: 'phone' },
  { sku: 'POCO-F6-PRO', name: 'POCO F6 Pro', variants: ['12GB+512GB Black', '16GB+1TB White'], eur: 699, kind: 'phone' },
  { sku: 'POCO-X3-PRO', name: 'POCO X3 Pro', variants: ['6GB+128GB Phantom Black', '8GB+256GB Frost Blue'], eur: 249, kind: 'phone' },
  { sku: 'POCO-X5-PRO', name: 'POCO X5 Pro 5G', variants: ['6GB+128GB Yellow', '8GB+256GB Astral Black'], eur: 349, kind: 'phone' },
  { sku: 'POCO-X6', name: 'POCO X6 5G', variants: ['8GB+256GB Blue', '12GB+256GB Black'], eur: 299, kind: 'phone' },
  { sku: 'POCO-M4-PRO', name: 'POCO M4 Pro', variants: ['6GB+128GB Cool Blue', '8GB+256GB POCO Yellow'], eur: 229, kind: 'phone' },
  { sku: 'POCO-M6-PRO', name: 'POCO M6 Pro', variants: ['8GB+256GB Purple', '12GB+512GB Black'], eur: 249, kind: 'phone' },
  { sku: 'POCO-C65', name: 'POCO C65', variants: ['6GB+128GB Blue', '8GB+256GB Black'], eur: 199, kind: 'phone' },
  { sku: 'ACC-CASE', name: 'POCO Protective Case', variants: ['Black', 'Yellow'], eur: 15, kind: 'accessory' },
  { sku: 'ACC-GLASS', name: 'Tempered Glass Screen Protector', variants: ['Clear'], eur: 9, kind: 'accessory' },
  { sku: 'ACC-CHG-67W', name: '67W Turbo Charger', variants: ['EU plug', 'UK plug'], eur: 29, kind: 'accessory' },
  { sku: 'ACC-CABLE', name: 'USB-C Cable 1m', variants: ['White'], eur: 9, kind: 'accessory' },
  { sku: 'ACC-PODS', name: 'POCO Pods', variants: ['Black', 'White'], eur: 29, kind: 'accessory' },
  { sku: 'ACC-WATCH', name: 'POCO Watch', variants: ['Black', 'Ivory', 'Blue'], eur: 49, kind: 'accessory' },
  { sku: 'ACC-BAND', name: 'Smart Band', variants: ['Black'], eur: 39, kind: 'accessory' },
];

export const PHONES: readonly Product[] = PRODUCTS.filter((product) => product.kind === 'phone');
export const ACCESSORIES: readonly Product[] = PRODUCTS.filter((product) => product.kind === 'accessory');

/** Email domains reserved for documentation (RFC 2606), so no real person is addressed. */
export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net'];

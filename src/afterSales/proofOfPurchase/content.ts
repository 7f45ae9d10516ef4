/**
 * What the proof of purchase says (api.md "Proof of purchase"), as plain
 * strings in the store's language: built on the event loop from the order as
 * it is now, then laid out as a PDF (pdf.ts), possibly in a worker thread,
 * which is why it holds only JSON-serialisable data.
 */
import type { OrderDoc } from '../../db/documents';
import { formatMinorUnits } from '../../shared/money';
import type { CurrencyCode } from '../../shared/codes';
import { zoneOfStore } from '../../shared/time';
import { firstDeliveryOf, warrantyOf } from '../warranty';
import { conventionsOf, labelsOf } from './language';

export interface LabelledValue {
  readonly label: string;
  readonly value: string;
}

export interface ProofOfPurchaseLine {
  readonly name: string;
  readonly variant: string | null;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly lineTotal: string;
  readonly warrantyUntil: string;
}

export interface ProofOfPurchaseContent {
  /** BCP 47 language of the text (the PDF's /Lang). */
  readonly language: string;
  readonly title: string;
  /** Store, order number, date, status, delivery date. */
  readonly facts: readonly LabelledValue[];
  /** Null when the order has none or it was erased (issue 11): the PDF then shows no address at all. */
  readonly address: { readonly label: string; readonly lines: readonly string[] } | null;
  readonly columns: { readonly item: string; readonly quantity: string; readonly unitPrice: string; readonly lineTotal: string; readonly warrantyUntil: string };
  readonly lines: readonly ProofOfPurchaseLine[];
  /** Subtotal, shipping, discount, VAT included, total, refunded; `total` is the emphasised one. */
  readonly totals: readonly LabelledValue[];
  readonly totalLabel: string;
  /** "… and {count} more line(s)…": shown when a very long order does not fit two pages. */
  readonly moreLinesTemplate: string;
  /** "Page {page} of {pages}". */
  readonly pageTemplate: string;
  readonly footer: string;
}

/**
 * api.md: no thousands grouping, the store's decimal mark, the currency code:
 * `2393,98 EUR`, `279.00 GBP`.
 */
export function formatAmount(minor: number, currency: CurrencyCode, decimalMark: '.' | ','): string {
  return `${formatMinorUnits(minor).replace('.', decimalMark)} ${currency}`;
}

interface Formatters {
  readonly day: Intl.DateTimeFormat;
  readonly timeOfDay: Intl.DateTimeFormat;
}

/** Built once per store: an Intl formatter costs far more to make than to use, and this runs on the event loop. */
const formatters = new Map<string, Formatters>();

function formattersOf(locale: string, zone: string): Formatters {
  const key = `${locale}|${zone}`;
  let found = formatters.get(key);
  if (!found) {
    found = {
      day: new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' }),
      // The time with its UTC offset ("00:30 GMT+1"): short enough for the column, and unambiguous.
      timeOfDay: new Intl.DateTimeFormat(locale, {
        timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset',
      }),
    };
    formatters.set(key, found);
  }
  return found;
}

export interface ProofOfPurchaseSettings {
  /** Warranty months of the order's store. */
  readonly warrantyMonths: number;
  /** The time of the download request (warranty status, "issued on"). */
  readonly now: Date;
}

export function proofOfPurchaseContent(order: OrderDoc, settings: ProofOfPurchaseSettings): ProofOfPurchaseContent {
  const { language, locale, decimalMark } = conventionsOf(order.store);
  const labels = labelsOf(language);
  const zone = zoneOfStore(order.store);
  const { day, timeOfDay } = formattersOf(locale, zone);
  const amount = (minor: number): string => formatAmount(minor, order.currency, decimalMark);
  const warranty = warrantyOf(order, settings.warrantyMonths, settings.now);
  const warrantyUntil = warranty === null ? labels.noWarranty : day.format(warranty.endsAt);
  // Whatever the order status says: the date the warranty starts from, when it has one.
  const delivered = firstDeliveryOf(order);

  const facts: LabelledValue[] = [
    { label: labels.store, value: labels.storeNames[order.store] },
    { label: labels.orderNumber, value: order.orderNo },
    { label: labels.orderDate, value: `${day.format(order.placedAt)}, ${timeOfDay.format(order.placedAt)}` },
    { label: labels.status, value: labels.statuses[order.status] },
    { label: labels.deliveredOn, value: delivered === null ? labels.notDelivered : day.format(delivered) },
  ];

  return {
    language,
    title: labels.title,
    facts,
    address: addressOf(order, labels.shippingAddress, locale),
    columns: {
      item: labels.item,
      quantity: labels.quantity,
      unitPrice: labels.unitPrice,
      lineTotal: labels.lineTotal,
      warrantyUntil: labels.warrantyUntil,
    },
    lines: order.items.map((item) => ({
      name: item.name,
      variant: item.variant,
      quantity: String(item.qty),
      unitPrice: amount(item.unitPrice),
      lineTotal: amount(item.unitPrice * item.qty),
      warrantyUntil,
    })),
    totals: [
      { label: labels.subtotal, value: amount(order.subtotal) },
      { label: labels.shipping, value: amount(order.shippingFee) },
      { label: labels.discount, value: amount(order.discount) },
      { label: labels.vatIncluded, value: amount(order.tax) },
      { label: labels.total, value: amount(order.total) },
      { label: labels.refunded, value: amount(order.refunded) },
    ],
    totalLabel: labels.total,
    moreLinesTemplate: labels.moreItems(-1).replace('-1', '{count}'),
    pageTemplate: labels.page(-1, -2).replace('-1', '{page}').replace('-2', '{pages}'),
    footer: labels.footer(day.format(settings.now)),
  };
}

function addressOf(order: OrderDoc, label: string, locale: string): ProofOfPurchaseContent['address'] {
  const address = order.shippingAddress;
  if (address === null) return null;
  let country = address.country;
  try {
    country = new Intl.DisplayNames([locale], { type: 'region' }).of(address.country) ?? address.country;
  } catch {
    // A code ICU does not know: print it as stored.
  }
  // UK and international addresses put the postcode after the town; the continent before it.
  const town = address.postcode === null
    ? address.city
    : order.store === 'UK' || order.store === 'GLOBAL'
      ? `${address.city} ${address.postcode}`
      : `${address.postcode} ${address.city}`;
  const lines = [address.name, address.line1, ...(address.line2 === null ? [] : [address.line2]), town, country];
  return { label, lines };
}

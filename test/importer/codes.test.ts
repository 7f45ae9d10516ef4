import {
  parseCouponStatus,
  parseCurrency,
  parseDiscountKind,
  parseEmail,
  parseFeedbackKind,
  parseOrderStatus,
  parsePointsEntryType,
  parseShipmentStatus,
  parseStore,
} from '../../src/importer/codes';

describe('export codes', () => {
  it('reads store codes in any case, gb as UK', () => {
    expect(['global', 'UK', 'gb', 'Gb', 'fr', 'DE', 'es', 'It', ' pl '].map((code) => parseStore(code))).toEqual(
      ['GLOBAL', 'UK', 'UK', 'UK', 'FR', 'DE', 'ES', 'IT', 'PL'].map((value) => ({ ok: true, value })),
    );
    expect(parseStore('us')).toMatchObject({ ok: false, reason: 'invalid_value' });
  });

  it('maps every order status of the format, in any case', () => {
    const table: Record<string, string> = {
      unpaid: 'PENDING_PAYMENT',
      PAID: 'PAID',
      Processing: 'PROCESSING',
      shipped: 'SHIPPED',
      delivered: 'DELIVERED',
      completed: 'COMPLETED',
      CLOSED: 'COMPLETED',
      cancelled: 'CANCELLED',
      Canceled: 'CANCELLED',
      refunded: 'REFUNDED',
      partially_refunded: 'PARTIALLY_REFUNDED',
      returned: 'RETURNED',
    };
    for (const [input, value] of Object.entries(table)) expect(parseOrderStatus(input)).toEqual({ ok: true, value });
    expect(parseOrderStatus('lost')).toMatchObject({ ok: false });
  });

  it('reads currencies, ledger types, coupon types and statuses, shipment statuses and feedback kinds case-insensitively', () => {
    expect(parseCurrency('eur')).toEqual({ ok: true, value: 'EUR' });
    expect(parseCurrency('CHF')).toMatchObject({ ok: false });
    expect(parsePointsEntryType('Redeem')).toEqual({ ok: true, value: 'REDEEMED' });
    expect(parsePointsEntryType('TRANSFER')).toEqual({ ok: true, value: 'TRANSFERRED' });
    expect(parseDiscountKind('Free_Shipping')).toEqual({ ok: true, value: 'FREE_SHIPPING' });
    expect(parseCouponStatus('VOID')).toEqual({ ok: true, value: 'VOID' });
    expect(parseShipmentStatus('Out_For_Delivery')).toEqual({ ok: true, value: 'OUT_FOR_DELIVERY' });
    expect(parseFeedbackKind('DELIVERY_RATING')).toEqual({ ok: true, value: 'DELIVERY_RATING' });
    // Not a prototype property either.
    expect(parseCurrency('constructor')).toMatchObject({ ok: false });
  });

  it('trims and lower-cases emails and refuses what is not one', () => {
    expect(parseEmail('  Alice@Example.COM \t')).toEqual({ ok: true, value: 'alice@example.com' });
    expect(parseEmail('not an email')).toMatchObject({ ok: false, reason: 'invalid_value' });
    expect(parseEmail('a@b@c')).toMatchObject({ ok: false });
  });
});

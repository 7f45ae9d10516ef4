/**
 * The proof of purchase in the store's language (api.md: English for GLOBAL
 * and UK, French for FR, and so on): its words, number and date conventions.
 */
import type { OrderStatus, PocoStore } from '../../shared/codes';

export type DocumentLanguage = 'en' | 'fr' | 'de' | 'es' | 'it' | 'pl';

export interface StoreConventions {
  readonly language: DocumentLanguage;
  /** BCP 47 locale for dates and country names. */
  readonly locale: string;
  /** api.md: a comma for FR, DE, ES, IT and PL, a point for GLOBAL and UK. */
  readonly decimalMark: '.' | ',';
}

export function conventionsOf(store: PocoStore): StoreConventions {
  switch (store) {
    case 'GLOBAL':
      return { language: 'en', locale: 'en-GB', decimalMark: '.' };
    case 'UK':
      return { language: 'en', locale: 'en-GB', decimalMark: '.' };
    case 'FR':
      return { language: 'fr', locale: 'fr-FR', decimalMark: ',' };
    case 'DE':
      return { language: 'de', locale: 'de-DE', decimalMark: ',' };
    case 'ES':
      return { language: 'es', locale: 'es-ES', decimalMark: ',' };
    case 'IT':
      return { language: 'it', locale: 'it-IT', decimalMark: ',' };
    case 'PL':
      return { language: 'pl', locale: 'pl-PL', decimalMark: ',' };
    default: {
      const unknown: never = store;
      throw new Error(`no conventions for store ${String(unknown)}`);
    }
  }
}

export interface Labels {
  readonly title: string;
  readonly store: string;
  readonly storeNames: Readonly<Record<PocoStore, string>>;
  readonly orderNumber: string;
  readonly orderDate: string;
  readonly status: string;
  readonly deliveredOn: string;
  readonly notDelivered: string;
  readonly shippingAddress: string;
  readonly item: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly lineTotal: string;
  readonly warrantyUntil: string;
  readonly noWarranty: string;
  readonly subtotal: string;
  readonly shipping: string;
  readonly discount: string;
  readonly vatIncluded: string;
  readonly total: string;
  readonly refunded: string;
  readonly moreItems: (count: number) => string;
  readonly page: (page: number, pages: number) => string;
  readonly footer: (issuedOn: string) => string;
  readonly statuses: Readonly<Record<OrderStatus, string>>;
}

const STORE_NAMES_EN: Record<PocoStore, string> = {
  GLOBAL: 'po.co Global', UK: 'po.co United Kingdom', FR: 'po.co France', DE: 'po.co Germany',
  ES: 'po.co Spain', IT: 'po.co Italy', PL: 'po.co Poland',
};

const LABELS: Readonly<Record<DocumentLanguage, Labels>> = {
  en: {
    title: 'Proof of purchase',
    store: 'Store',
    storeNames: STORE_NAMES_EN,
    orderNumber: 'Order number',
    orderDate: 'Order date',
    status: 'Order status',
    deliveredOn: 'Delivered on',
    notDelivered: 'not delivered',
    shippingAddress: 'Shipping address',
    item: 'Item',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    lineTotal: 'Line total',
    warrantyUntil: 'Warranty until',
    noWarranty: 'none',
    subtotal: 'Subtotal',
    shipping: 'Shipping',
    discount: 'Discount',
    vatIncluded: 'VAT included',
    total: 'Total',
    refunded: 'Refunded',
    moreItems: (count) => `… and ${count} more line(s), listed in the order's details online.`,
    page: (page, pages) => `Page ${page} of ${pages}`,
    footer: (issuedOn) => `Issued on ${issuedOn} from the records of the po.co web shop, which closed; after-sales service continues with Xiaomi.`,
    statuses: {
      PENDING_PAYMENT: 'Awaiting payment', PAID: 'Paid', PROCESSING: 'Processing', SHIPPED: 'Shipped',
      DELIVERED: 'Delivered', COMPLETED: 'Completed', CANCELLED: 'Cancelled', REFUNDED: 'Refunded',
      PARTIALLY_REFUNDED: 'Partially refunded', RETURNED: 'Returned',
    },
  },
  fr: {
    title: "Preuve d'achat",
    store: 'Boutique',
    storeNames: { ...STORE_NAMES_EN, GLOBAL: 'po.co Global', UK: 'po.co Royaume-Uni', FR: 'po.co France', DE: 'po.co Allemagne', ES: 'po.co Espagne', IT: 'po.co Italie', PL: 'po.co Pologne' },
    orderNumber: 'Numéro de commande',
    orderDate: 'Date de commande',
    status: 'État de la commande',
    deliveredOn: 'Livrée le',
    notDelivered: 'non livrée',
    shippingAddress: 'Adresse de livraison',
    item: 'Article',
    quantity: 'Qté',
    unitPrice: 'Prix unitaire',
    lineTotal: 'Total ligne',
    warrantyUntil: "Garantie jusqu'au",
    noWarranty: 'aucune',
    subtotal: 'Sous-total',
    shipping: 'Livraison',
    discount: 'Remise',
    vatIncluded: 'Dont TVA',
    total: 'Total',
    refunded: 'Remboursé',
    moreItems: (count) => `… et ${count} autre(s) ligne(s), détaillée(s) dans la commande en ligne.`,
    page: (page, pages) => `Page ${page} sur ${pages}`,
    footer: (issuedOn) => `Émis le ${issuedOn} à partir des archives de la boutique en ligne po.co, désormais fermée ; le service après-vente continue avec Xiaomi.`,
    statuses: {
      PENDING_PAYMENT: 'En attente de paiement', PAID: 'Payée', PROCESSING: 'En préparation', SHIPPED: 'Expédiée',
      DELIVERED: 'Livrée', COMPLETED: 'Terminée', CANCELLED: 'Annulée', REFUNDED: 'Remboursée',
      PARTIALLY_REFUNDED: 'Partiellement remboursée', RETURNED: 'Retournée',
    },
  },
  de: {
    title: 'Kaufbeleg',
    store: 'Shop',
    storeNames: { ...STORE_NAMES_EN, UK: 'po.co Vereinigtes Königreich', FR: 'po.co Frankreich', DE: 'po.co Deutschland', ES: 'po.co Spanien', IT: 'po.co Italien', PL: 'po.co Polen' },
    orderNumber: 'Bestellnummer',
    orderDate: 'Bestelldatum',
    status: 'Bestellstatus',
    deliveredOn: 'Geliefert am',
    notDelivered: 'nicht geliefert',
    shippingAddress: 'Lieferadresse',
    item: 'Artikel',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    lineTotal: 'Gesamt',
    warrantyUntil: 'Garantie bis',
    noWarranty: 'keine',
    subtotal: 'Zwischensumme',
    shipping: 'Versand',
    discount: 'Rabatt',
    vatIncluded: 'Enthaltene MwSt.',
    total: 'Gesamtbetrag',
    refunded: 'Erstattet',
    moreItems: (count) => `… und ${count} weitere Position(en), aufgeführt in den Bestelldetails online.`,
    page: (page, pages) => `Seite ${page} von ${pages}`,
    footer: (issuedOn) => `Ausgestellt am ${issuedOn} aus den Unterlagen des geschlossenen Onlineshops po.co; der Kundendienst wird von Xiaomi fortgeführt.`,
    statuses: {
      PENDING_PAYMENT: 'Zahlung ausstehend', PAID: 'Bezahlt', PROCESSING: 'In Bearbeitung', SHIPPED: 'Versandt',
      DELIVERED: 'Geliefert', COMPLETED: 'Abgeschlossen', CANCELLED: 'Storniert', REFUNDED: 'Erstattet',
      PARTIALLY_REFUNDED: 'Teilweise erstattet', RETURNED: 'Zurückgesandt',
    },
  },
  es: {
    title: 'Justificante de compra',
    store: 'Tienda',
    storeNames: { ...STORE_NAMES_EN, UK: 'po.co Reino Unido', FR: 'po.co Francia', DE: 'po.co Alemania', ES: 'po.co España', IT: 'po.co Italia', PL: 'po.co Polonia' },
    orderNumber: 'Número de pedido',
    orderDate: 'Fecha del pedido',
    status: 'Estado del pedido',
    deliveredOn: 'Entregado el',
    notDelivered: 'no entregado',
    shippingAddress: 'Dirección de envío',
    item: 'Artículo',
    quantity: 'Cant.',
    unitPrice: 'Precio unitario',
    lineTotal: 'Total línea',
    warrantyUntil: 'Garantía hasta',
    noWarranty: 'ninguna',
    subtotal: 'Subtotal',
    shipping: 'Envío',
    discount: 'Descuento',
    vatIncluded: 'IVA incluido',
    total: 'Total',
    refunded: 'Reembolsado',
    moreItems: (count) => `… y ${count} línea(s) más, detalladas en el pedido en línea.`,
    page: (page, pages) => `Página ${page} de ${pages}`,
    footer: (issuedOn) => `Emitido el ${issuedOn} a partir de los registros de la tienda en línea po.co, ya cerrada; el servicio posventa continúa con Xiaomi.`,
    statuses: {
      PENDING_PAYMENT: 'Pendiente de pago', PAID: 'Pagado', PROCESSING: 'En preparación', SHIPPED: 'Enviado',
      DELIVERED: 'Entregado', COMPLETED: 'Completado', CANCELLED: 'Cancelado', REFUNDED: 'Reembolsado',
      PARTIALLY_REFUNDED: 'Reembolsado parcialmente', RETURNED: 'Devuelto',
    },
  },
  it: {
    title: "Prova d'acquisto",
    store: 'Negozio',
    storeNames: { ...STORE_NAMES_EN, UK: 'po.co Regno Unito', FR: 'po.co Francia', DE: 'po.co Germania', ES: 'po.co Spagna', IT: 'po.co Italia', PL: 'po.co Polonia' },
    orderNumber: 'Numero ordine',
    orderDate: "Data dell'ordine",
    status: "Stato dell'ordine",
    deliveredOn: 'Consegnato il',
    notDelivered: 'non consegnato',
    shippingAddress: 'Indirizzo di spedizione',
    item: 'Articolo',
    quantity: 'Qtà',
    unitPrice: 'Prezzo unitario',
    lineTotal: 'Totale riga',
    warrantyUntil: 'Garanzia fino al',
    noWarranty: 'nessuna',
    subtotal: 'Subtotale',
    shipping: 'Spedizione',
    discount: 'Sconto',
    vatIncluded: 'IVA inclusa',
    total: 'Totale',
    refunded: 'Rimborsato',
    moreItems: (count) => `… e altre ${count} righe, elencate nei dettagli dell'ordine online.`,
    page: (page, pages) => `Pagina ${page} di ${pages}`,
    footer: (issuedOn) => `Emesso il ${issuedOn} dagli archivi del negozio online po.co, ora chiuso; l'assistenza post-vendita continua con Xiaomi.`,
    statuses: {
      PENDING_PAYMENT: 'In attesa di pagamento', PAID: 'Pagato', PROCESSING: 'In lavorazione', SHIPPED: 'Spedito',
      DELIVERED: 'Consegnato', COMPLETED: 'Completato', CANCELLED: 'Annullato', REFUNDED: 'Rimborsato',
      PARTIALLY_REFUNDED: 'Rimborsato parzialmente', RETURNED: 'Reso',
    },
  },
  pl: {
    title: 'Dowód zakupu',
    store: 'Sklep',
    storeNames: { ...STORE_NAMES_EN, UK: 'po.co Wielka Brytania', FR: 'po.co Francja', DE: 'po.co Niemcy', ES: 'po.co Hiszpania', IT: 'po.co Włochy', PL: 'po.co Polska' },
    orderNumber: 'Numer zamówienia',
    orderDate: 'Data zamówienia',
    status: 'Status zamówienia',
    deliveredOn: 'Dostarczono',
    notDelivered: 'nie dostarczono',
    shippingAddress: 'Adres dostawy',
    item: 'Produkt',
    quantity: 'Ilość',
    unitPrice: 'Cena jedn.',
    lineTotal: 'Wartość',
    warrantyUntil: 'Gwarancja do',
    noWarranty: 'brak',
    subtotal: 'Suma częściowa',
    shipping: 'Wysyłka',
    discount: 'Rabat',
    vatIncluded: 'W tym VAT',
    total: 'Razem',
    refunded: 'Zwrócono',
    moreItems: (count) => `… oraz ${count} dalsze pozycje, wymienione w szczegółach zamówienia online.`,
    page: (page, pages) => `Strona ${page} z ${pages}`,
    footer: (issuedOn) => `Wystawiono ${issuedOn} na podstawie danych zamkniętego sklepu internetowego po.co; obsługa posprzedażowa jest kontynuowana przez Xiaomi.`,
    statuses: {
      PENDING_PAYMENT: 'Oczekuje na płatność', PAID: 'Opłacone', PROCESSING: 'W realizacji', SHIPPED: 'Wysłane',
      DELIVERED: 'Dostarczone', COMPLETED: 'Zakończone', CANCELLED: 'Anulowane', REFUNDED: 'Zwrócone środki',
      PARTIALLY_REFUNDED: 'Częściowo zwrócone środki', RETURNED: 'Zwrócone',
    },
  },
};

export function labelsOf(language: DocumentLanguage): Labels {
  return LABELS[language];
}

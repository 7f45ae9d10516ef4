/**
 * Every document kind this service serves through document links. To add a
 * kind, define it in its domain folder with defineDocumentKind (see
 * src/documents/kind.ts for the contract) and list it here: the name sealed
 * in a link is looked up in this list when the link is opened, and a link
 * naming a kind that is not listed answers 404.
 */
import { proofOfPurchaseKind } from '../afterSales/proofOfPurchase/kind';
import type { DocumentKind } from './kind';
import { personalDataExportKind } from '../privacy/exportDocument';

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  proofOfPurchaseKind,

  // issue 11 (personal data export, JSON)
  personalDataExportKind,
];

/**
 * The worker-thread side of the render pool (renderPool.ts): lays out one
 * proof of purchase per task. Fonts are parsed once per thread (pdf.ts).
 */
import type { ProofOfPurchaseContent } from './content';
import { renderProofOfPurchasePdf } from './pdf';

export default async function renderInWorker(content: ProofOfPurchaseContent): Promise<Uint8Array> {
  const pdf = await renderProofOfPurchasePdf(content);
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/**
 * The one fontkit call this project makes (src/afterSales/proofOfPurchase/pdf.ts):
 * parse a font file once so that every PDF reuses it. fontkit ships no types.
 */
declare module 'fontkit' {
  /** A parsed font; pdfkit (0.20+) accepts it wherever it accepts a font file. */
  export interface Font {
    readonly postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer | Uint8Array): Font;
}

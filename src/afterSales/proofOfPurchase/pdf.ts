/**
 * Lays out a proof of purchase as a one- or two-page A4 PDF with pdfkit.
 *
 * Text is real text in an embedded (subset) DejaVu Sans, which covers every
 * letter of the six store languages (Ł, ó, ź, É, ß, ñ, à…), so extractors and
 * screen readers read it and nothing turns into boxes; the built-in PDF fonts
 * (WinAnsi) have no Ł. The font files come from the dejavu-fonts-ttf npm
 * package (DejaVu fonts licence: free to embed and redistribute), so
 * `npm ci` brings them.
 *
 * Two pages at most, however long the order: the line items are set at the
 * largest font size from 9 pt down to 6 pt at which they fit, and at 6 pt
 * whatever still does not fit is summed up in one "… and N more lines" line.
 * Names longer than their column are cut with an ellipsis.
 */
import { readFileSync } from 'node:fs';
import { create as parseFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { ProofOfPurchaseContent, ProofOfPurchaseLine } from './content';

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

let fonts: { regular: Font; bold: Font } | undefined;
/**
 * Parsed once per thread and reused (pdfkit 0.20 takes parsed fontkit fonts):
 * parsing the 750 kB TrueType files per document was half the render time.
 * Each document still embeds only the glyphs it uses (a subset).
 */
function parsedFonts(): { regular: Font; bold: Font } {
  fonts ??= { regular: parseFont(readFileSync(FONT_FILES.regular)), bold: parseFont(readFileSync(FONT_FILES.bold)) };
  return fonts;
}

/** pdfkit's types predate its acceptance of parsed fonts. */
const asSource = (font: Font): PDFKit.Mixins.PDFFontSource => font as unknown as PDFKit.Mixins.PDFFontSource;

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 50;
const BOTTOM_MARGIN = 30;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
/** Where the footer starts; the table and totals stay above it. */
const FOOTER_TOP = PAGE_HEIGHT - BOTTOM_MARGIN - 34;
const BODY_BOTTOM = FOOTER_TOP - 12;
export const MAX_PAGES = 2;

/** Table columns: x, width, alignment. */
const COLUMNS = {
  item: { x: MARGIN, width: 178, align: 'left' },
  quantity: { x: MARGIN + 178, width: 32, align: 'right' },
  unitPrice: { x: MARGIN + 210, width: 80, align: 'right' },
  lineTotal: { x: MARGIN + 290, width: 80, align: 'right' },
  warrantyUntil: { x: MARGIN + 370, width: CONTENT_WIDTH - 370, align: 'right' },
} as const;

const FONT_SIZES = [9, 8, 7, 6] as const;
const TOTALS_FONT_SIZE = 10;

type Doc = PDFKit.PDFDocument;

function rowHeight(line: ProofOfPurchaseLine, size: number): number {
  return size * 1.35 + (line.variant === null ? 0 : size * 1.2) + 4;
}

function totalsHeight(content: ProofOfPurchaseContent): number {
  return 10 + content.totals.length * TOTALS_FONT_SIZE * 1.6;
}

/** `text` cut to `width` with an ellipsis, in the current font and size. */
function fitted(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const characters = [...text];
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${characters.slice(0, middle).join('')}…`) <= width) low = middle;
    else high = middle - 1;
  }
  return `${characters.slice(0, low).join('').trimEnd()}…`;
}

/** One line of text at (x, y) that never wraps and never moves pdfkit's page flow. */
function cell(doc: Doc, text: string, column: { x: number; width: number; align: 'left' | 'right' }, y: number): void {
  const value = fitted(doc, text, column.width);
  const x = column.align === 'right' ? column.x + column.width - doc.widthOfString(value) : column.x;
  doc.text(value, x, y, { lineBreak: false });
}

interface Plan {
  readonly size: number;
  /** Lines per page (at most MAX_PAGES pages). */
  readonly pages: ProofOfPurchaseLine[][];
  /** Lines left out, summed up in the "more lines" line. */
  readonly omitted: number;
}

/**
 * Which lines go on which page at which size. Page 1's table starts at
 * `firstTop`, page 2's at the top margin plus the repeated header row; the
 * totals must fit under the last line.
 */
function plan(content: ProofOfPurchaseContent, firstTop: number): Plan {
  const headerRow = 16;
  const secondTop = MARGIN + headerRow;
  const totals = totalsHeight(content);
  const attempt = (size: number, allowOmitting: boolean): Plan | undefined => {
    const pages: ProofOfPurchaseLine[][] = [[]];
    let y = firstTop;
    let placed = 0;
    for (const line of content.lines) {
      const height = rowHeight(line, size);
      if (y + height > BODY_BOTTOM) {
        if (pages.length === MAX_PAGES) break;
        pages.push([]);
        y = secondTop;
      }
      pages[pages.length - 1]!.push(line);
      y += height;
      placed++;
    }
    const remaining = content.lines.length - placed;
    const moreLine = remaining > 0 ? size * 1.6 : 0;
    if (remaining > 0 && !allowOmitting) return undefined;
    if (y + moreLine + totals <= BODY_BOTTOM) return { size, pages, omitted: remaining };
    if (pages.length < MAX_PAGES && remaining === 0) {
      // The totals alone go on page 2.
      return { size, pages: [...pages, []], omitted: 0 };
    }
    if (!allowOmitting) return undefined;
    // Make room for the totals (and the "more" line) on the last page.
    const last = pages[pages.length - 1]!;
    let bottom = y;
    let omitted = remaining;
    while (last.length > 0 && bottom + size * 1.6 + totals > BODY_BOTTOM) {
      bottom -= rowHeight(last.pop()!, size);
      omitted++;
    }
    return { size, pages, omitted };
  };
  for (const size of FONT_SIZES) {
    const fits = attempt(size, false);
    if (fits) return fits;
  }
  return attempt(FONT_SIZES[FONT_SIZES.length - 1]!, true)!;
}

function tableHeader(doc: Doc, content: ProofOfPurchaseContent, y: number): number {
  doc.font(BOLD).fontSize(8.5).fillColor('#333333');
  for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) cell(doc, content.columns[key], COLUMNS[key], y);
  doc.moveTo(MARGIN, y + 13).lineTo(MARGIN + CONTENT_WIDTH, y + 13).lineWidth(0.6).strokeColor('#999999').stroke();
  doc.fillColor('black');
  return y + 16;
}

export function renderProofOfPurchasePdf(content: ProofOfPurchaseContent): Promise<Buffer> {
  const { regular, bold } = parsedFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: BOTTOM_MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    lang: content.language,
    displayTitle: true,
    info: { Title: content.title, Creator: 'POCO legacy subgraph', Producer: 'pdfkit' },
    // Our font from the start: pdfkit would otherwise load its built-in Helvetica for nothing.
    font: asSource(regular) as string,
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, asSource(regular));
  doc.registerFont(BOLD, asSource(bold));

  // Title.
  doc.font(BOLD).fontSize(20).text(content.title, MARGIN, MARGIN, { lineBreak: false });
  let y = MARGIN + 34;

  // Facts on the left, the address on the right.
  const factsTop = y;
  for (const fact of content.facts) {
    doc.font(BOLD).fontSize(9).fillColor('#555555');
    cell(doc, fact.label, { x: MARGIN, width: 120, align: 'left' }, y);
    doc.font(REGULAR).fontSize(9.5).fillColor('black');
    cell(doc, fact.value, { x: MARGIN + 124, width: 200, align: 'left' }, y);
    y += 15;
  }
  if (content.address !== null) {
    let ay = factsTop;
    doc.font(BOLD).fontSize(9).fillColor('#555555');
    cell(doc, content.address.label, { x: MARGIN + 335, width: CONTENT_WIDTH - 335, align: 'left' }, ay);
    ay += 14;
    doc.font(REGULAR).fontSize(9.5).fillColor('black');
    for (const line of content.address.lines) {
      cell(doc, line, { x: MARGIN + 335, width: CONTENT_WIDTH - 335, align: 'left' }, ay);
      ay += 13;
    }
    y = Math.max(y, ay);
  }
  y += 16;

  const layout = plan(content, y + 16);
  layout.pages.forEach((lines, index) => {
    if (index > 0) {
      doc.addPage();
      y = MARGIN;
    }
    y = tableHeader(doc, content, y);
    for (const line of lines) {
      doc.font(REGULAR).fontSize(layout.size);
      cell(doc, line.name, COLUMNS.item, y);
      cell(doc, line.quantity, COLUMNS.quantity, y);
      cell(doc, line.unitPrice, COLUMNS.unitPrice, y);
      cell(doc, line.lineTotal, COLUMNS.lineTotal, y);
      cell(doc, line.warrantyUntil, COLUMNS.warrantyUntil, y);
      if (line.variant !== null) {
        doc.fontSize(layout.size * 0.9).fillColor('#555555');
        cell(doc, line.variant, COLUMNS.item, y + layout.size * 1.3);
        doc.fillColor('black');
      }
      y += rowHeight(line, layout.size);
    }
  });
  if (layout.omitted > 0) {
    doc.font(REGULAR).fontSize(layout.size).fillColor('#555555');
    cell(doc, content.moreLinesTemplate.replace('{count}', String(layout.omitted)), { x: MARGIN, width: CONTENT_WIDTH, align: 'left' }, y + 2);
    doc.fillColor('black');
    y += layout.size * 1.6;
  }

  // Totals, right-aligned under the table.
  doc.moveTo(MARGIN + 250, y + 4).lineTo(MARGIN + CONTENT_WIDTH, y + 4).lineWidth(0.6).strokeColor('#999999').stroke();
  y += 10;
  for (const total of content.totals) {
    const emphasised = total.label === content.totalLabel;
    doc.font(emphasised ? BOLD : REGULAR).fontSize(TOTALS_FONT_SIZE);
    cell(doc, total.label, { x: MARGIN + 250, width: 130, align: 'left' }, y);
    cell(doc, total.value, { x: MARGIN + 380, width: CONTENT_WIDTH - 380, align: 'right' }, y);
    y += TOTALS_FONT_SIZE * 1.6;
  }

  // Footer and page numbers on every page.
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc.font(REGULAR).fontSize(7).fillColor('#666666');
    doc.text(content.footer, MARGIN, FOOTER_TOP, { width: CONTENT_WIDTH - 80, height: 20, lineBreak: true });
    const label = content.pageTemplate.replace('{page}', String(page - range.start + 1)).replace('{pages}', String(range.count));
    cell(doc, label, { x: MARGIN + CONTENT_WIDTH - 75, width: 75, align: 'right' }, FOOTER_TOP);
  }
  doc.end();
  return finished;
}

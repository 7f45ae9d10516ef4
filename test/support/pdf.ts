/**
 * Reading PDFs in tests with poppler (Debian's poppler-utils, installed by
 * .ci/run): the text a PDF text extractor finds, its page count, and how much
 * of its first page is ink.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Buffer, use: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'poco-pdf-'));
  try {
    const path = join(dir, 'document.pdf');
    writeFileSync(path, pdf);
    return use(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pdftotext's reading of the PDF (UTF-8), pages separated by form feeds. */
export function pdfText(pdf: Buffer, { layout = false } = {}): string {
  return withFile(pdf, (path) =>
    execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }),
  );
}

export function pdfPageCount(pdf: Buffer): number {
  const info = withFile(pdf, (path) => execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
  const pages = /^Pages:\s+(\d+)$/m.exec(info)?.[1];
  if (pages === undefined) throw new Error(`pdfinfo printed no page count:\n${info}`);
  return Number(pages);
}

export interface PageInk {
  readonly width: number;
  readonly height: number;
  /** Pixels darker than mid-grey. */
  readonly dark: number;
}

/**
 * Renders page 1 with pdftoppm (grey, 50 dpi) and counts its dark pixels.
 * `pngPath`, when given, also receives the page as a PNG (to look at it).
 */
export function firstPageInk(pdf: Buffer, pngPath?: string): PageInk {
  return withFile(pdf, (path, dir) => {
    if (pngPath !== undefined) {
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', path, pngPath.replace(/\.png$/, '')]);
    }
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', path, join(dir, 'page')]);
    const pgm = readFileSync(join(dir, 'page.pgm'));
    // Binary PGM: "P5" width height maxval, each separated by one white space, then the pixels.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('pdftoppm did not write a binary PGM');
    const [whole, width, height, max] = header as unknown as [string, string, string, string];
    const pixels = pgm.subarray(whole.length);
    let dark = 0;
    for (const value of pixels) if (value < Number(max) / 2) dark++;
    return { width: Number(width), height: Number(height), dark };
  });
}

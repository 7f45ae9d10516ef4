/**
 * Writes one export file line by line with backpressure, optionally through
 * gzip, and keeps the count of physical lines so rejects can be located by
 * line number the way the importer numbers them (blank lines counted; in a
 * `.gz` file, lines of the decompressed text).
 *
 * Lines of one user are gathered and written as one chunk: few awaits, and
 * memory bounded by a single user's records whatever the export's size.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip, constants as zlib, type Gzip } from 'node:zlib';

export class NdjsonFileWriter {
  private readonly file: WriteStream;
  private readonly gzip: Gzip | undefined;
  private pending = '';
  /** Physical lines written so far, blank ones included. */
  private lineCount = 0;
  private blankCount = 0;

  constructor(
    readonly path: string,
    options: { gzip: boolean },
  ) {
    this.file = createWriteStream(path);
    if (options.gzip) {
      // Fixed level and Node's zero mtime in the header: the same text gives the same bytes.
      this.gzip = createGzip({ level: zlib.Z_BEST_SPEED });
      this.gzip.pipe(this.file);
    }
  }

  /** Number the next line will have (1-based). */
  get nextLineNumber(): number {
    return this.lineCount + 1;
  }

  get lines(): number {
    return this.lineCount;
  }

  get blankLines(): number {
    return this.blankCount;
  }

  /** Queues one line (without its newline) and returns its 1-based number. */
  line(text: string): number {
    if (text.includes('\n')) throw new Error('an NDJSON line cannot contain a newline');
    this.pending += `${text}\n`;
    this.lineCount += 1;
    if (text === '') this.blankCount += 1;
    return this.lineCount;
  }

  /** Writes what is queued, waiting for the stream to drain when its buffer is full. */
  async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    const target = this.gzip ?? this.file;
    if (!target.write(chunk)) await once(target, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.gzip) this.gzip.end();
    else this.file.end();
    await finished(this.file);
  }
}

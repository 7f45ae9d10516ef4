/**
 * Reads an export file line by line with bounded memory, whatever its size:
 * a stream of 1 MiB chunks (through gunzip for `.gz`), split at "\n", each line
 * checked for UTF-8 and length before any JSON parsing. A line longer than
 * the limit is never held whole: only its first bytes are kept, for the reject.
 *
 * Line numbers are 1-based and count every line as stored (blank ones too;
 * for `.gz`, lines of the decompressed text). Blank lines are skipped.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type FileLine =
  | { kind: 'line'; line: number; text: string }
  | {
      kind: 'bad_line';
      line: number;
      reason: 'invalid_utf8' | 'line_too_long' | 'truncated_line';
      message: string;
      /** The line as text (invalid bytes as U+FFFD; a too-long line cut to its first bytes). */
      raw: string;
      /** The exact bytes, when `raw` cannot carry them (invalid UTF-8). */
      rawBase64?: string;
      /** The line's full length in bytes. */
      rawBytes: number;
      rawTruncated?: boolean;
    };

/** The file could not be read to its end; lines before the damage were delivered. */
export class DamagedFileError extends Error {
  override readonly name = 'DamagedFileError';
}

/** How much of a too-long line a reject keeps. */
const RAW_PREFIX_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export function openExportStream(path: string): Readable {
  const source = createReadStream(path, { highWaterMark: 1024 * 1024 });
  if (!path.toLowerCase().endsWith('.gz')) return source;
  // pipeline destroys both streams on an error of either, so a damaged gzip or a read error ends the iteration with that error.
  return pipeline(source, createGunzip(), () => {});
}

export async function* readFileLines(path: string, maxLineBytes: number): AsyncGenerator<FileLine> {
  let lineNumber = 0;
  let pieces: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let atFileStart = true;

  function take(piece: Buffer): void {
    if (tooLong) {
      length += piece.length;
      return;
    }
    pieces.push(piece);
    length += piece.length;
    if (length > maxLineBytes) {
      // Keep only a prefix for the reject; the rest is counted, not held.
      tooLong = true;
      pieces = [Buffer.concat(pieces).subarray(0, RAW_PREFIX_BYTES)];
    }
  }

  function finish(endOfLine: boolean): FileLine | undefined {
    lineNumber += 1;
    let bytes = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    const total = length;
    const wasTooLong = tooLong;
    pieces = [];
    length = 0;
    tooLong = false;
    if (atFileStart) {
      atFileStart = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (endOfLine && bytes[bytes.length - 1] === CARRIAGE_RETURN && !wasTooLong) bytes = bytes.subarray(0, bytes.length - 1);
    if (wasTooLong) {
      return {
        kind: 'bad_line',
        line: lineNumber,
        reason: 'line_too_long',
        message: `the line is ${total} bytes long, over the limit of ${maxLineBytes}`,
        raw: bytes.toString('utf8'),
        rawBytes: total,
        rawTruncated: true,
      };
    }
    if (!isUtf8(bytes)) {
      return {
        kind: 'bad_line',
        line: lineNumber,
        reason: 'invalid_utf8',
        message: 'the line is not valid UTF-8',
        raw: bytes.toString('utf8'),
        rawBase64: bytes.toString('base64'),
        rawBytes: bytes.length,
      };
    }
    const text = bytes.toString('utf8');
    if (text.trim() === '') return undefined;
    return { kind: 'line', line: lineNumber, text };
  }

  const stream = openExportStream(path);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(NEWLINE, start);
        if (end < 0) break;
        take(chunk.subarray(start, end));
        const line = finish(true);
        if (line) yield line;
        start = end + 1;
      }
      if (start < chunk.length) take(Buffer.from(chunk.subarray(start)));
    }
  } catch (error) {
    // The text read before the damage may end in the middle of a line: reject it as such, lose nothing.
    if (length > 0) {
      const partial = finish(false);
      if (partial) {
        yield partial.kind === 'line'
          ? {
              kind: 'bad_line',
              line: partial.line,
              reason: 'truncated_line',
              message: 'the file ends in damage right after this text: the line may be incomplete',
              raw: partial.text,
              rawBytes: Buffer.byteLength(partial.text),
            }
          : partial;
      }
    }
    throw new DamagedFileError(describeReadError(error));
  }
  if (length > 0 || tooLong) {
    const last = finish(false);
    if (last) yield last;
  }
}

function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) return 'the gzip data ends early (truncated file)';
  if (e.code === 'Z_DATA_ERROR') return `the gzip data is corrupt (${e.message})`;
  return e.message;
}

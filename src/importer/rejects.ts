/**
 * The rejects file: one NDJSON object per rejected line, written as the
 * import goes (never held in memory), with back-pressure so a flood of
 * rejects cannot outrun the disk.
 */
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { RejectReason } from './report';

export interface RejectRecord {
  /** The file's name in the export directory. */
  file: string;
  /** 1-based line number in the file as stored (decompressed for .gz), blank lines counted. */
  line: number;
  reason: RejectReason;
  /** The field at fault, when one is ("items[1].qty"). */
  field?: string;
  message: string;
  /** The original line text, unchanged (for a too-long line: its first 64 KiB, see rawTruncated). */
  raw: string;
  rawBase64?: string;
  rawBytes?: number;
  rawTruncated?: boolean;
}

export interface RejectsSink {
  write(record: RejectRecord): Promise<void>;
  /** Answers how many rejects were written. */
  close(): Promise<number>;
}

export function discardRejects(): RejectsSink {
  let count = 0;
  return {
    async write() {
      count += 1;
    },
    async close() {
      return count;
    },
  };
}

/** Opens (truncates) the rejects file; when the run rejects nothing, the empty file is removed again on close. */

export async function openRejectsFile(path: string): Promise<RejectsSink> {
  const stream: WriteStream = createWriteStream(path, { flags: 'w' });
  await Promise.race([once(stream, 'open'), once(stream, 'error').then(([error]) => Promise.reject(error))]);
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  let count = 0;
  return {
    async write(record) {
      if (failure) throw failure;
      count += 1;
      if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, 'drain');
    },
    async close() {
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (count === 0) rmSync(path, { force: true });
      return count;
    },
  };
}

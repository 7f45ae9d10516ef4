import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { DamagedFileError, readFileLines, type FileLine } from '../../src/importer/lines';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'poco-lines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(name: string, content: Buffer | string, maxLineBytes = 1024): Promise<{ lines: FileLine[]; error?: Error }> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const lines: FileLine[] = [];
  try {
    for await (const line of readFileLines(path, maxLineBytes)) lines.push(line);
  } catch (error) {
    return { lines, error: error as Error };
  }
  return { lines };
}

describe('readFileLines', () => {
  it('numbers lines from 1 counting blank lines, skips blank lines, drops CRLF and a BOM, keeps a last line without newline', async () => {
    const { lines } = await readAll('a.ndjson', '\uFEFF{"a":1}\r\n\n   \n{"b":2}\n{"c":3}');
    expect(lines).toEqual([
      { kind: 'line', line: 1, text: '{"a":1}' },
      { kind: 'line', line: 4, text: '{"b":2}' },
      { kind: 'line', line: 5, text: '{"c":3}' },
    ]);
  });

  it('reports a line that is not UTF-8 with its exact bytes', async () => {
    const bad = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"ok":1}\n')]);
    const { lines } = await readAll('b.ndjson', bad);
    expect(lines[0]).toMatchObject({ kind: 'bad_line', line: 1, reason: 'invalid_utf8', raw: '{"name":"caf\uFFFD"}' });
    expect(Buffer.from((lines[0] as { rawBase64: string }).rawBase64, 'base64')).toEqual(bad.subarray(0, 15));
    expect(lines[1]).toEqual({ kind: 'line', line: 2, text: '{"ok":1}' });
  });

  it('rejects a 10 MB line without holding it, and goes on with the next line', async () => {
    const huge = `{"x":"${'y'.repeat(10 * 1024 * 1024)}"}`;
    const { lines } = await readAll('c.ndjson', `{"a":1}\n${huge}\n{"b":2}\n`, 1024 * 1024);
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ['line', 1],
      ['bad_line', 2],
      ['line', 3],
    ]);
    const bad = lines[1] as Extract<FileLine, { kind: 'bad_line' }>;
    expect(bad).toMatchObject({ reason: 'line_too_long', rawBytes: huge.length, rawTruncated: true });
    expect(bad.raw.length).toBe(64 * 1024);
    expect(huge.startsWith(bad.raw)).toBe(true);
  });

  it('reads gzip files as their decompressed text', async () => {
    const { lines } = await readAll('d.ndjson.gz', gzipSync('{"a":1}\n\n{"b":2}\n'));
    expect(lines).toEqual([
      { kind: 'line', line: 1, text: '{"a":1}' },
      { kind: 'line', line: 3, text: '{"b":2}' },
    ]);
  });

  it('delivers the lines before the damage of a truncated gzip, the cut line as truncated, then a DamagedFileError', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `{"id":"${i}","pad":"${'z'.repeat(40)}${i * 7919}"}`).join('\n');
    const gz = gzipSync(text);
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    // What any reader can get out of the cut file: zlib's own reading of it, flushed as far as it goes.
    const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const complete = readable.split('\n').slice(0, -1);
    const tail = readable.slice(readable.lastIndexOf('\n') + 1);
    // The cut falls inside a line (checked here, so the expectations below always run).
    expect(complete.length).toBeGreaterThan(100);
    expect(tail.length).toBeGreaterThan(0);
    expect(text.split('\n')[complete.length]).not.toBe(tail);

    const { lines, error } = await readAll('e.ndjson.gz', cut);
    expect(error).toBeInstanceOf(DamagedFileError);
    expect(error?.message).toMatch(/truncated|ends early|corrupt/);
    // Every complete line, in order, then the cut one as truncated: nothing before the damage is lost.
    expect(lines.slice(0, -1)).toEqual(complete.map((line, index) => ({ kind: 'line', line: index + 1, text: line })));
    expect(lines.at(-1)).toMatchObject({ kind: 'bad_line', reason: 'truncated_line', line: complete.length + 1, raw: tail });
    expect(text.split('\n')[complete.length]?.startsWith(tail)).toBe(true);
  });

});

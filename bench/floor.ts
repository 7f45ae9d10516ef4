/**
 * The "floor" of a scenario: the database commands the real subgraph issued
 * for one request, replayed straight through the driver with no GraphQL and
 * no HTTP, at the same concurrency for the same time.
 *
 * The commands are captured from the server's command monitoring, one request
 * at a time, and grouped into waves: a command belongs to the wave after the
 * latest wave that had finished before it started. Replaying wave by wave,
 * each wave's commands in parallel, keeps the dependency chain of the real
 * request (accounts first, then their orders ...) and nothing more.
 */
import { Long, type Db, type Document } from 'mongodb';
import { build as buildHistogram, type Histogram } from 'hdr-histogram-js';
import type { CapturedCommand } from './protocol';

/** Commands that belong to a cursor of the captured run; replay drains its own cursors instead. */
const CURSOR_FOLLOW_UPS = new Set(['getMore', 'killCursors']);

export type Wave = Document[];

/** The captured request as waves of replayable commands. */
export function wavesOf(captured: readonly CapturedCommand[]): Wave[] {
  const commands = captured.filter((entry) => !CURSOR_FOLLOW_UPS.has(entry.name)).sort((x, y) => x.startedAt - y.startedAt);
  const waveOf: number[] = [];
  const waves: Wave[] = [];
  commands.forEach((entry, index) => {
    let wave = 0;
    for (let earlier = 0; earlier < index; earlier++) {
      if (commands[earlier]!.finishedAt <= entry.startedAt) wave = Math.max(wave, waveOf[earlier]! + 1);
    }
    waveOf.push(wave);
    (waves[wave] ??= []).push(replayable(entry.command));
  });
  return waves.filter((wave) => wave !== undefined);
}

/** The command without the session and routing fields the driver adds itself. */
export function replayable(command: Record<string, unknown>): Document {
  const copy: Document = {};
  for (const [key, value] of Object.entries(command)) {
    if (key === 'lsid' || key === 'txnNumber' || key.startsWith('$')) continue;
    copy[key] = value;
  }
  return copy;
}

/** How many documents a reply carries (a cursor's first or next batch). */
export function documentsIn(reply: Record<string, unknown>): number {
  const cursor = reply.cursor as { firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  return (cursor?.firstBatch?.length ?? 0) + (cursor?.nextBatch?.length ?? 0);
}

/** Runs one command and drains its cursor; returns how many commands that took and the documents they returned. */
async function runCommand(db: Db, command: Document): Promise<{ issued: number; documents: number }> {
  const reply = await db.command(command);
  let issued = 1;
  let documents = documentsIn(reply);
  let cursor = reply.cursor as { id?: unknown; ns?: string } | undefined;
  const collection = typeof command.find === 'string' ? command.find : typeof command.aggregate === 'string' ? command.aggregate : undefined;
  while (cursor && collection && cursor.id !== undefined && !isZero(cursor.id)) {
    const id = typeof cursor.id === 'number' ? Long.fromNumber(cursor.id) : cursor.id;
    const next = await db.command({ getMore: id, collection, ...(command.batchSize ? { batchSize: command.batchSize } : {}) });
    issued += 1;
    documents += documentsIn(next);
    cursor = next.cursor as typeof cursor;
  }
  return { issued, documents };
}

function isZero(id: unknown): boolean {
  if (typeof id === 'number' || typeof id === 'bigint') return Number(id) === 0;
  if (id && typeof id === 'object' && 'isZero' in id && typeof (id as { isZero: unknown }).isZero === 'function') {
    return (id as { isZero(): boolean }).isZero();
  }
  return Number(id) === 0;
}

export async function replayRequest(db: Db, waves: readonly Wave[]): Promise<{ issued: number; documents: number }> {
  let issued = 0;
  let documents = 0;
  for (const wave of waves) {
    const counts = await Promise.all(wave.map((command) => runCommand(db, command)));
    issued += counts.reduce((sum, count) => sum + count.issued, 0);
    documents += counts.reduce((sum, count) => sum + count.documents, 0);
  }
  return { issued, documents };
}

/**
 * What the floor does for one request: the captured commands, then JSON.stringify of the response ours
 * answered (the least any server must do to send it), so its CPU time compares with ours'.
 */
export interface FloorRequest {
  waves: readonly Wave[];
  response: unknown;
}

export interface FloorResult {
  requests: number;
  errors: number;
  commands: number;
  documents: number;
  /** CPU time (user + system) of this process over the measured requests. */
  cpuMs: number;
  durationMs: number;
  histogram: Histogram;
}

export function newLatencyHistogram(): Histogram {
  // Microseconds, up to 10 minutes, 3 significant digits.
  return buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

/**
 * `connections` workers replay the requests (round robin over `requests`)
 * for `durationMs` after `warmupMs`; only the measured part counts. A worker
 * finishes the request it is in when time is up (so slow floors still count).
 */
export async function runFloor(
  db: Db,
  requests: readonly FloorRequest[],
  options: { connections: number; durationMs: number; warmupMs: number; maxRequests?: number },
): Promise<FloorResult> {
  const histogram = newLatencyHistogram();
  let next = 0;
  let requestsDone = 0;
  let started = 0;
  let errors = 0;
  let commands = 0;
  let documents = 0;
  let cpuFrom: NodeJS.CpuUsage | undefined;
  // With maxRequests (slow scenarios) the run is a fixed number of requests after one warm-up request per connection.
  const byCount = options.maxRequests !== undefined;
  const warmupEnd = byCount ? 0 : performance.now() + options.warmupMs;
  let measuredFrom = performance.now();
  const end = warmupEnd + options.durationMs;
  const more = (): boolean => (byCount ? started < options.maxRequests! : performance.now() < end);
  const worker = async (): Promise<void> => {
    while (more()) {
      const request = requests[next++ % requests.length]!;
      const begin = performance.now();
      const counted = begin >= warmupEnd;
      if (counted) started += 1;
      // CPU is counted from the first measured request on (a warm-up request still running adds a little).
      if (counted && cpuFrom === undefined) cpuFrom = process.cpuUsage();
      try {
        const replayed = await replayRequest(db, request.waves);
        const body = JSON.stringify(request.response);
        if (body.length === 0) throw new Error('empty response');
        if (counted) {
          histogram.recordValue(Math.max(1, Math.round((performance.now() - begin) * 1000)));
          requestsDone += 1;
          commands += replayed.issued;
          documents += replayed.documents;
        }
      } catch {
        if (counted) errors += 1;
      }
    }
  };
  if (byCount) {
    // Time starts once every worker has its warm-up request behind it.
    await Promise.all(requests.slice(0, options.connections).map((request) => replayRequest(db, request.waves).catch(() => 0)));
    measuredFrom = performance.now();
    await Promise.all(Array.from({ length: options.connections }, () => worker()));
  } else {
    await Promise.all(Array.from({ length: options.connections }, () => worker()));
    measuredFrom = warmupEnd;
  }
  const cpu = cpuFrom === undefined ? { user: 0, system: 0 } : process.cpuUsage(cpuFrom);
  return {
    requests: requestsDone,
    errors,
    commands,
    documents,
    cpuMs: (cpu.user + cpu.system) / 1000,
    durationMs: performance.now() - measuredFrom,
    histogram,
  };
}

/**
 * Stage 4, decide: in line order, each line is rejected, held (an earlier
 * version of an id that occurs again later in the file) or made final (its
 * id's last accepted version, to be written once).
 *
 * If an id's last occurrence is rejected, the latest accepted earlier version
 * is the one kept ("the later record replaces the earlier" only when it is a
 * record the importer can keep). A unique key (order_no, coupon code in its
 * store) already owned by another id rejects the line.
 *
 * No I/O: the rejections come back in line order for the caller to write.
 */
import type { Doc } from '../importRun';
import type { FileImport, HeldRecord, LineRejection } from './fileImport';
import type { Outcome } from './resolve';

export interface Decisions {
  /** Ids to write in this chunk, each with its final version and every accepted line. */
  finals: Map<string, HeldRecord>;
  /** In line order. */
  rejections: LineRejection[];
}

export function decide(
  state: FileImport,
  outcomes: readonly Outcome[],
  stored: ReadonlyMap<string, Doc>,
  owners: ReadonlyMap<string, string>,
  final: boolean,
): Decisions {
  const { kind, held, claims, repeats } = state;
  const unique = kind.unique;
  const finals = new Map<string, HeldRecord>();
  const rejections: LineRejection[] = [];

  const ownerOf = (key: string): string | undefined => {
    if (claims.has(key)) return claims.get(key) ?? undefined;
    return owners.get(key);
  };
  const makeFinal = (id: string, record: HeldRecord): void => {
    const earlier = finals.get(id);
    finals.set(id, earlier ? { ...record, lines: [...earlier.lines, ...record.lines] } : record);
  };
  const afterRejection = (id: string | undefined, line: number): void => {
    // A rejected last occurrence: the latest accepted earlier version is the one kept.
    if (id === undefined || repeats.get(id) !== line) return;
    const record = held.get(id);
    if (record) {
      held.delete(id);
      makeFinal(id, record);
    }
  };

  for (const { entry, doc, anomalies, rejection } of outcomes) {
    if ('bad' in entry) {
      const { bad } = entry;
      rejections.push({
        entry,
        reason: bad.reason,
        message: bad.message,
        extra: {
          ...(bad.rawBase64 ? { rawBase64: bad.rawBase64 } : {}),
          ...(bad.rawTruncated ? { rawTruncated: true, rawBytes: bad.rawBytes } : {}),
        },
      });
      continue;
    }
    if ('invalid' in entry) {
      rejections.push({ entry, reason: entry.invalid.reason, message: entry.invalid.message });
      continue;
    }
    if (rejection || !doc) {
      rejections.push({
        entry,
        reason: rejection?.reason ?? 'invalid_value',
        message: rejection?.message ?? 'rejected',
        ...(rejection?.field ? { field: rejection.field } : {}),
      });
      afterRejection(entry.id, entry.line);
      continue;
    }
    const id = doc._id;
    if (unique) {
      const key = unique.keyOf(doc);
      const owner = ownerOf(key);
      if (owner !== undefined && owner !== id) {
        rejections.push({ entry, reason: unique.reason, message: `${unique.describe(doc)} already belongs to ${kind.idField} "${owner}"`, field: unique.field });
        afterRejection(id, entry.line);
        continue;
      }
      const previous = held.get(id)?.doc ?? finals.get(id)?.doc ?? stored.get(id);
      if (previous) {
        const previousKey = unique.keyOf(previous);
        if (previousKey !== key && ownerOf(previousKey) === id) claims.set(previousKey, null);
      }
      claims.set(key, id);
    }
    const record: HeldRecord = held.get(id) ?? { doc, anomalies: anomalies ?? [], lines: [] };
    record.doc = doc;
    record.anomalies = anomalies ?? [];
    record.lines.push({ line: entry.line, raw: entry.raw, doc });
    if ((repeats.get(id) ?? 0) > entry.line) {
      held.set(id, record);
    } else {
      held.delete(id);
      makeFinal(id, record);
    }
  }
  if (final) {
    // Only if the file changed between the passes: whatever is still held is final now.
    for (const [id, record] of held) makeFinal(id, record);
    held.clear();
  }
  return { finals, rejections };
}

/** After a write: claims of written documents are visible in the database now; keep those of held ones. */
export function releaseWrittenClaims(state: FileImport): void {
  const unique = state.kind.unique;
  if (state.run.dryRun || !unique) return;
  state.claims.clear();
  for (const [id, record] of state.held) state.claims.set(unique.keyOf(record.doc), id);
}

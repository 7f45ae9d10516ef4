/**
 * What the stages of one file's import share: the file, its report, the
 * collection it fills, and the state carried from chunk to chunk (versions of
 * repeated ids held back, unique keys claimed). Created once per file by
 * importFile.ts; every stage takes it as its first argument.
 */
import type { Collection } from 'mongodb';
import { NumberText } from '../../shared/numberText';
import type { JsonObject } from '../fields';
import { parseRecordLine } from '../json';
import type { Doc, ImportRun } from '../importRun';
import type { RecordKind } from '../kinds/kind';
import type { AnomalyKind, ExportFile, FileReport, RejectReason } from '../report';
import type { ServiceView } from './serviceChanges';

export interface ImportFileInput {
  run: ImportRun;
  kind: RecordKind<Doc>;
  file: ExportFile;
  /** The file name in the directory (for rejects and the report). */
  name: string;
  path: string;
}

/** One accepted line of an id. */
export interface AcceptedLine {
  line: number;
  raw: string;
  /** The normalised record of this line, to count it against the version before it. */
  doc: Doc;
}

/** The versions of one id seen so far in this file: the latest accepted one and every accepted line. */
export interface HeldRecord {
  doc: Doc;
  anomalies: AnomalyKind[];
  lines: AcceptedLine[];
}

/** A line to reject, with everything its reject record needs. */
export interface LineRejection {
  entry: { line: number; raw: string };
  reason: RejectReason;
  message: string;
  field?: string;
  extra?: object;
}

export interface FileImport {
  readonly run: ImportRun;
  readonly kind: RecordKind<Doc>;
  readonly file: ExportFile;
  readonly name: string;
  readonly path: string;
  readonly report: FileReport;
  readonly collection: Collection<Doc>;
  /** Ids occurring more than once in the file => line of their last occurrence (pass 1). */
  readonly repeats: Map<string, number>;
  /** Earlier versions of repeated ids, held (not written) until their last occurrence. */
  readonly held: Map<string, HeldRecord>;
  /**
   * The collection held no document as the file started: only this run can
   * have written an id (once), so the stored-version and unique-owner look-ups
   * are skipped (on FerretDB 1.24 every `$in` is a collection scan).
   */
  readonly emptyAtStart: boolean;
  /** Unique keys (order_no, store+code) claimed by this run's not-yet-visible documents: key => id, or null once released. */
  readonly claims: Map<string, string | null>;
  chunkNumber: number;
  /**
   * Accounts erased in the service, read once as the file starts (orders and
   * feedback; for accounts only when a rejected line needs it, see rejectLine).
   */
  erasedAccounts: Set<string> | undefined;
  /** Orders and feedback: the accounts whose records this file wrote (to catch up with an erasure decided meanwhile). */
  readonly writtenAccounts: Set<string>;
}

export async function openFileImport(input: ImportFileInput, repeats: Map<string, number>): Promise<FileImport> {
  const { run, kind } = input;
  const collection = run.collections[kind.collection] as unknown as Collection<Doc>;
  const emptyAtStart = (await collection.findOne({}, { projection: { _id: 1 } })) === null;
  if (emptyAtStart) run.startsEmpty(kind.collection);
  return {
    ...input,
    report: run.fileReport(input.file, input.name),
    collection,
    repeats,
    held: new Map(),
    emptyAtStart,
    claims: new Map(),
    chunkNumber: 0,
    erasedAccounts: input.file === 'orders' || input.file === 'feedback' ? await run.findErasedAccounts() : undefined,
    writtenAccounts: new Set(),
  };
}

/** The service's changes as the rules of serviceChanges.ts need them. */
export function serviceView(state: FileImport): ServiceView {
  return { erasedAccounts: state.erasedAccounts ?? NO_ACCOUNTS };
}

const NO_ACCOUNTS: ReadonlySet<string> = new Set();

async function erasedAccountsOf(state: FileImport): Promise<ReadonlySet<string>> {
  state.erasedAccounts ??= await state.run.findErasedAccounts();
  return state.erasedAccounts;
}

/** Counts a line as read and rejected, and writes its reject record (without an erased account's personal data). */
export async function rejectLine(state: FileImport, rejection: LineRejection): Promise<void> {
  const { entry, reason, message, field, extra } = PERSONAL_FIELDS[state.file].length > 0 ? await withoutErasedData(state, rejection) : rejection;
  state.report.read += 1;
  await state.run.reject(state.report, {
    file: state.name,
    line: entry.line,
    reason,
    ...(field ? { field } : {}),
    message,
    raw: entry.raw,
    ...extra,
  });
}

/** Export fields holding the personal data an erasure removes, per file. */
const PERSONAL_FIELDS: { readonly [F in ExportFile]: readonly string[] } = {
  accounts: ['email', 'display_name'],
  orders: ['shipping_address'],
  feedback: ['title', 'body'],
  coupons: [],
  coupon_reissues: [],
  points_ledger: [],
  points_transfers: [],
};

/**
 * A rejected line of an erased account (its `account_id` names one) must not
 * bring the erased values back through the rejects file: its raw text keeps
 * every field but the personal ones (set to null), and the message (which may
 * quote a value) is withheld. A line that is not a JSON object cannot be
 * taken apart: when it names an erased account's id, its text is withheld.
 */
async function withoutErasedData(state: FileImport, rejection: LineRejection): Promise<LineRejection> {
  const erased = await erasedAccountsOf(state);
  if (erased.size === 0) return rejection;
  const { entry, reason, field } = rejection;
  const withheld = {
    message: `${reason}${field ? ` (${field})` : ''}: details withheld, the line belongs to an erased account`,
    ...(field ? { field } : {}),
    reason,
  };
  const parsed = parseRecordLine(entry.raw);
  if (parsed.ok) {
    const accountId = parsed.record.account_id;
    if (typeof accountId !== 'string' || !erased.has(accountId)) return rejection;
    const record: JsonObject = { ...parsed.record };
    for (const name of PERSONAL_FIELDS[state.file]) if (name in record) record[name] = null;
    const raw = JSON.stringify(record, (_key, value: unknown) => (value instanceof NumberText ? value.text : value));
    return { ...withheld, entry: { line: entry.line, raw }, extra: { redacted: 'erased_account' } };
  }
  for (const id of erased) {
    if (entry.raw.includes(JSON.stringify(id))) return { ...withheld, entry: { line: entry.line, raw: '' }, extra: { redacted: 'erased_account' } };
  }
  return rejection;
}

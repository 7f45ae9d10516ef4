/**
 * Who may read what (api.md "Who may read what") and who may act (api.md
 * "Scopes"), as plain functions over the request's Viewer. Resolvers call
 * these; nothing else decides access.
 */
import type { Viewer } from '../graphql/context';
import { forbidden, unauthenticated } from '../errors';
import { PRIVACY_SCOPE, SUPPORT_SCOPE } from './viewer';

/** May the viewer read data owned by `ownerUserId` (null = an unlinked account, support only)? */
export function canRead(viewer: Viewer, ownerUserId: string | null): boolean {
  if (viewer.kind !== 'user') return false;
  if (viewer.isSupport) return true;
  return ownerUserId !== null && ownerUserId === viewer.userId;
}

/**
 * For the personal `poco*` fields of `User`: throws UNAUTHENTICATED without a
 * valid token and FORBIDDEN for someone else's user, so the field resolves to
 * null with that error while the rest of the response stands.
 */
export function assertMayReadUser(viewer: Viewer, userId: string): void {
  if (viewer.kind !== 'user') throw unauthenticated();
  if (!canRead(viewer, userId)) throw forbidden();
}

/** For support-only root fields such as pocoAccountsByEmail (poco:privacy reads like support). */
export function assertSupport(viewer: Viewer): void {
  if (viewer.kind !== 'user') throw unauthenticated();
  if (!viewer.isSupport) throw forbidden();
}

/** The actions and what each needs (api.md "Scopes"). */
export type Action = 'linkAccount' | 'unlinkAccount' | 'erasePersonalData' | 'readAuditLog';

function scopesFor(action: Action): readonly string[] {
  switch (action) {
    case 'linkAccount':
    case 'unlinkAccount':
      return [SUPPORT_SCOPE];
    case 'erasePersonalData':
      return [PRIVACY_SCOPE];
    case 'readAuditLog':
      return [SUPPORT_SCOPE, PRIVACY_SCOPE];
    default: {
      const unreachable: never = action;
      throw new Error(`unknown action ${String(unreachable)}`);
    }
  }
}

/** Whether a signed-in viewer holds one of the scopes `action` needs. */
export function mayAct(viewer: Viewer, action: Action): boolean {
  return viewer.kind === 'user' && scopesFor(action).some((scope) => viewer.scopes.has(scope));
}

/** UNAUTHENTICATED without a token, FORBIDDEN without one of the action's scopes: checked before anything else. */
export function assertMayAct(viewer: Viewer, action: Action): asserts viewer is Extract<Viewer, { kind: 'user' }> {
  if (viewer.kind !== 'user') throw unauthenticated();
  if (!mayAct(viewer, action)) throw forbidden(`This needs the ${scopesFor(action).join(' or ')} scope.`);
}

/**
 * The access export of a user (User.pocoPersonalDataExport): the user
 * themselves or a privacy officer; poco:support alone is FORBIDDEN, as is
 * anyone else.
 */
export function mayExportPersonalData(viewer: Viewer, userId: string): boolean {
  if (viewer.kind !== 'user') return false;
  return viewer.userId === userId || viewer.scopes.has(PRIVACY_SCOPE);
}

export function assertMayExportPersonalData(viewer: Viewer, userId: string): void {
  if (viewer.kind !== 'user') throw unauthenticated();
  if (!mayExportPersonalData(viewer, userId)) {
    throw forbidden(`Only the user themselves or a privacy officer (${PRIVACY_SCOPE} scope) may export a user's personal data.`);
  }
}

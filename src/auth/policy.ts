/**
 * Who may read what (api.md "Who may read what"), as plain functions over the
 * request's Viewer. Resolvers call these; nothing else decides access.
 */
import type { Viewer } from '../graphql/context';
import { forbidden, unauthenticated } from '../errors';

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

/** For support-only root fields such as pocoAccountsByEmail. */
export function assertSupport(viewer: Viewer): void {
  if (viewer.kind !== 'user') throw unauthenticated();
  if (!viewer.isSupport) throw forbidden();
}

/** The scope rules of the support and privacy actions (api.md "Scopes"), over viewers as the token verifier makes them. */
import { mayAct, mayExportPersonalData, canRead, type Action } from '../../src/auth/policy';
import { viewerFromPayload } from '../../src/auth/viewer';
import type { Viewer } from '../../src/graphql/context';

const viewer = (scope: string, sub = 'caller'): Viewer => viewerFromPayload({ sub, scope })!;
const anonymous: Viewer = { kind: 'anonymous', reason: 'missing' };

describe('scopes', () => {
  const table: [string, Record<Action, boolean>][] = [
    ['', { linkAccount: false, unlinkAccount: false, erasePersonalData: false, readAuditLog: false }],
    ['poco:support', { linkAccount: true, unlinkAccount: true, erasePersonalData: false, readAuditLog: true }],
    ['poco:privacy', { linkAccount: false, unlinkAccount: false, erasePersonalData: true, readAuditLog: true }],
    ['openid poco:support poco:privacy', { linkAccount: true, unlinkAccount: true, erasePersonalData: true, readAuditLog: true }],
    ['poco:supporter poco:privacy-lite', { linkAccount: false, unlinkAccount: false, erasePersonalData: false, readAuditLog: false }],
  ];
  it.each(table)('scope "%s" may act as listed', (scope, expected) => {
    const v = viewer(scope);
    for (const action of Object.keys(expected) as Action[]) expect([action, mayAct(v, action)]).toEqual([action, expected[action]]);
  });

  it('lets nobody act without a token', () => {
    for (const action of ['linkAccount', 'unlinkAccount', 'erasePersonalData', 'readAuditLog'] as Action[]) expect(mayAct(anonymous, action)).toBe(false);
  });

  it('lets poco:privacy read everything poco:support reads', () => {
    expect(canRead(viewer('poco:privacy'), null)).toBe(true);
    expect(canRead(viewer('poco:privacy'), 'someone-else')).toBe(true);
    expect(canRead(viewer(''), 'someone-else')).toBe(false);
  });

  it('lets the owner or poco:privacy export personal data, but not poco:support alone', () => {
    expect(mayExportPersonalData(viewer('', 'user-1'), 'user-1')).toBe(true);
    expect(mayExportPersonalData(viewer('poco:privacy'), 'user-1')).toBe(true);
    expect(mayExportPersonalData(viewer('poco:support'), 'user-1')).toBe(false);
    expect(mayExportPersonalData(viewer('', 'user-2'), 'user-1')).toBe(false);
    expect(mayExportPersonalData(anonymous, 'user-1')).toBe(false);
  });
});

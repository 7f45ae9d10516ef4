import { createDocumentTokenCodec, MAX_TOKEN_LENGTH, type DocumentClaims } from '../../src/documents/token';

const claims: DocumentClaims = {
  kind: 'proofOfPurchase',
  subject: 'ORD-1001',
  sub: 'xiaomi-user-42',
  scopes: ['poco:support', 'openid'],
  expiresAt: new Date('2025-06-01T00:15:00.000Z'),
};

describe('document link tokens', () => {
  const codec = createDocumentTokenCodec('a-document-secret-of-at-least-32-characters');

  it('open() gives back exactly the claims seal() was given', () => {
    expect(codec.open(codec.seal(claims))).toEqual(claims);
  });

  it('are opaque: neither the subject nor the viewer can be read from the token', () => {
    const token = codec.seal(claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const secret of ['ORD-1001', 'xiaomi-user-42', 'proofOfPurchase', 'poco:support']) {
      expect(token).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
  });

  it('differ for the same claims (random nonce), so two links never share a token', () => {
    expect(codec.seal(claims)).not.toBe(codec.seal(claims));
  });

  it('refuse any changed character, a truncation and an extension', () => {
    const token = codec.seal(claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let tried = 0;
    for (let index = 0; index < token.length; index++) {
      const current = token[index] as string;
      const replacement = alphabet[(alphabet.indexOf(current) + 1) % alphabet.length] as string;
      const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
      expect(codec.open(tampered)).toBeUndefined();
      tried++;
    }
    expect(tried).toBe(token.length);
    expect(codec.open(token.slice(0, -1))).toBeUndefined();
    expect(codec.open(token.slice(0, -4))).toBeUndefined();
    expect(codec.open(`${token}A`)).toBeUndefined();
  });

  it('made with another secret are refused', () => {
    const other = createDocumentTokenCodec('another-document-secret-of-32-characters!');
    expect(codec.open(other.seal(claims))).toBeUndefined();
  });

  it('refuse garbage without throwing', () => {
    for (const garbage of ['', 'A', '....', 'not a token', '%2e%2e', 'A'.repeat(MAX_TOKEN_LENGTH + 1), '\u0000', 'AQ']) {
      expect(codec.open(garbage)).toBeUndefined();
    }
  });
});

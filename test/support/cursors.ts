/**
 * A cursor signed exactly as src/shared/cursor.ts signs (HMAC-SHA256 over the
 * list id and the payload, first 128 bits, base64url), around any payload
 * text: what a leaked secret or a bug in encode could produce. Tests use it to
 * prove the payload is still checked behind a valid signature.
 */
import { createHmac } from 'node:crypto';

export function signedCursor(secret: string, listId: string, payloadText: string): string {
  const payload = Buffer.from(payloadText, 'utf8').toString('base64url');
  const mac = createHmac('sha256', secret).update(listId).update('\n').update(payload).digest().subarray(0, 16);
  return `${payload}.${mac.toString('base64url')}`;
}

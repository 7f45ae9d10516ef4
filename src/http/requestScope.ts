/**
 * The request being served, for code that Apollo calls without our context
 * (formatError): every GraphQL request runs inside `requestScope.run(...)`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  readonly requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

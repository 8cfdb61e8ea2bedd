import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
}

/** Carries the request id through every await of one request (and of one background job). */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The id of the request (or job) being served, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

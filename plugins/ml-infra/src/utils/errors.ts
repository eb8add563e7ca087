import { ResponseError } from '@backstage/errors';

/** The backend answers 404 for a module it has no results for yet: that is an empty state, not an error. */
export function isNotFound(error: unknown): boolean {
  const response = (error as { response?: { status?: number } } | undefined)
    ?.response;
  return response?.status === 404;
}

/**
 * What went wrong, in the server's words. A `ResponseError`'s own message is only
 * "Request failed with 403 Forbidden"; the reason the backend gave is in its body.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError || isResponseErrorLike(error)) {
    const server = (error as ResponseError).body?.error?.message;
    if (server) {
      return server;
    }
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

// Two copies of @backstage/errors in one bundle defeat instanceof; the shape is what matters.
function isResponseErrorLike(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: string }).name === 'ResponseError' &&
    typeof (error as { body?: unknown }).body === 'object'
  );
}

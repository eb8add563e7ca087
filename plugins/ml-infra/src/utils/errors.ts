/** The backend answers 404 for a module it has no results for yet: that is an empty state, not an error. */
export function isNotFound(error: unknown): boolean {
  const response = (error as { response?: { status?: number } } | undefined)
    ?.response;
  return response?.status === 404;
}

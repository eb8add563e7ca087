/**
 * Whether a URL reported by a client may become a link: http(s) only. A `javascript:` or
 * `data:` URL must never reach an href; the backend refuses them (the OpenAPI document says
 * the same for its validator) and the frontend still checks what it renders.
 */
export function isHttpUrl(value: string | undefined): value is string {
  if (!value) {
    return false;
  }
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

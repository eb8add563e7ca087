import { z } from 'zod';

/**
 * A URL the portal renders as a link: http(s) only, so a `javascript:` or `data:` URL sent by a
 * client never reaches an href. The OpenAPI document states the same rule for its validator.
 */
export const httpUrlSchema = z
  .string()
  .max(2048)
  .url()
  .refine(value => /^https?:$/i.test(new URL(value).protocol), {
    message: 'must be an http(s) URL',
  });

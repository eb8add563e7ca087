import { isHttpUrl } from '@ml-infra-portal/plugin-ml-infra-common';
import { z } from 'zod';

/** A URL the portal renders as a link: http(s) only (the rule lives in the common package). */
export const httpUrlSchema = z
  .string()
  .max(2048)
  .refine(isHttpUrl, { message: 'must be an http(s) URL' });

import { CustomErrorBase } from '@backstage/errors';

/** The upload is larger than `mlInfra.ingestion.maxBodyBytes`; answered with 413. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  /** Read by Backstage's error middleware. */
  statusCode = 413;
}

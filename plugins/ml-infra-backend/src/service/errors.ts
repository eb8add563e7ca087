import { CustomErrorBase } from '@backstage/errors';

/** The upload is larger than `mlInfra.ingestion.maxBodyBytes`; answered with 413. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  /** Read by Backstage's error middleware. */
  statusCode = 413;
}

/** A body the route cannot take (Content-Type or Content-Encoding); answered with 415. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  /** Read by Backstage's error middleware. */
  statusCode = 415;
}

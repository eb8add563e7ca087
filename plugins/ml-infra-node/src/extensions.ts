import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * A check the promotion gate runs besides its built-in ones (tests, policy, soak time, drift).
 *
 * @public
 */
export interface PromotionGateCheck {
  /** Short id shown with the reason, e.g. `change-freeze`. */
  id: string;
  evaluate(request: {
    entityRef: string;
    version: string;
    environment: string;
  }): Promise<{ ok: boolean; message: string }>;
}

/**
 * Lets backend modules add promotion gate checks.
 *
 * @public
 */
export interface MlInfraGateExtensionPoint {
  addCheck(check: PromotionGateCheck): void;
}

/** @public */
export const mlInfraGateExtensionPoint =
  createExtensionPoint<MlInfraGateExtensionPoint>({
    id: 'ml-infra.gate',
  });

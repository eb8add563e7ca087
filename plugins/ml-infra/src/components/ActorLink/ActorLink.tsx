import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * Who did something: a catalog user or group becomes a link; anything else (a CI bot name, a
 * service subject such as `external:ci-pipelines`) is shown as text.
 */
export const ActorLink = ({ actor }: { actor?: string }) => {
  if (!actor) {
    return <>—</>;
  }
  return /^(user|group):/i.test(actor) ? (
    <EntityRefLink entityRef={actor} hideIcon />
  ) : (
    <>{actor}</>
  );
};

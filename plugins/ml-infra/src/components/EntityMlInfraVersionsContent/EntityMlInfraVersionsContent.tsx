import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { mlInfraApiRef } from '../../api';
import { useModuleEntityRef } from '../../hooks/useModuleEntityRef';
import { DataState } from '../DataState';
import { PromotionGateCard } from './PromotionGateCard';
import { PromotionHistory } from './PromotionHistory';
import { VersionEvidence } from './VersionEvidence';
import { VersionMatrix } from './VersionMatrix';

/** The "Versions & environments" tab of a module. */
export const EntityMlInfraVersionsContent = () => {
  const api = useApi(mlInfraApiRef);
  const entityRef = useModuleEntityRef();
  const state = useAsync(async () => {
    const [versions, matrix] = await Promise.all([
      api.getVersions(entityRef),
      api.getEnvironments(entityRef),
    ]);
    return {
      versions: [...versions].sort((a, b) =>
        b.releasedAt.localeCompare(a.releasedAt),
      ),
      matrix,
    };
  }, [api, entityRef]);

  return (
    <DataState
      {...state}
      title="No versions released yet"
      description="Releases and deployments appear here once the module's release and promote workflows report to the portal."
      isEmpty={({ versions, matrix }) =>
        versions.length === 0 && matrix.history.length === 0
      }
    >
      {({ versions, matrix }) => (
        <Grid container spacing={3}>
          <Grid item xs={12} lg={7}>
            <VersionMatrix versions={versions} matrix={matrix} />
          </Grid>
          <Grid item xs={12} lg={5}>
            <PromotionGateCard
              entityRef={entityRef}
              latest={versions[0]}
              matrix={matrix}
            />
          </Grid>
          <Grid item xs={12}>
            <PromotionHistory history={matrix.history} />
          </Grid>
          <Grid item xs={12}>
            <VersionEvidence versions={versions} />
          </Grid>
        </Grid>
      )}
    </DataState>
  );
};

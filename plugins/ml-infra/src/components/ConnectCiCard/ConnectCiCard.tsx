import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { CodeSnippet, InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { GuideLink } from '../GuideLink';
import { ciIdentityOf } from './connectCi';

const WORKFLOWS: Array<[string, string]> = [
  ['test.yml', 'Terratest results (go test -json)'],
  ['policy.yml', 'policy results (conftest test --output json)'],
  ['release.yml', 'releases (new version tags)'],
  ['promote.yml', 'deployments (a version promoted to an environment)'],
  ['drift.yml', 'drift checks (terraform show -json of a plan)'],
];

/**
 * What a new module's owner does next: point its CI at this portal. Shown on the module's
 * Overview until the first report arrives.
 */
export const ConnectCiCard = () => {
  const { entity } = useEntity();
  const config = useApi(configApiRef);
  const portalUrl = config.getString('backend.baseUrl');
  const identity = ciIdentityOf(entity);

  return (
    <InfoCard
      title="Connect CI"
      subheader="No CI report has arrived for this module yet"
    >
      <div data-testid="connect-ci-card">
        {identity.kind === 'static-token' && identity.cloneFrom && (
          <Box mb={2}>
            <Typography variant="subtitle2" component="h3">
              Get the code
            </Typography>
            <Typography variant="body2">
              The module was published as a local git repository:
            </Typography>
            <CodeSnippet
              language="shell"
              text={`git clone ${identity.cloneFrom}`}
              showCopyCodeButton
            />
          </Box>
        )}
        <Typography variant="subtitle2" component="h3">
          1. Tell the pipelines where the portal is
        </Typography>
        <Typography variant="body2">
          Set <code>ML_INFRA_URL</code>
          {identity.kind === 'github-oidc'
            ? ` as a repository variable of ${identity.repository}`
            : ' in the CI environment'}
          :
        </Typography>
        <CodeSnippet language="shell" text={portalUrl} showCopyCodeButton />
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            2. Let them prove who they are
          </Typography>
          {identity.kind === 'github-oidc' ? (
            <Typography variant="body2" data-testid="ci-identity">
              GitHub Actions OIDC: the workflows ask GitHub for a token
              (permission <code>id-token: write</code>, already set) and the
              portal checks it. No portal secret is needed.
            </Typography>
          ) : (
            <Typography variant="body2" data-testid="ci-identity">
              A static token in the environment variable{' '}
              <code>ML_INFRA_TOKEN</code>, kept in the CI&apos;s secret store.
              Governance issues it in <code>backend.auth.externalAccess</code>,
              scoped to this module.
            </Typography>
          )}
        </Box>
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            3. What each workflow sends
          </Typography>
          <ul style={{ marginTop: 4 }}>
            {WORKFLOWS.map(([file, what]) => (
              <li key={file}>
                <Typography variant="body2">
                  <code>{file}</code>: {what}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
        <GuideLink />
      </div>
    </InfoCard>
  );
};

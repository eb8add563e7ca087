import { Content, ContentHeader, Header, Page } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/** The ML Infra landing page. */
export const MlInfraPage = () => (
  <Page themeId="tool">
    <Header title="ML Infra" subtitle="Terraform modules for ML platforms: versions, environments, drift, policy and tests" />
    <Content>
      <ContentHeader title="Modules" />
      <Typography>Module catalog</Typography>
    </Content>
  </Page>
);

import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { GovernancePage } from '../GovernancePage';
import { ModuleCatalog } from '../ModuleCatalog';

/** The ML Infra page: the module catalog at its root, governance under /compliance. */
export const MlInfraPage = () => (
  <Page themeId="tool">
    <Header
      title="ML Infra"
      subtitle="Terraform modules for ML platforms: versions, environments, drift, policy and tests"
    />
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Modules">
        <ModuleCatalog />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/compliance" title="Governance">
        <GovernancePage />
      </TabbedLayout.Route>
    </TabbedLayout>
  </Page>
);

import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import BuildIcon from '@material-ui/icons/Build';

/** The collator's document type (search-backend-module-ml-infra). */
const ML_INFRA_MODULE_TYPE = 'ml-infra-module';

const mlInfraResultType = SearchFilterResultTypeBlueprint.make({
  name: 'ml-infra-module',
  params: {
    value: ML_INFRA_MODULE_TYPE,
    name: 'ML Infra modules',
    icon: <BuildIcon />,
  },
});

const mlInfraResultListItem = SearchResultListItemBlueprint.make({
  name: 'ml-infra-module',
  params: {
    predicate: result => result.type === ML_INFRA_MODULE_TYPE,
    component: async () =>
      (await import('./MlInfraSearchResultListItem'))
        .MlInfraSearchResultListItem,
  },
});

/** ML Infra module status on the search page: its own result type and result rows. */
export const searchModule = createFrontendModule({
  pluginId: 'search',
  extensions: [mlInfraResultType, mlInfraResultListItem],
});

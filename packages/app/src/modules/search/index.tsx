import {
  createExtensionInput,
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import searchPlugin from '@backstage/plugin-search/alpha';
import {
  SearchFilterBlueprint,
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

/**
 * The search page with the stock page's inputs (result rows, result types, filters), rendered by
 * the app's SearchPage: results inside the main landmark and in one list.
 */
const searchPage = PageBlueprint.makeWithOverrides({
  inputs: {
    items: createExtensionInput([SearchResultListItemBlueprint.dataRefs.item]),
    resultTypes: createExtensionInput([
      SearchFilterResultTypeBlueprint.dataRefs.resultType,
    ]),
    searchFilters: createExtensionInput([
      SearchFilterBlueprint.dataRefs.searchFilters,
    ]),
  },
  factory(originalFactory, { inputs }) {
    return originalFactory({
      path: '/search',
      routeRef: searchPlugin.routes.root,
      title: 'Search',
      loader: async () => {
        const { SearchPage } = await import('./SearchPage');
        return (
          <SearchPage
            items={inputs.items.map(i =>
              i.get(SearchResultListItemBlueprint.dataRefs.item),
            )}
            resultTypes={inputs.resultTypes.map(i =>
              i.get(SearchFilterResultTypeBlueprint.dataRefs.resultType),
            )}
            searchFilters={inputs.searchFilters.map(
              i =>
                i.get(SearchFilterBlueprint.dataRefs.searchFilters).component,
            )}
          />
        );
      },
    });
  },
});

/** ML Infra module status on the search page: its own result type and result rows, and the page. */
export const searchModule = createFrontendModule({
  pluginId: 'search',
  extensions: [searchPage, mlInfraResultType, mlInfraResultListItem],
});

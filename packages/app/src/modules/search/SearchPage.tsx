import { CatalogIcon, Content, Page } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
import { SearchType } from '@backstage/plugin-search';
import {
  DefaultResultListItem,
  SearchBar,
  SearchContextProvider,
  SearchFilter,
  SearchPagination,
  SearchResult,
  SearchResultPager,
  useSearch,
} from '@backstage/plugin-search-react';
import {
  SearchFilterExtensionComponent,
  SearchResultItemExtensionComponent,
  SearchResultItemExtensionPredicate,
} from '@backstage/plugin-search-react/alpha';
import { Grid, List, ListItem, makeStyles, Paper } from '@material-ui/core';
import { ReactNode } from 'react';
import { SearchUrlState } from './SearchUrlState';

const useStyles = makeStyles(theme => ({
  filter: { '& + &': { marginTop: theme.spacing(2.5) } },
  filters: { padding: theme.spacing(2), marginTop: theme.spacing(2) },
}));

export interface SearchPageProps {
  items: Array<{
    predicate?: SearchResultItemExtensionPredicate;
    component: SearchResultItemExtensionComponent;
  }>;
  resultTypes: Array<{ value: string; name: string; icon: ReactNode }>;
  searchFilters: SearchFilterExtensionComponent[];
  noTrack?: boolean;
}

const SearchPageContent = (props: SearchPageProps) => {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const configApi = useApi(configApiRef);
  const { types } = useSearch();
  // Predicates take the whole result (its type decides: catalog, TechDocs, ML Infra rows).
  const itemFor = (result: Parameters<SearchResultItemExtensionPredicate>[0]) =>
    props.items.find(item => item.predicate?.(result))?.component ??
    DefaultResultListItem;
  return (
    <Page themeId="home">
      <Content>
        <Grid container direction="row">
          <Grid item xs={12}>
            <SearchBar debounceTime={100} />
          </Grid>
          <Grid item xs={12} md={3}>
            <SearchType.Accordion
              name="Result Type"
              defaultValue={configApi.getOptionalString('search.defaultType')}
              showCounts
              types={[
                {
                  value: 'software-catalog',
                  name: 'Software Catalog',
                  icon: <CatalogIcon />,
                },
                ...props.resultTypes.map(t => ({
                  ...t,
                  icon: t.icon as JSX.Element,
                })),
              ]}
            />
            <Paper className={classes.filters}>
              {types.includes('techdocs') && (
                <SearchFilter.Select
                  className={classes.filter}
                  label="Entity"
                  name="name"
                  values={async () => {
                    const { items } = await catalogApi.getEntities({
                      fields: ['metadata.name'],
                      filter: {
                        'metadata.annotations.backstage.io/techdocs-ref':
                          CATALOG_FILTER_EXISTS,
                      },
                    });
                    return items.map(e => e.metadata.name).sort();
                  }}
                />
              )}
              <SearchFilter.Select
                className={classes.filter}
                label="Kind"
                name="kind"
                values={async () => {
                  const { facets } = await catalogApi.getEntityFacets({
                    facets: ['kind'],
                  });
                  return (facets.kind ?? [])
                    .map(f => f.value)
                    .sort((a, b) => a.localeCompare(b));
                }}
              />
              <SearchFilter.Checkbox
                className={classes.filter}
                label="Lifecycle"
                name="lifecycle"
                values={['experimental', 'production']}
              />
              {props.searchFilters.map((Filter, i) => (
                <Filter key={i} className={classes.filter} />
              ))}
            </Paper>
          </Grid>
          <Grid item xs>
            <SearchPagination />
            <SearchResult>
              {({ results }) => (
                // One list of results (the stock page renders list items with no list around them).
                <List aria-label="Search results">
                  {results.map((result, index) => {
                    const { document, ...rest } = result;
                    const Item = itemFor(result);
                    const item = (
                      <Item
                        key={`${document.location}-${index}`}
                        {...rest}
                        result={document}
                        noTrack={props.noTrack}
                      />
                    );
                    // Extension rows come as list items; the default row is only their content.
                    return Item === DefaultResultListItem ? (
                      <ListItem
                        key={`${document.location}-${index}`}
                        divider
                        alignItems="flex-start"
                      >
                        {item}
                      </ListItem>
                    ) : (
                      item
                    );
                  })}
                </List>
              )}
            </SearchResult>
            <SearchResultPager />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};

/**
 * The search page: the stock page's search bar, result types, filters and result rows, inside the
 * page's main landmark and with its results in one list.
 */
export const SearchPage = (props: SearchPageProps) => (
  <SearchContextProvider>
    <SearchUrlState />
    <SearchPageContent {...props} />
  </SearchContextProvider>
);

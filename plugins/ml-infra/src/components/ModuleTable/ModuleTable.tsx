import {
  startTransition,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useSearchParams } from 'react-router-dom';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Toolbar from '@material-ui/core/Toolbar';
import InputAdornment from '@material-ui/core/InputAdornment';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import {
  ModuleListQuery,
  ModuleSummary,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { useEnvironments } from '../../hooks/useEnvironments';
import { NoDataEmptyState } from '../DataState';
import { ErrorPanel } from '../ErrorPanel';
import { FilterSelect, Option, useOptions } from './FilterSelect';
import { ModuleRow } from './ModuleRow';
import { listQuery, SortField, useModuleList } from './useModuleList';

type StatusFilter = NonNullable<ModuleListQuery['status']>;

export interface ModuleFilters {
  owner: string;
  status: '' | StatusFilter;
  environment: string;
  goldenPath: string;
}

const STATUS_OPTIONS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'healthy', label: 'Healthy' },
  { value: 'drifted', label: 'Drifted' },
  { value: 'policy-failed', label: 'Policy failing' },
  { value: 'tests-failed', label: 'Tests failing' },
  { value: 'not-reported', label: 'Not reported' },
];

/** The longest a typed search waits for its answer before the URL shows it anyway. */
const SEARCH_URL_WAIT_MS = 1000;

const useStyles = makeStyles(theme => ({
  toolbar: {
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
  },
  search: { minWidth: 240, flexGrow: 1 },
  head: { '& th': { whiteSpace: 'nowrap' } },
}));

export interface ModuleTableProps {
  /** Owners offered in the owner filter. */
  owners: string[];
  initialPageSize?: number;
}

/**
 * Every ML infra module, filtered, sorted and paged by the backend so a catalog of thousands of
 * modules only ever renders one page.
 */
export const ModuleTable = ({
  owners,
  initialPageSize = 25,
}: ModuleTableProps) => {
  const classes = useStyles();
  const configured = useEnvironments();
  const catalogApi = useApi(catalogApiRef);
  // Owners by the names people know them by, not raw `group:default/…` refs.
  const { value: ownerNames } = useAsync(async () => {
    if (owners.length === 0) return new Map<string, string>();
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: owners,
      fields: ['kind', 'metadata', 'spec.profile'],
    });
    return new Map(
      owners.map((ref, i) => {
        const entity = items[i];
        const name =
          (entity?.spec as { profile?: { displayName?: string } } | undefined)
            ?.profile?.displayName ??
          entity?.metadata.title ??
          entity?.metadata.name ??
          ref;
        return [ref, name];
      }),
    );
  }, [catalogApi, owners.join(',')]);
  // Filters, search, sort and page live in the URL: Back, reload and a shared link keep them.
  const [params, setParams] = useSearchParams();
  const { request, willWrite, loading, error, value, shown } = useModuleList(
    params,
    initialPageSize,
  );
  // The latest params and setter, for the memoised filters' callbacks.
  const current = useRef({ params, setParams });
  current.current = { params, setParams };
  // A search typed but not yet in the URL: it is written once its answer is on screen (or after
  // SEARCH_URL_WAIT_MS without one), so the re-render a URL change costs the whole page (every
  // route, tab and link follows the URL) comes after the rows instead of competing with them.
  const pendingSearch = useRef<{
    params: URLSearchParams;
    timer: ReturnType<typeof setTimeout>;
  }>();
  /** Forgets the typed search not yet written: something else now decides the URL. */
  const dropPendingSearch = useCallback(() => {
    clearTimeout(pendingSearch.current?.timer);
    pendingSearch.current = undefined;
  }, []);
  // The search of the last URL write not yet rendered, if any.
  const urlWrite = useRef<string>();
  /** Writes the pending search to the URL: the first one adds a history entry, later ones replace it. */
  const writeSearch = useCallback(() => {
    const pending = pendingSearch.current;
    if (!pending) return;
    dropPendingSearch();
    // What the URL's search is about to be: a write still rendering counts.
    const replace = Boolean(
      urlWrite.current ?? current.current.params.get('q'),
    );
    urlWrite.current = pending.params.get('q') ?? '';
    willWrite(pending.params);
    startTransition(() =>
      current.current.setParams(pending.params, { replace }),
    );
  }, [willWrite, dropPendingSearch]);
  useEffect(() => dropPendingSearch, [dropPendingSearch]);
  /** The params with `changes` applied (to the pending search's, if one is not written yet). */
  const withChanges = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(
      pendingSearch.current?.params ?? current.current.params,
    );
    for (const [key, change] of Object.entries(changes)) {
      if (change) next.set(key, change);
      else next.delete(key);
    }
    return next;
  };
  const update = (
    changes: Record<string, string | undefined>,
    { replace = false }: { replace?: boolean } = {},
  ) => {
    const next = withChanges(changes);
    dropPendingSearch();
    current.current.setParams(next, { replace });
  };
  // What the URL asks of the backend, read in one place (listQuery).
  const query = listQuery(params, initialPageSize);
  const filters: ModuleFilters = {
    owner: query.owner ?? '',
    status: query.status ?? '',
    environment: query.environment ?? '',
    goldenPath: query.goldenPath ?? '',
  };
  const search = query.search ?? '';
  const sort = { field: query.sort ?? 'name', order: query.order ?? 'asc' };
  const { offset = 0, limit: pageSize = initialPageSize } = query;
  const page = Math.floor(offset / pageSize);
  const setPage = (next: number) =>
    update({ page: next > 0 ? String(next) : undefined });

  // The search answers as you type: every change asks the server (the list reads one small
  // status table, and only the latest answer is shown). The request goes out from the keystroke
  // itself; the URL follows the answer (writeSearch), so Back, reload and links keep the search.
  const [searchInput, setSearchInput] = useState(search);
  // The search last typed, which the URL may not show yet.
  const typed = useRef(search);
  useEffect(() => {
    if (search === urlWrite.current) {
      // A write of ours rendered (while typing went on, it may be older than the field).
      urlWrite.current = undefined;
      return;
    }
    urlWrite.current = undefined;
    // Back, forward and links change the search without typing: the field follows, and a
    // typed search not yet written gives way to the navigation.
    if (search !== typed.current) {
      typed.current = search;
      setSearchInput(search);
      dropPendingSearch();
    }
  }, [search, dropPendingSearch]);
  const onSearch = (input: string) => {
    setSearchInput(input);
    const q = input.trim();
    if (q === typed.current) return;
    typed.current = q;
    const next = withChanges({ q: q || undefined, page: undefined });
    dropPendingSearch();
    const pending = {
      params: next,
      timer: setTimeout(writeSearch, SEARCH_URL_WAIT_MS),
    };
    pendingSearch.current = pending;
    request(next).then(() => {
      if (pendingSearch.current === pending) writeSearch();
    });
  };

  // Golden paths have no list endpoint: offer the ones seen so far.
  const goldenPaths = useRef(new Set<string>());
  (value?.items ?? []).forEach(
    item => item.goldenPath && goldenPaths.current.add(item.goldenPath),
  );

  const environments = shown?.environments.length
    ? shown.environments
    : configured;

  const updateRef = useRef(update);
  updateRef.current = update;
  const onSelect = useCallback(
    (key: keyof ModuleFilters, selected: string) =>
      updateRef.current({ [key]: selected || undefined, page: undefined }),
    [],
  );
  const ownerOptions = useOptions(owners, owner => ownerNames?.get(owner));
  const environmentOptions = useOptions(environments);
  const goldenPathOptions = useOptions([...goldenPaths.current].sort());
  const filterSelects: Array<{
    name: keyof ModuleFilters;
    label: string;
    options: Option[];
  }> = [
    { name: 'owner', label: 'Owner', options: ownerOptions },
    { name: 'status', label: 'Status', options: STATUS_OPTIONS },
    { name: 'environment', label: 'Environment', options: environmentOptions },
    { name: 'goldenPath', label: 'Golden path', options: goldenPathOptions },
  ];

  const sortLabel = (field: SortField, label: string) => (
    <TableSortLabel
      active={sort.field === field}
      direction={sort.field === field ? sort.order : 'asc'}
      onClick={() => {
        update({
          sort: field === 'name' ? undefined : field,
          order:
            sort.field === field && sort.order === 'asc' ? 'desc' : undefined,
          page: undefined,
        });
      }}
    >
      {label}
    </TableSortLabel>
  );
  const ariaSort = (field: SortField) => {
    if (sort.field !== field) {
      return undefined;
    }
    return sort.order === 'asc' ? 'ascending' : 'descending';
  };

  const rows: ModuleSummary[] = shown?.items ?? [];
  const filtered =
    search !== '' ||
    Object.values(filters).some(filterValue => filterValue !== '');

  return (
    <Paper>
      <Toolbar className={classes.toolbar} aria-label="Module filters">
        <TextField
          className={classes.search}
          id="module-search"
          label="Search modules"
          variant="outlined"
          size="small"
          value={searchInput}
          onChange={e => onSearch(e.target.value)}
          inputProps={{
            'aria-label': 'Search modules',
            'data-testid': 'module-search',
          }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon />
              </InputAdornment>
            ),
          }}
        />
        {filterSelects.map(select => (
          <FilterSelect
            key={select.name}
            {...select}
            value={filters[select.name]}
            onSelect={onSelect}
          />
        ))}
      </Toolbar>
      {/* Always mounted, hidden when idle: mounting it attached its style sheet, which restyled
          the whole page on every search, and unmounting detached it again. */}
      <LinearProgress
        aria-label="Loading modules"
        aria-hidden={!loading}
        style={loading ? undefined : { visibility: 'hidden' }}
        variant={loading ? 'indeterminate' : 'determinate'}
        value={0}
      />
      {error && <ErrorPanel error={error} title="Could not load modules" />}
      {!error &&
        shown &&
        rows.length === 0 &&
        !loading &&
        (filtered ? (
          <NoDataEmptyState
            title="No modules match these filters"
            description="Clear a filter or the search to see more modules."
          />
        ) : (
          <NoDataEmptyState title="No ML infra modules yet" />
        ))}
      {!error && rows.length > 0 && (
        <TableContainer>
          <Table
            size="small"
            aria-label="ML infra modules"
            data-testid="module-table"
          >
            <TableHead className={classes.head}>
              <TableRow>
                <TableCell aria-sort={ariaSort('name')}>
                  {sortLabel('name', 'Module')}
                </TableCell>
                <TableCell aria-sort={ariaSort('owner')}>
                  {sortLabel('owner', 'Owner')}
                </TableCell>
                <TableCell>System</TableCell>
                <TableCell aria-sort={ariaSort('latestVersion')}>
                  {sortLabel('latestVersion', 'Latest version')}
                </TableCell>
                {environments.map(env => (
                  <TableCell key={env}>{env}</TableCell>
                ))}
                <TableCell>Status</TableCell>
                <TableCell aria-sort={ariaSort('updatedAt')}>
                  {sortLabel('updatedAt', 'Updated')}
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(module => (
                <ModuleRow
                  key={module.entityRef}
                  module={module}
                  environments={environments}
                />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {!error && shown && (
        <TablePagination
          component="div"
          count={shown.totalCount}
          page={page}
          rowsPerPage={pageSize}
          rowsPerPageOptions={[10, 25, 50, 100]}
          onPageChange={(_, next) => setPage(next)}
          onRowsPerPageChange={e => {
            update({ pageSize: e.target.value, page: undefined });
          }}
        />
      )}
    </Paper>
  );
};

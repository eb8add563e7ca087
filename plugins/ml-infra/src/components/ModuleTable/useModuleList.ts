import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  ModuleListQuery,
  ModuleListResponse,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';

export type SortField = NonNullable<ModuleListQuery['sort']>;

/** The query a URL's search params ask of the backend. */
export function listQuery(
  params: URLSearchParams,
  initialPageSize: number,
): ModuleListQuery {
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const pageSize = Number(params.get('pageSize') ?? 0) || initialPageSize;
  return {
    owner: params.get('owner') || undefined,
    environment: params.get('environment') || undefined,
    goldenPath: params.get('goldenPath') || undefined,
    status: (params.get('status') || undefined) as ModuleListQuery['status'],
    search: params.get('q') ?? '',
    sort: (params.get('sort') ?? 'name') as SortField,
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    offset: page * pageSize,
    limit: pageSize,
  };
}

interface ListAnswer {
  /** The search params it answers. */
  key: string;
  value?: ModuleListResponse;
  error?: Error;
  /** The latest list received, kept on screen while the next one loads. */
  shown?: ModuleListResponse;
}

/**
 * The module list for the URL's search params, latest request wins. `request` starts the request
 * for params about to be written to the URL, so a search asks the server at once instead of after
 * the re-render the URL change causes; the URL's own changes (Back, reload, links) ask too, and
 * the same params are never asked twice in a row.
 */
export function useModuleList(
  params: URLSearchParams,
  initialPageSize: number,
) {
  const api = useApi(mlInfraApiRef);
  const latest = useRef<string>();
  const [answer, setAnswer] = useState<ListAnswer>();
  const request = useCallback(
    (next: URLSearchParams) => {
      const key = next.toString();
      if (latest.current === key) return;
      latest.current = key;
      api.listModules(listQuery(next, initialPageSize)).then(
        value => {
          if (latest.current === key) setAnswer({ key, value, shown: value });
        },
        error => {
          if (latest.current === key) {
            setAnswer(prev => ({ key, error, shown: prev?.shown }));
          }
        },
      );
    },
    [api, initialPageSize],
  );
  const key = params.toString();
  useEffect(() => {
    request(new URLSearchParams(key));
  }, [request, key]);
  return {
    request,
    loading: answer?.key !== key,
    value: answer?.key === key ? answer.value : undefined,
    error: answer?.key === key ? answer.error : undefined,
    /** Kept on screen while the next answer loads, so paging does not flash. */
    shown: answer?.shown,
  };
}

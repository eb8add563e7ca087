import { ReactNode } from 'react';
import { EmptyState, Progress } from '@backstage/core-components';
import { isNotFound } from '../../utils/errors';
import { ErrorPanel } from '../ErrorPanel';
import { GuideLink } from '../GuideLink';

export interface NoDataEmptyStateProps {
  title: string;
  description?: string;
}

/** Nothing reported yet: points to how CI pushes results. */
export const NoDataEmptyState = ({
  title,
  description,
}: NoDataEmptyStateProps) => (
  <EmptyState
    missing="data"
    title={title}
    description={
      description ??
      'CI pipelines push results to the ML Infra backend. Wire up the module workflows to see data here.'
    }
    action={<GuideLink variant="contained" />}
  />
);

export interface DataStateProps<T> extends NoDataEmptyStateProps {
  loading: boolean;
  error?: Error;
  value?: T;
  /** Whether a loaded value counts as empty. */
  isEmpty?: (value: T) => boolean;
  children: (value: T) => ReactNode;
}

/** The loading, error and empty states every data view shares; a 404 counts as empty. */
export function DataState<T>(props: DataStateProps<T>) {
  const { loading, error, value, isEmpty, children, title, description } =
    props;
  if (loading) {
    return <Progress />;
  }
  if (error && !isNotFound(error)) {
    return <ErrorPanel error={error} title="Could not load this view" />;
  }
  if (error || value === undefined || (isEmpty && isEmpty(value))) {
    return <NoDataEmptyState title={title} description={description} />;
  }
  return <>{children(value)}</>;
}

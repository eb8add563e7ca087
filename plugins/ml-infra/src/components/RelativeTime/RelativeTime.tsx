import Tooltip from '@material-ui/core/Tooltip';
import { DateTime } from 'luxon';
import { formatExact } from '../../utils/time';

/** A date as "3 days ago", with the exact time on hover and for assistive technology. */
export const RelativeTime = ({
  value,
  fallback = '—',
}: {
  value?: string;
  fallback?: string;
}) => {
  if (!value) {
    return <>{fallback}</>;
  }
  const exact = formatExact(value);
  return (
    <Tooltip title={exact}>
      <time dateTime={value} aria-label={exact}>
        {DateTime.fromISO(value).toRelative() ?? exact}
      </time>
    </Tooltip>
  );
};

import { useMemo } from 'react';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { DateTime } from 'luxon';
import type { ModuleDrift } from '@ml-infra-portal/plugin-ml-infra-common';
import { useChartTheme } from '../../utils/chartTheme';
import { ChartFrame } from '../ChartFrame';

/** Pivots per-environment checks into one row per check time, for a line per environment. */
export function pivotChecks(checks: ModuleDrift['checks']) {
  const rows = new Map<string, Record<string, number | string>>();
  for (const check of checks) {
    const row = rows.get(check.checkedAt) ?? { checkedAt: check.checkedAt };
    row[check.environment] = check.driftedResources;
    rows.set(check.checkedAt, row);
  }
  return [...rows.values()].sort((a, b) =>
    String(a.checkedAt).localeCompare(String(b.checkedAt)),
  );
}

/** Drifted resources per environment over time. */
export const DriftHistoryChart = ({
  checks,
  environments,
}: {
  checks: ModuleDrift['checks'];
  environments: string[];
}) => {
  const theme = useTheme();
  const chart = useChartTheme();
  const data = useMemo(() => pivotChecks(checks), [checks]);
  const palette = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.warning.main,
    theme.palette.info.main,
    theme.palette.success.main,
  ];
  return (
    <ChartFrame
      label={`Drifted resources over time for ${environments.join(', ')}, ${
        checks.length
      } checks`}
      testId="drift-history-chart"
      height={260}
    >
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" {...chart.grid} />
        <XAxis
          {...chart.axis}
          dataKey="checkedAt"
          tickFormatter={value =>
            DateTime.fromISO(String(value)).toFormat('LLL d HH:mm')
          }
        />
        <YAxis
          {...chart.axis}
          allowDecimals={false}
          label={{
            value: 'Drifted resources',
            angle: -90,
            position: 'insideLeft',
            ...chart.axisLabel,
          }}
        />
        <Tooltip
          {...chart.tooltip}
          labelFormatter={value =>
            DateTime.fromISO(String(value)).toLocaleString(
              DateTime.DATETIME_MED,
            )
          }
        />
        <Legend {...chart.legend} />
        {environments.map((env, index) => (
          <Line
            isAnimationActive={false}
            key={env}
            type="stepAfter"
            dataKey={env}
            name={env}
            stroke={palette[index % palette.length]}
            strokeDasharray={index === 0 ? undefined : `${index * 3} 2`}
            connectNulls
            dot
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
};

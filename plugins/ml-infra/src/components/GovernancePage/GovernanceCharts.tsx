import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ComplianceOverview } from '@ml-infra-portal/plugin-ml-infra-common';
import { useChartTheme } from '../../utils/chartTheme';
import { ChartFrame } from '../ChartFrame';

/**
 * The outcome series both charts draw, each in one colour and, on a line, one dash pattern, so
 * they read without colour too.
 */
function useOutcomeSeries() {
  const theme = useTheme();
  return [
    { dataKey: 'failed', name: 'Failed', color: theme.palette.status.error },
    {
      dataKey: 'warned',
      name: 'Warned',
      color: theme.palette.status.warning,
      dash: '5 3',
    },
    {
      dataKey: 'waived',
      name: 'Waived',
      color: theme.palette.info.main,
      dash: '2 2',
    },
  ];
}

/**
 * Grid, axes over `xKey` and counts, tooltip and legend, in the theme's colours. A fragment, not
 * a component: recharts looks for these parts among the chart's children (fragments included).
 */
const chrome = (chart: ReturnType<typeof useChartTheme>, xKey: string) => (
  <>
    <CartesianGrid strokeDasharray="3 3" {...chart.grid} />
    <XAxis dataKey={xKey} {...chart.axis} />
    <YAxis allowDecimals={false} {...chart.axis} />
    <Tooltip {...chart.tooltip} />
    <Legend {...chart.legend} />
  </>
);

/** Failed, warned and waived results per severity, stacked. */
export const SeverityChart = ({
  data,
}: {
  data: ComplianceOverview['bySeverity'];
}) => {
  const chart = useChartTheme();
  const series = useOutcomeSeries();
  return (
    <ChartFrame
      label="Violations by severity chart"
      testId="severity-chart"
      height={240}
    >
      <BarChart data={data}>
        {chrome(chart, 'severity')}
        {series.map(s => (
          <Bar
            key={s.dataKey}
            isAnimationActive={false}
            dataKey={s.dataKey}
            name={s.name}
            stackId="s"
            fill={s.color}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
};

/** Violations and drift per day; line styles differ so the series read without colour. */
export const TrendChart = ({ data }: { data: ComplianceOverview['trend'] }) => {
  const theme = useTheme();
  const chart = useChartTheme();
  const series = useOutcomeSeries();
  return (
    <ChartFrame
      label="Violation and drift trend chart"
      testId="trend-chart"
      height={240}
    >
      <LineChart data={data}>
        {chrome(chart, 'day')}
        {series.map(s => (
          <Line
            key={s.dataKey}
            isAnimationActive={false}
            type="monotone"
            dataKey={s.dataKey}
            name={s.name}
            stroke={s.color}
            strokeDasharray={s.dash}
          />
        ))}
        <Line
          isAnimationActive={false}
          type="monotone"
          dataKey="drifted"
          name="Drifted"
          // The theme's secondary is a red next to Failed's; purple keeps the series apart.
          stroke={theme.palette.type === 'dark' ? '#ce93d8' : '#7b1fa2'}
          strokeDasharray="8 3 2 3"
        />
      </LineChart>
    </ChartFrame>
  );
};

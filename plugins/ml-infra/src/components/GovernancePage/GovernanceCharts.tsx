import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ComplianceOverview } from '@ml-infra-portal/plugin-ml-infra-common';
import { useChartTheme } from '../../utils/chartTheme';

/** Failed, warned and waived results per severity, stacked. */
export const SeverityChart = ({
  data,
}: {
  data: ComplianceOverview['bySeverity'];
}) => {
  const theme = useTheme();
  const chart = useChartTheme();
  return (
    <div
      role="img"
      aria-label="Violations by severity chart"
      data-testid="severity-chart"
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" {...chart.grid} />
          <XAxis dataKey="severity" {...chart.axis} />
          <YAxis allowDecimals={false} {...chart.axis} />
          <Tooltip {...chart.tooltip} />
          <Legend {...chart.legend} />
          <Bar
            isAnimationActive={false}
            dataKey="failed"
            name="Failed"
            stackId="s"
            fill={theme.palette.status.error}
          />
          <Bar
            isAnimationActive={false}
            dataKey="warned"
            name="Warned"
            stackId="s"
            fill={theme.palette.status.warning}
          />
          <Bar
            isAnimationActive={false}
            dataKey="waived"
            name="Waived"
            stackId="s"
            fill={theme.palette.info.main}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
};

/** Violations and drift per day; line styles differ so the series read without colour. */
export const TrendChart = ({ data }: { data: ComplianceOverview['trend'] }) => {
  const theme = useTheme();
  const chart = useChartTheme();
  return (
    <div
      role="img"
      aria-label="Violation and drift trend chart"
      data-testid="trend-chart"
    >
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" {...chart.grid} />
          <XAxis dataKey="day" {...chart.axis} />
          <YAxis allowDecimals={false} {...chart.axis} />
          <Tooltip {...chart.tooltip} />
          <Legend {...chart.legend} />
          <Line
            isAnimationActive={false}
            type="monotone"
            dataKey="failed"
            name="Failed"
            stroke={theme.palette.status.error}
          />
          <Line
            isAnimationActive={false}
            type="monotone"
            dataKey="warned"
            name="Warned"
            stroke={theme.palette.status.warning}
            strokeDasharray="5 3"
          />
          <Line
            isAnimationActive={false}
            type="monotone"
            dataKey="waived"
            name="Waived"
            stroke={theme.palette.info.main}
            strokeDasharray="2 2"
          />
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
      </ResponsiveContainer>
    </div>
  );
};

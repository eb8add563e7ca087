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

/** Failed, warned and waived results per severity, stacked. */
export const SeverityChart = ({
  data,
}: {
  data: ComplianceOverview['bySeverity'];
}) => {
  const theme = useTheme();
  return (
    <div
      role="img"
      aria-label="Violations by severity chart"
      data-testid="severity-chart"
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="severity" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
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
  return (
    <div
      role="img"
      aria-label="Violation and drift trend chart"
      data-testid="trend-chart"
    >
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
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
            stroke={theme.palette.secondary.main}
            strokeDasharray="8 3 2 3"
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
};

import { useTheme } from '@material-ui/core/styles';

/**
 * Axis, grid, tooltip and legend colours from the MUI theme. recharts draws them in fixed greys
 * that vanish on the dark theme's paper; spread these into every chart's parts instead.
 */
export function useChartTheme() {
  const theme = useTheme();
  const text = theme.palette.text.secondary;
  return {
    axis: { stroke: text, tick: { fill: text } },
    axisLabel: { fill: text },
    grid: { stroke: theme.palette.divider },
    tooltip: {
      contentStyle: {
        backgroundColor: theme.palette.background.paper,
        borderColor: theme.palette.divider,
        color: theme.palette.text.primary,
      },
      labelStyle: { color: theme.palette.text.primary },
    },
    legend: { wrapperStyle: { color: theme.palette.text.primary } },
  };
}

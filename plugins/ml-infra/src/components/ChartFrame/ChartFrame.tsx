import { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export interface ChartFrameProps {
  /** What the chart shows, read out instead of the drawing. */
  label: string;
  testId: string;
  height: number;
  /** One recharts chart (BarChart, LineChart…). */
  children: ReactElement;
}

/** A chart as one image to assistive technology, as wide as its container. */
export const ChartFrame = ({
  label,
  testId,
  height,
  children,
}: ChartFrameProps) => (
  <div role="img" aria-label={label} data-testid={testId}>
    <ResponsiveContainer width="100%" height={height}>
      {children}
    </ResponsiveContainer>
  </div>
);

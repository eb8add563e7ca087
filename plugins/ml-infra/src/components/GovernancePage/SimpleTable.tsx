import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import Grid, { GridSize } from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

export interface SimpleColumn<T> {
  title: string;
  render: (row: T) => ReactNode;
  numeric?: boolean;
}

export interface SimpleTableProps<T> {
  label: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: SimpleColumn<T>[];
  emptyText: string;
}

/** A small read-only table for the governance breakdowns. */
export function SimpleTable<T>(props: SimpleTableProps<T>) {
  const { label, rows, rowKey, columns, emptyText } = props;
  if (rows.length === 0) {
    return <Typography color="textSecondary">{emptyText}</Typography>;
  }
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          {columns.map(column => (
            <TableCell
              key={column.title}
              align={column.numeric ? 'right' : 'left'}
            >
              {column.title}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={rowKey(row)}>
            {columns.map(column => (
              <TableCell
                key={column.title}
                align={column.numeric ? 'right' : 'left'}
              >
                {column.render(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * A breakdown in a card of the page's grid: the card's title names the table too (unless
 * `label` says more); `children` come before the table (a chart of the same rows).
 */
export function TableCard<T>(
  props: Omit<SimpleTableProps<T>, 'label'> & {
    title: string;
    label?: string;
    /** Columns of 12 from the md or xl breakpoint up; full width below. */
    width?: { md?: GridSize; xl?: GridSize };
    children?: ReactNode;
  },
) {
  const { title, label, width, children, ...table } = props;
  return (
    <Grid item xs={12} {...width}>
      <InfoCard title={title}>
        {children}
        <SimpleTable label={label ?? title} {...table} />
      </InfoCard>
    </Grid>
  );
}

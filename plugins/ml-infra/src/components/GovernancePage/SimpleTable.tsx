import { ReactNode } from 'react';
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

/** A small read-only table for the governance breakdowns. */
export function SimpleTable<T>(props: {
  label: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: SimpleColumn<T>[];
  emptyText: string;
}) {
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

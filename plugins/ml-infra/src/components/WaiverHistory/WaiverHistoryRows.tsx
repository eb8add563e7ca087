import { useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import KeyboardArrowDown from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowUp from '@material-ui/icons/KeyboardArrowUp';
import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { WaiverHistory } from './WaiverHistory';

const label = (waiver: Waiver) =>
  `waiver ${waiver.rule} for ${waiver.entityRef}`;

/** The button of a waiver row that shows or hides its history row. */
export const WaiverHistoryToggle = ({
  waiver,
  open,
  rowId,
  onToggle,
}: {
  waiver: Waiver;
  open: boolean;
  /** Id of the history row this button controls. */
  rowId: string;
  onToggle: () => void;
}) => (
  <IconButton
    size="small"
    aria-label={`Show history of ${label(waiver)}`}
    aria-expanded={open}
    aria-controls={rowId}
    onClick={onToggle}
  >
    {open ? <KeyboardArrowUp /> : <KeyboardArrowDown />}
  </IconButton>
);

/** A full-width table row under a waiver row, holding its audit trail. */
export const WaiverHistoryRow = ({
  waiver,
  rowId,
  colSpan,
}: {
  waiver: Waiver;
  rowId: string;
  colSpan: number;
}) => (
  <TableRow id={rowId}>
    <TableCell colSpan={colSpan}>
      <WaiverHistory
        waiverId={waiver.id}
        title={`History of ${label(waiver)}`}
      />
    </TableCell>
  </TableRow>
);

/**
 * Which waiver rows of a table show their history: `toggle(waiver)` is the row's button,
 * `row(waiver, colSpan)` the history row under it while open. Row ids are `idPrefix` and the
 * waiver's id, so the prefix keeps them unique on the page.
 */
export function useWaiverHistoryFolds(idPrefix: string) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const rowId = (waiver: Waiver) => `${idPrefix}${waiver.id}`;
  return {
    toggle: (waiver: Waiver) => (
      <WaiverHistoryToggle
        waiver={waiver}
        open={!!open[waiver.id]}
        rowId={rowId(waiver)}
        onToggle={() => setOpen(o => ({ ...o, [waiver.id]: !o[waiver.id] }))}
      />
    ),
    row: (waiver: Waiver, colSpan: number) =>
      open[waiver.id] ? (
        <WaiverHistoryRow
          waiver={waiver}
          rowId={rowId(waiver)}
          colSpan={colSpan}
        />
      ) : null,
  };
}

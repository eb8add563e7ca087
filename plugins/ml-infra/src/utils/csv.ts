export type CsvCell = string | number | boolean | undefined | null;

function escapeCell(value: CsvCell): string {
  if (value === undefined || value === null) {
    return '';
  }
  const text = String(value);
  // Leading =, +, -, @ would be evaluated as formulas by spreadsheet programs. A leading tab or
  // carriage return is escaped whatever follows: some programs strip it and evaluate the rest,
  // and Number() would trim it and call "\t5" a number.
  const formula =
    /^[\t\r]/.test(text) ||
    (/^[=+\-@]/.test(text) && Number.isNaN(Number(text)));
  const safe = formula ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV: a header row, then one line per row. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows]
    .map(row => row.map(escapeCell).join(','))
    .join('\r\n');
}

/** Hands a CSV string to the browser as a file download. */
export function downloadCsv(filename: string, csv: string) {
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}

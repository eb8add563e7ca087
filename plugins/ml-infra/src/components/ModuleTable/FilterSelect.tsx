import { ChangeEvent, memo, useMemo } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import type { ModuleFilters } from './ModuleTable';

const useStyles = makeStyles({
  filter: { minWidth: 160 },
});

export type Option = { value: string; label: string };

/**
 * Options for values, the same array while the values and their labels stay the same (so the
 * memoised select does not re-render on every render of the table).
 */
export function useOptions(
  values: string[],
  labelOf: (value: string) => string | undefined = () => undefined,
): Option[] {
  const options = values.map(value => ({
    value,
    label: labelOf(value) ?? value,
  }));
  const key = JSON.stringify(options);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => options, [key]);
}

/** One filter of the toolbar; memoised, so typing in the search does not re-render the filters. */
export const FilterSelect = memo(
  ({
    name,
    label,
    value,
    options,
    onSelect,
  }: {
    name: keyof ModuleFilters;
    label: string;
    value: string;
    options: Option[];
    onSelect: (name: keyof ModuleFilters, value: string) => void;
  }) => {
    const classes = useStyles();
    return (
      <TextField
        select
        id={`module-filter-${name}`}
        label={label}
        value={value}
        onChange={(event: ChangeEvent<{ value: unknown }>) =>
          onSelect(name, String(event.target.value))
        }
        variant="outlined"
        size="small"
        className={classes.filter}
        SelectProps={{
          SelectDisplayProps: {
            'aria-label': label,
            'data-testid': `filter-${name}`,
          } as any,
        }}
      >
        <MenuItem value="">All</MenuItem>
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </TextField>
    );
  },
);

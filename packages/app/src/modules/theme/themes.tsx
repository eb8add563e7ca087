import {
  createUnifiedTheme,
  defaultComponentThemes as backstageComponentThemes,
  palettes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';

const defaultComponentThemes = backstageComponentThemes ?? {};

type StyleArgs = { theme: any };
type Style =
  | Record<string, unknown>
  | ((args: StyleArgs) => Record<string, unknown>);

/** Backstage's style of a component slot, with our additions on top. */
function extend(base: Style | undefined, extra: Record<string, unknown>) {
  return (args: StyleArgs) => ({
    ...(typeof base === 'function' ? base(args) : base),
    ...extra,
  });
}

const baseCell = defaultComponentThemes.MuiTableCell?.styleOverrides as
  | Record<string, Style>
  | undefined;
const baseSortLabel = defaultComponentThemes.MuiTableSortLabel
  ?.styleOverrides as Record<string, Style> | undefined;

/**
 * Backstage's light and dark themes with two fixes that every page needs:
 * - a focus ring every keyboard user can see (MUI's default focus on sort headers, icon buttons
 *   and chips is a faint tint);
 * - table cells that wrap between words only: Backstage's `word-break: break-word` lets the
 *   browser size columns as if any letter were a break, so narrow columns split words
 *   ("APPRO/VE", "Ex/pire/s"). Long unbroken values still wrap when they cannot fit.
 */
function withVisibleFocus(variant: 'light' | 'dark') {
  const palette = palettes[variant];
  // Strong against both the page and the paper of each theme (WCAG 2.2 focus appearance).
  const ring = variant === 'light' ? '#1f5493' : '#9cc9ff';
  const focusVisible = {
    outline: `2px solid ${ring}`,
    outlineOffset: 2,
  };
  return createUnifiedTheme({
    palette:
      variant === 'light'
        ? {
            ...palette,
            // MUI's secondary text (54% black) reads #717171 on the grey page: 4.47:1, below
            // WCAG AA's 4.5:1 (axe: color-contrast on search results and page sections).
            text: { secondary: 'rgba(0, 0, 0, 0.62)' },
          }
        : palette,
    components: {
      MuiButtonBase: {
        styleOverrides: {
          root: { '&.Mui-focusVisible, &:focus-visible': focusVisible },
        },
      },
      MuiTableSortLabel: {
        styleOverrides: {
          ...baseSortLabel,
          root: extend(baseSortLabel?.root, {
            '&.Mui-focusVisible, &:focus-visible': focusVisible,
          }),
        },
      },
      MuiTableCell: {
        styleOverrides: {
          ...baseCell,
          root: extend(baseCell?.root, {
            wordBreak: 'normal',
            overflowWrap: 'break-word',
          }),
          head: extend(baseCell?.head, {
            wordBreak: 'normal',
            overflowWrap: 'normal',
          }),
        },
      },
      MuiButton: {
        styleOverrides: {
          ...defaultComponentThemes.MuiButton?.styleOverrides,
          // A button label on two lines reads as two buttons.
          root: { whiteSpace: 'nowrap' },
        },
      },
      MuiLink: {
        ...defaultComponentThemes.MuiLink,
        styleOverrides: {
          root: { '&:focus-visible': focusVisible },
        },
      },
    },
  });
}

const lightTheme = withVisibleFocus('light');
const darkTheme = withVisibleFocus('dark');

export const LightTheme = ThemeBlueprint.make({
  name: 'light',
  params: {
    theme: {
      id: 'light',
      title: 'Light Theme',
      variant: 'light',
      icon: <LightIcon />,
      Provider: ({ children }) => (
        <UnifiedThemeProvider theme={lightTheme}>
          {children}
        </UnifiedThemeProvider>
      ),
    },
  },
});

export const DarkTheme = ThemeBlueprint.make({
  name: 'dark',
  params: {
    theme: {
      id: 'dark',
      title: 'Dark Theme',
      variant: 'dark',
      icon: <DarkIcon />,
      Provider: ({ children }) => (
        <UnifiedThemeProvider theme={darkTheme}>
          {children}
        </UnifiedThemeProvider>
      ),
    },
  },
});

import {
  createUnifiedTheme,
  palettes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';

/**
 * Backstage's light and dark themes with a focus ring every keyboard user can see: MUI's default
 * focus on sort headers, icon buttons and chips is a faint background tint.
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
    palette,
    components: {
      MuiButtonBase: {
        styleOverrides: {
          root: { '&.Mui-focusVisible, &:focus-visible': focusVisible },
        },
      },
      MuiTableSortLabel: {
        styleOverrides: {
          root: {
            '&.Mui-focusVisible, &:focus-visible': focusVisible,
          },
        },
      },
      MuiLink: {
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

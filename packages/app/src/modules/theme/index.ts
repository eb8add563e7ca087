import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { DarkTheme, LightTheme } from './themes';

/** Replaces the app's light and dark themes with ones that show keyboard focus clearly. */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [LightTheme, DarkTheme],
});

import { expect, test } from '@playwright/test';
import { mlInfraPages } from './portalPages';
import {
  findLayoutProblems,
  saveThemedScreenshots,
  signInAsGuest,
} from './helpers';

/**
 * Layout that reads at common desktop widths: no horizontal overflow, no word split mid-word and no
 * wrapped button label on the ML Infra, governance and module pages, measured from the DOM; and
 * every page in the light and the dark theme, saved as screenshots at 1280 px.
 */

for (const width of [1280, 1920]) {
  test.describe(`layout at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('ML Infra, governance and module pages neither overflow nor break words', async ({
      page,
    }) => {
      test.setTimeout(300_000);
      await signInAsGuest(page);
      const found: string[] = [];
      for (const target of mlInfraPages) {
        await target.open(page);
        // Charts and tables finish their layout after the data arrives.
        await page.waitForLoadState('networkidle');
        for (const problem of await findLayoutProblems(page)) {
          found.push(
            `${target.name}: ${problem.kind} ${problem.element} (${problem.detail})`,
          );
        }
        if (width === 1280) {
          await saveThemedScreenshots(page, `${target.name}-1280`);
        }
      }
      expect(found, found.join('\n')).toEqual([]);
    });
  });
}

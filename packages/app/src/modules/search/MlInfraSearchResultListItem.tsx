import { DefaultResultListItem } from '@backstage/plugin-search-react';
import { SearchResultItemExtensionComponent } from '@backstage/plugin-search-react/alpha';
import { Chip } from '@material-ui/core';
import BuildIcon from '@material-ui/icons/Build';
import { ComponentProps } from 'react';

/** What each document of the ML Infra collator describes, as the tab it links to. */
const ASPECT_LABELS: Record<string, string> = {
  overview: 'Module',
  versions: 'Versions & environments',
  drift: 'Drift',
  policy: 'Policy',
  tests: 'Tests',
};

type ItemProps = ComponentProps<typeof DefaultResultListItem>;

/**
 * The result's highlight, keeping only the marked title and text that fit the document: the
 * engine's tags are random strings that HighlightedSearchResultText renders as marks only when they
 * enclose text, so marks around nothing, or offsets taken from another document, would be printed
 * as raw tags. A field whose marks do not fit is shown as the document's own text.
 */
export function fittingHighlight(
  result: ItemProps['result'],
  highlight: ItemProps['highlight'],
): ItemProps['highlight'] {
  if (!result || !highlight) return undefined;
  const { preTag, postTag } = highlight;
  const fields: Record<string, string> = {};
  for (const field of ['title', 'text'] as const) {
    const marked = highlight.fields[field];
    if (!marked) continue;
    const cleaned = marked.split(`${preTag}${postTag}`).join('');
    const plain = cleaned.split(preTag).join('').split(postTag).join('');
    if (cleaned.includes(preTag) && plain === result[field]) {
      fields[field] = cleaned;
    }
  }
  return { preTag, postTag, fields };
}

/** A module-status result: the module's title, what matched, and which tab the link opens. */
export const MlInfraSearchResultListItem: SearchResultItemExtensionComponent =
  props => {
    // The search page passes each result's highlight along with its document.
    const { highlight } = props as ItemProps;
    const result = props.result as { aspect?: string } | undefined;
    const aspect = result?.aspect ?? 'overview';
    return (
      <DefaultResultListItem
        {...props}
        highlight={fittingHighlight(props.result, highlight)}
        icon={<BuildIcon titleAccess="ML Infra module" />}
        secondaryAction={
          <Chip
            label={ASPECT_LABELS[aspect] ?? aspect}
            size="small"
            variant="outlined"
          />
        }
      />
    );
  };

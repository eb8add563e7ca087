import { DefaultResultListItem } from '@backstage/plugin-search-react';
import { SearchResultItemExtensionComponent } from '@backstage/plugin-search-react/alpha';
import { Chip } from '@material-ui/core';
import BuildIcon from '@material-ui/icons/Build';

/** What each document of the ML Infra collator describes, as the tab it links to. */
const ASPECT_LABELS: Record<string, string> = {
  overview: 'Module',
  versions: 'Versions & environments',
  drift: 'Drift',
  policy: 'Policy',
  tests: 'Tests',
};

/** A module-status result: the module's title, what matched, and which tab the link opens. */
export const MlInfraSearchResultListItem: SearchResultItemExtensionComponent =
  props => {
    const result = props.result as { aspect?: string } | undefined;
    const aspect = result?.aspect ?? 'overview';
    return (
      <DefaultResultListItem
        {...props}
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

import { useState } from 'react';
import { InfoCard, MarkdownContent } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Collapse from '@material-ui/core/Collapse';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ModuleVersion } from '@ml-infra-portal/plugin-ml-infra-common';
import { RelativeTime } from '../RelativeTime';
import { FoldToggle } from '../FoldToggle';
import { StatusChip } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  version: {
    borderTop: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1.5, 0),
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  // A commit hash has no word boundaries: on a narrow screen it may break anywhere rather than
  // overflow.
  hash: {
    overflowWrap: 'anywhere',
  },
}));

/** One released version: its summary as a heading row, its evidence behind a short toggle. */
const VersionItem = ({
  version,
  defaultOpen,
}: {
  version: ModuleVersion;
  defaultOpen: boolean;
}) => {
  const classes = useStyles();
  const [open, setOpen] = useState(defaultOpen);
  const detailsId = `version-${version.version}-details`;
  return (
    <Box
      component="section"
      className={classes.version}
      data-testid={`version-${version.version}`}
      aria-labelledby={`version-${version.version}-title`}
    >
      <div className={classes.header}>
        <Typography
          variant="subtitle1"
          component="h3"
          id={`version-${version.version}-title`}
        >
          {version.version}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          released <RelativeTime value={version.releasedAt} />
        </Typography>
        <StatusChip
          subject="Tests"
          status={version.tests}
          label={`Tests ${version.tests}`}
        />
        <StatusChip
          subject="Policy"
          status={version.policy}
          label={`Policy ${version.policy}`}
        />
        {version.environments.length > 0 && (
          <Typography variant="body2">
            runs in {version.environments.join(', ')}
          </Typography>
        )}
        <FoldToggle
          open={open}
          onToggle={() => setOpen(value => !value)}
          controls={detailsId}
          label={`Evidence of ${version.version}`}
        >
          Evidence
        </FoldToggle>
      </div>
      <Collapse in={open}>
        <Box pt={1.5} id={detailsId}>
          <Grid container spacing={2}>
            <Grid item xs={12} md={4}>
              <Typography variant="overline">Tests</Typography>
              {version.testTotals ? (
                <Typography variant="body2" data-testid="test-totals">
                  {version.testTotals.passed} passed,{' '}
                  {version.testTotals.failed} failed,{' '}
                  {version.testTotals.skipped} skipped of{' '}
                  {version.testTotals.total}
                </Typography>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  No test run reported for this version
                </Typography>
              )}
              <Typography variant="overline" component="p">
                Policy
              </Typography>
              <Typography variant="body2" data-testid="policy-counts">
                {version.policyCounts.failed} failed,{' '}
                {version.policyCounts.warned} warned,{' '}
                {version.policyCounts.waived} waived,{' '}
                {version.policyCounts.passed} passed
              </Typography>
            </Grid>
            <Grid item xs={12} md={8}>
              <Typography variant="overline">Changelog</Typography>
              {version.changelog ? (
                <MarkdownContent content={version.changelog} />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  No changelog
                </Typography>
              )}
            </Grid>
          </Grid>
          {/* Its own row: a full hash does not fit the narrow evidence column. */}
          {version.gitSha && (
            <Typography variant="body2" color="textSecondary">
              commit <code className={classes.hash}>{version.gitSha}</code>
            </Typography>
          )}
        </Box>
      </Collapse>
    </Box>
  );
};

/** Per version: what its tests and policies said, and what changed. */
export const VersionEvidence = ({
  versions,
}: {
  versions: ModuleVersion[];
}) => (
  <InfoCard title="Versions and their evidence">
    {versions.map((version, index) => (
      <VersionItem
        key={version.version}
        version={version}
        defaultOpen={index === 0}
      />
    ))}
  </InfoCard>
);

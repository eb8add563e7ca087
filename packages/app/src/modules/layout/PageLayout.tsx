import {
  BreadcrumbEntry,
  PageLayoutProps,
  useBreadcrumbEntries,
} from '@backstage/frontend-plugin-api';
import { PluginHeader } from '@backstage/ui';
import { makeStyles } from '@material-ui/core/styles';
import { NavLink, useResolvedPath } from 'react-router-dom';

const useStyles = makeStyles(theme => ({
  sections: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 3),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  section: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1, 1.5),
    color: theme.palette.text.secondary,
    textDecoration: 'none',
    whiteSpace: 'nowrap',
    borderBottom: '2px solid transparent',
    '&:hover': { color: theme.palette.text.primary },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  active: {
    color: theme.palette.text.primary,
    fontWeight: 600,
    borderBottomColor: theme.palette.primary.main,
  },
}));

/**
 * The app's page frame: the plugin header with title, breadcrumbs and actions, and a page's
 * sub-pages as navigation links. The stock layout renders sub-pages as ARIA tabs whose
 * `aria-controls` names a tab panel that never exists (they are routes, not panels), which
 * assistive technology reports as broken (axe: aria-valid-attr-value, critical).
 */
export const AppPageLayout = (props: PageLayoutProps) => {
  const { title, icon, noHeader, titleLink, headerActions, tabs, children } =
    props;
  const classes = useStyles();
  const parentPath = useResolvedPath('.').pathname.replace(/\/$/, '');
  const { items: breadcrumbs } = useBreadcrumbEntries();
  if (noHeader) {
    return <>{children}</>;
  }
  const sections = tabs?.map(tab => ({
    ...tab,
    href: tab.href.startsWith('/')
      ? tab.href
      : `${parentPath}/${tab.href}`.replace(/\/{2,}/g, '/'),
  }));
  const content = (
    <>
      <PluginHeader
        title={title}
        icon={icon}
        titleLink={titleLink}
        breadcrumbs={breadcrumbs}
        customActions={headerActions}
      />
      {sections && sections.length > 0 && (
        <nav
          aria-label={`${title ?? 'Page'} sections`}
          className={classes.sections}
        >
          {sections.map(section => (
            <NavLink
              key={section.id}
              to={section.href}
              className={({ isActive }) =>
                isActive
                  ? `${classes.section} ${classes.active}`
                  : classes.section
              }
            >
              {section.icon}
              {section.label}
            </NavLink>
          ))}
        </nav>
      )}
      {children}
    </>
  );
  if (!title) {
    return content;
  }
  return (
    <BreadcrumbEntry
      entry={{ label: title, href: titleLink ?? (parentPath || '/') }}
    >
      {content}
    </BreadcrumbEntry>
  );
};

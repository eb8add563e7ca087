import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSearchField,
  SidebarSpace,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import { useNavigate } from 'react-router-dom';
import { SidebarLogo } from './SidebarLogo';
import { SkipLink } from './SkipLink';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';

/** The sidebar's search bar: submitting opens the search page with the query. */
const SidebarSearch = () => {
  const navigate = useNavigate();
  return (
    <SidebarSearchField
      to="/search"
      onSearch={query => navigate(`/search?query=${encodeURIComponent(query)}`)}
    />
  );
};

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const nav = navItems.withComponent(item => (
        <SidebarItem icon={() => item.icon} to={item.href} text={item.title} />
      ));

      return (
        <>
          <SkipLink />
          <Sidebar>
            <SidebarLogo />
            <SidebarGroup label="Search" icon={<SearchIcon />} to="/search">
              <SidebarSearch />
            </SidebarGroup>
            <SidebarDivider />
            <SidebarGroup label="Menu" icon={<MenuIcon />}>
              {nav.take('page:catalog')}
              {nav.take('page:ml-infra')}
              {nav.take('page:scaffolder')}
              {nav.take('page:techdocs')}
              {nav.take('page:search')}
              <SidebarDivider />
              <SidebarScrollWrapper>
                {nav.rest({ sortBy: 'title' })}
              </SidebarScrollWrapper>
            </SidebarGroup>
            <SidebarSpace />
            <SidebarDivider />
            <SidebarGroup
              label="Settings"
              icon={<UserSettingsSignInAvatar />}
              to="/settings"
            >
              {nav.take('page:user-settings')}
            </SidebarGroup>
          </Sidebar>
        </>
      );
    },
  },
});

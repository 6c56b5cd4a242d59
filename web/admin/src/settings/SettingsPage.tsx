// Settings: organization, the link template, API keys, users and devices.
import { TabbedPage } from '../components/TabbedPage';
import { useCan } from '../session';
import { OrgSettings } from './OrgSettings';
import { TemplateEditor } from './TemplateEditor';
import { ApiKeys } from './ApiKeys';
import { Users } from './Users';
import { Devices } from './Devices';

const TABS = [
  { id: 'organization', label: 'Organization' },
  { id: 'template', label: 'Link template' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'users', label: 'Users and roles' },
  { id: 'devices', label: 'Devices' },
] as const;

export function SettingsPage({ tab }: { tab: string }) {
  const isOwner = useCan('owner');
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  return (
    <TabbedPage
      name="settings"
      title="Settings"
      banner={!isOwner ? 'Only an owner can change organization settings, the template and users; you can look.' : null}
      tabs={TABS}
      current={current.id}
      basePath="/settings"
    >
      {current.id === 'organization' ? <OrgSettings /> : null}
      {current.id === 'template' ? <TemplateEditor /> : null}
      {current.id === 'api-keys' ? <ApiKeys /> : null}
      {current.id === 'users' ? <Users /> : null}
      {current.id === 'devices' ? <Devices /> : null}
    </TabbedPage>
  );
}

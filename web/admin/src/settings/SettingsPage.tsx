// Settings: organization, the link template, API keys, users and devices.
import { Link } from '../router';
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
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {!isOwner ? <p className="banner">Only an owner can change organization settings, the template and users; you can look.</p> : null}
      <nav aria-label="Settings sections" className="tabs">
        <ul>
          {TABS.map((t) => (
            <li key={t.id}>
              <Link to={`/settings/${t.id}`} aria-current={t.id === current.id ? 'page' : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-panel">
        {current.id === 'organization' ? <OrgSettings /> : null}
        {current.id === 'template' ? <TemplateEditor /> : null}
        {current.id === 'api-keys' ? <ApiKeys /> : null}
        {current.id === 'users' ? <Users /> : null}
        {current.id === 'devices' ? <Devices /> : null}
      </div>
    </section>
  );
}

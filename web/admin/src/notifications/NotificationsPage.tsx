// Notifications: email templates, contact tasks, the outbox and webhooks. Tabs follow what the
// API lets the role do: everyone may read templates and tasks, dispatchers the outbox, admins all.
import { TabbedPage } from '../components/TabbedPage';
import { useCan } from '../session';
import { OutboxTab } from './OutboxTab';
import { TasksTab } from './TasksTab';
import { TemplatesTab } from './TemplatesTab';
import { WebhooksTab } from './WebhooksTab';
import './notifications.css';

const TABS = [
  { id: 'templates', label: 'Email templates', min: 'viewer' },
  { id: 'tasks', label: 'Contact tasks', min: 'viewer' },
  { id: 'outbox', label: 'Outbox', min: 'dispatcher' },
  { id: 'webhooks', label: 'Webhooks', min: 'admin' },
] as const;

export function NotificationsPage({ tab }: { tab: string }) {
  const isAdmin = useCan('admin');
  const isDispatcher = useCan('dispatcher');
  const allowed = TABS.filter((t) => t.min === 'viewer' || (t.min === 'dispatcher' ? isDispatcher : isAdmin));
  const current = allowed.find((t) => t.id === tab) ?? allowed[0];
  return (
    <TabbedPage
      name="notifications"
      title="Notifications"
      banner={!isAdmin ? 'Only an admin or owner can change templates and tasks; you can look.' : null}
      tabs={allowed}
      current={current.id}
      basePath="/notifications"
    >
      {current.id === 'templates' ? <TemplatesTab /> : null}
      {current.id === 'tasks' ? <TasksTab /> : null}
      {current.id === 'outbox' ? <OutboxTab /> : null}
      {current.id === 'webhooks' ? <WebhooksTab /> : null}
    </TabbedPage>
  );
}

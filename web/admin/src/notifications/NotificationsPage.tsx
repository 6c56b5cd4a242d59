// Notifications: email templates, contact tasks, the outbox and webhooks. Tabs follow what the
// API lets the role do: everyone may read templates and tasks, dispatchers the outbox, admins all.
import { Link } from '../router';
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
    <section className="page" aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      {!isAdmin ? <p className="banner">Only an admin or owner can change templates and tasks; you can look.</p> : null}
      <nav aria-label="Notifications sections" className="tabs">
        <ul>
          {allowed.map((t) => (
            <li key={t.id}>
              <Link to={`/notifications/${t.id}`} aria-current={t.id === current.id ? 'page' : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-panel">
        {current.id === 'templates' ? <TemplatesTab /> : null}
        {current.id === 'tasks' ? <TasksTab /> : null}
        {current.id === 'outbox' ? <OutboxTab /> : null}
        {current.id === 'webhooks' ? <WebhooksTab /> : null}
      </div>
    </section>
  );
}

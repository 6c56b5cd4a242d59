// The recent deliveries of one webhook (test pings included), newest first.
import { call, client } from '../api';
import { formatDateTime, localeOf } from '../format';
import { useSession } from '../session';
import { ErrorNote, Loading, useLoad } from '../components/ui';
import { OutboxStatusBadge } from './OutboxTab';
import { DataTable } from '../components/DataTable';

export function WebhookDeliveries({ webhookId, tick }: { webhookId: string; tick: number }) {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const list = useLoad(() => call(client.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query: { limit: 20 } } })).then((p) => p.items), [webhookId, tick]);
  if (list.loading && !list.data) return <Loading />;
  if (list.error) return <ErrorNote error={list.error} onRetry={list.reload} />;
  if (!list.data?.length) return <p className="muted small">No deliveries yet. Send a test ping to check your receiver.</p>;
  return (
    <DataTable
      caption="Recent deliveries"
      columns={['Event', 'Status', 'Attempts', 'Last error', 'Queued']}
      after={
        <button type="button" className="btn tiny" onClick={list.reload}>
          Refresh deliveries
        </button>
      }
    >
      {list.data.map((d) => (
        <tr key={d.id}>
          <th scope="row" data-label="Event">
            <code>{d.event_type ?? '—'}</code>
          </th>
          <td data-label="Status">
            <OutboxStatusBadge status={d.status} />
          </td>
          <td data-label="Attempts">{d.attempts}</td>
          <td data-label="Last error" className="outbox-error">{d.last_error ? <span className="error-text">{d.last_error}</span> : '—'}</td>
          <td data-label="Queued">{formatDateTime(d.created_at, locale)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

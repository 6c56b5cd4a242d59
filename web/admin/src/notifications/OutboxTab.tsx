// The outbox: every email and webhook delivery with its status, attempts and last error, and
// putting failed ones back in the queue.
import { useState } from 'react';
import { call, client } from '../api';
import { formatDateTime, localeOf } from '../format';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import { FormError } from '../components/forms';
import { Flash, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { OUTBOX_STATUSES, type OutboxItem, type OutboxStatus } from './types';
import { DataTable } from '../components/DataTable';

export const OUTBOX_STATUS_LABEL: Record<OutboxStatus, string> = { pending: 'Pending', sending: 'Sending', sent: 'Sent', failed: 'Failed' };

export function OutboxStatusBadge({ status }: { status: OutboxStatus }) {
  return <span className={`badge outbox-${status}`}>{OUTBOX_STATUS_LABEL[status] ?? status}</span>;
}

export function OutboxTab() {
  const { me } = useSession();
  const locale = localeOf(me.org.country);
  const canRetry = useCan('admin');
  const [status, setStatus] = useState<OutboxStatus | ''>('');
  const [kind, setKind] = useState<'' | 'email' | 'webhook'>('');
  const [more, setMore] = useState<OutboxItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useLoad(
    () =>
      call(client.GET('/api/v1/outbox', { params: { query: { status: status || undefined, kind: kind || undefined, limit: 50 } } })).then((p) => {
        setMore([]);
        setCursor(p.next_cursor);
        return p.items;
      }),
    [status, kind],
  );
  const action = useAction();
  const [flash, setFlash] = useFlash();

  const loadMore = async () => {
    if (!cursor) return;
    const p = await action.run(() => call(client.GET('/api/v1/outbox', { params: { query: { status: status || undefined, kind: kind || undefined, limit: 50, cursor } } })));
    if (p) {
      setMore((m) => [...m, ...p.items]);
      setCursor(p.next_cursor);
    }
  };
  const retry = async (ids?: string[]) => {
    const r = await action.run(() => call(client.POST('/api/v1/outbox/retry', { body: ids ? { ids } : {} })));
    if (r) {
      setFlash(r.retried ? `${r.retried} failed ${r.retried === 1 ? 'delivery' : 'deliveries'} queued again` : 'Nothing to retry: no failed deliveries');
      list.reload();
    }
  };
  const items = [...(list.data ?? []), ...more];

  return (
    <div className="stack">
      <Flash message={flash} />
      <div className="filters">
        <div className="field">
          <label htmlFor="outbox-status">Status</label>
          <select id="outbox-status" value={status} onChange={(e) => setStatus(e.target.value as OutboxStatus | '')}>
            <option value="">All</option>
            {OUTBOX_STATUSES.map((s) => (
              <option key={s} value={s}>
                {OUTBOX_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="outbox-kind">Kind</label>
          <select id="outbox-kind" value={kind} onChange={(e) => setKind(e.target.value as '' | 'email' | 'webhook')}>
            <option value="">Emails and webhooks</option>
            <option value="email">Emails</option>
            <option value="webhook">Webhook deliveries</option>
          </select>
        </div>
        <div className="field end">
          <button type="button" className="btn small" onClick={list.reload}>
            Refresh
          </button>
        </div>
        {canRetry ? (
          <div className="field end">
            <button type="button" className="btn small" onClick={() => void retry()} disabled={action.busy}>
              Retry all failed
            </button>
          </div>
        ) : null}
      </div>
      <FormError error={action.error} />
      <LoadStatus loaded={list} />
      {list.data && !items.length ? <p className="empty">Nothing in the outbox{status ? ` with status ${OUTBOX_STATUS_LABEL[status].toLowerCase()}` : ''}.</p> : null}
      {items.length ? (
        <DataTable caption="Outbox" columns={['To', 'What', 'Status', 'Attempts', 'Last error', 'Queued']} actions>
          {items.map((o) => (
            <tr key={o.id}>
              <th scope="row" data-label="To" className="url">
                {o.kind === 'webhook' ? <span className="badge subtle">Webhook</span> : null} {o.recipient}
              </th>
              <td data-label="What">
                {o.subject ?? o.event_type ?? '—'}
                {o.shipment_id ? (
                  <>
                    {' '}
                    <Link to={`/shipments/${o.shipment_id}`} className="small">
                      shipment
                    </Link>
                  </>
                ) : null}
              </td>
              <td data-label="Status">
                <OutboxStatusBadge status={o.status} />
                {o.status === 'sent' && o.sent_at ? <span className="muted small"> {formatDateTime(o.sent_at, locale)}</span> : null}
                {o.status === 'pending' && o.next_attempt_at && o.attempts > 0 ? <span className="muted small"> next try {formatDateTime(o.next_attempt_at, locale)}</span> : null}
              </td>
              <td data-label="Attempts">{o.attempts}</td>
              <td data-label="Last error" className="outbox-error">{o.last_error ? <span className="error-text">{o.last_error}</span> : '—'}</td>
              <td data-label="Queued">{formatDateTime(o.created_at, locale)}</td>
              <td data-label="Actions" className="cell-actions">
                {canRetry && o.status === 'failed' ? (
                  <button type="button" className="btn tiny" onClick={() => void retry([o.id])} disabled={action.busy} aria-label={`Retry delivery to ${o.recipient}`}>
                    Retry
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {cursor ? (
        <button type="button" className="btn" onClick={() => void loadMore()} disabled={action.busy}>
          Show more
        </button>
      ) : null}
    </div>
  );
}

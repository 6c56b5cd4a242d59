// Contact tasks: the list with an enabled switch per task, the editor, and the recalculation for
// shipments that existed before their tasks.
import { useState } from 'react';
import { all, call, client, PAGE_ALL } from '../api';
import { STATUS_LABEL } from '../format';
import { useCan } from '../session';
import { FormError } from '../components/forms';
import { ConfirmButton, ConfirmDelete, confirmedDelete } from '../components/ConfirmButton';
import { ErrorNote, Flash, LoadStatus, useAction, useFlash, useLoad } from '../components/ui';
import { TaskForm } from './TaskForm';
import { useTemplates } from './TemplatesTab';
import { TRIGGER_LABEL, type ContactTask, type RecalculateResult } from './types';
import { DataTable } from '../components/DataTable';

export function triggerText(t: ContactTask): string {
  if (t.trigger === 'status_changed') return t.status ? `Status changed to ${STATUS_LABEL[t.status]}` : 'Status changed (any)';
  if (t.trigger === 'eta_changed') return `ETA changed by more than ${t.eta_change_minutes ?? 0} min`;
  return TRIGGER_LABEL[t.trigger] ?? t.trigger;
}

export function recipientText(r: string): string {
  if (r === 'stop_contact') return 'Stop contact';
  if (r === 'shipment_contacts') return 'Shipment contacts';
  return r;
}

export function TasksTab() {
  const canEdit = useCan('admin');
  const tasks = useLoad(() => all((cursor) => client.GET('/api/v1/tasks', { params: { query: { limit: PAGE_ALL, cursor } } })), []);
  const templates = useTemplates();
  const [editing, setEditing] = useState<ContactTask | 'new' | null>(null);
  const [confirm, setConfirm] = useState<'recalculate' | string | null>(null);
  const [flash, setFlash] = useFlash();
  const [report, setReport] = useState<RecalculateResult | null>(null);
  const action = useAction();

  if (editing && templates.data) {
    return (
      <TaskForm
        task={editing === 'new' ? null : editing}
        templates={templates.data}
        onCancel={() => setEditing(null)}
        onSaved={(t) => {
          setEditing(null);
          setFlash(`Task “${t.name}” saved`);
          tasks.reload();
        }}
      />
    );
  }

  // The switch flips at once and flips back if the API refuses.
  const toggle = async (t: ContactTask, enabled: boolean) => {
    const list = tasks.data ?? [];
    tasks.set(list.map((x) => (x.id === t.id ? { ...x, enabled } : x)));
    const r = await action.run(() => call(client.PATCH('/api/v1/tasks/{id}', { params: { path: { id: t.id } }, body: { enabled } })));
    tasks.set(list.map((x) => (x.id === t.id ? (r ?? t) : x)));
  };
  const del = confirmedDelete({
    action,
    close: () => setConfirm(null),
    request: (t: ContactTask) => call(client.DELETE('/api/v1/tasks/{id}', { params: { path: { id: t.id } } })),
    deleted: (t) => {
      setFlash(`Task “${t.name}” deleted`);
      tasks.reload();
    },
  });
  const recalculate = async () => {
    setConfirm(null);
    // The server does a bounded part per request: go on with its next_cursor until none is left.
    const r = await action.run(async () => {
      let total: RecalculateResult | null = null;
      for (let cursor: string | undefined; ; ) {
        const part: RecalculateResult = await call(client.POST('/api/v1/tasks/recalculate', { body: cursor ? { cursor } : {} }));
        total = total
          ? { ...part, shipments: total.shipments + part.shipments, links_ensured: total.links_ensured + part.links_ensured, emails_queued: total.emails_queued + part.emails_queued }
          : part;
        if (!part.next_cursor) return total;
        cursor = part.next_cursor;
      }
    });
    if (r) setReport(r);
  };
  const templateName = (id: string) => templates.data?.find((t) => t.id === id)?.name ?? '—';

  return (
    <div className="stack">
      <Flash message={flash} />
      <div className="page-head">
        <p className="hint">A task emails each recipient their own tracking link when its trigger fires.</p>
        {canEdit ? (
          <div className="actions wrap">
            <button type="button" className="btn primary" onClick={() => setEditing('new')} disabled={!templates.data}>
              New task
            </button>
            <ConfirmButton
              open={confirm === 'recalculate'}
              onOpen={() => setConfirm('recalculate')}
              onCancel={() => setConfirm(null)}
              onConfirm={() => void recalculate()}
              size="small"
              triggerSize={null}
              tone="primary"
              confirmText="Yes, recalculate"
              confirmDisabled={action.busy}
              cancelText="Cancel"
              groupLabel="Confirm recalculation"
              prompt={<span className="small">Create missing links and send what already-fired tasks would have sent?</span>}
            >
              Recalculate
            </ConfirmButton>
          </div>
        ) : null}
      </div>
      {report ? (
        <div className="callout success" role="status" data-testid="recalculate-report">
          Recalculated {report.shipments} shipment{report.shipments === 1 ? '' : 's'}: {report.links_ensured} recipient link{report.links_ensured === 1 ? '' : 's'} checked or created,{' '}
          {report.emails_queued} email{report.emails_queued === 1 ? '' : 's'} queued. Nothing already sent is sent again.
        </div>
      ) : null}
      <FormError error={action.error} />
      {templates.error ? <ErrorNote error={templates.error} onRetry={templates.reload} /> : null}
      <LoadStatus loaded={tasks} />
      {tasks.data && !tasks.data.length ? <p className="empty">No contact tasks yet.</p> : null}
      {tasks.data?.length ? (
        <DataTable caption="Contact tasks" columns={['Name', 'Trigger', 'Level', 'Recipients', 'Template', 'Enabled']} actions>
          {tasks.data.map((t) => (
            <tr key={t.id}>
              <th scope="row" data-label="Name">{t.name}</th>
              <td data-label="Trigger">{triggerText(t)}</td>
              <td data-label="Level">{t.level === 'stop' ? 'Stop' : 'Shipment'}</td>
              <td data-label="Recipients">{t.recipients.map(recipientText).join(', ')}</td>
              <td data-label="Template">{templateName(t.template_id)}</td>
              <td data-label="Enabled">
                <input type="checkbox" className="switch" checked={t.enabled} disabled={!canEdit} onChange={(e) => void toggle(t, e.target.checked)} aria-label={`Task ${t.name} enabled`} />
              </td>
              <td data-label="Actions" className="cell-actions">
                {canEdit ? (
                  <>
                    <button type="button" className="btn tiny" onClick={() => setEditing(t)} disabled={!templates.data} aria-label={`Edit task ${t.name}`}>
                      Edit
                    </button>
                    <ConfirmDelete id={t.id} asking={[confirm, setConfirm]} onDelete={() => void del(t)} label={`Delete task ${t.name}`} groupLabel={`Confirm deleting ${t.name}`} />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

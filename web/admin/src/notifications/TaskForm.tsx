// Create or edit a contact task: what fires it, at which level, who receives it and with which template.
import { useState, type FormEvent } from 'react';
import { call, client } from '../api';
import { STATUS_LABEL } from '../format';
import type { ShipmentStatus } from '../types';
import { Checkbox, FormError, SelectField, TextArea, TextField, fieldError } from '../components/forms';
import { useAction } from '../components/ui';
import { TRIGGERS, TRIGGER_LABEL, type ContactTask, type EmailTemplate, type Trigger } from './types';

const ROLE_RECIPIENTS = ['stop_contact', 'shipment_contacts'];

export function TaskForm({ task, templates, onSaved, onCancel }: { task: ContactTask | null; templates: EmailTemplate[]; onSaved: (t: ContactTask) => void; onCancel: () => void }) {
  const [name, setName] = useState(task?.name ?? '');
  const [trigger, setTrigger] = useState<Trigger>(task?.trigger ?? 'shipment_created');
  const [status, setStatus] = useState<ShipmentStatus | ''>(task?.status ?? '');
  const [minutes, setMinutes] = useState(task?.eta_change_minutes != null ? String(task.eta_change_minutes) : '30');
  const [level, setLevel] = useState<'shipment' | 'stop'>(task?.level ?? 'shipment');
  const [stopContact, setStopContact] = useState(task ? task.recipients.includes('stop_contact') : true);
  const [shipmentContacts, setShipmentContacts] = useState(task ? task.recipients.includes('shipment_contacts') : false);
  const [fixed, setFixed] = useState((task?.recipients ?? []).filter((r) => !ROLE_RECIPIENTS.includes(r)).join('\n'));
  const [templateId, setTemplateId] = useState(task?.template_id ?? templates[0]?.id ?? '');
  const [enabled, setEnabled] = useState(task?.enabled ?? true);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const recipients = [
      ...(stopContact ? ['stop_contact'] : []),
      ...(shipmentContacts ? ['shipment_contacts'] : []),
      ...fixed
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ];
    const n = Number(minutes);
    const body = {
      name: name.trim(),
      trigger,
      status: trigger === 'status_changed' ? (status || null) : null,
      eta_change_minutes: trigger === 'eta_changed' ? (minutes.trim() !== '' && Number.isFinite(n) ? n : null) : null,
      level,
      recipients,
      template_id: templateId,
      enabled,
    };
    const r = await action.run(() => (task ? call(client.PUT('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body })) : call(client.POST('/api/v1/tasks', { body }))));
    if (r) onSaved(r);
  };

  const shown = ['body/name', 'body/trigger', 'body/status', 'body/eta_change_minutes', 'body/level', 'body/recipients', 'body/template_id'];
  const recipientsError = fieldError(action.error, 'body/recipients');
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate aria-label={task ? `Edit task ${task.name}` : 'New contact task'}>
      <h2>{task ? `Edit “${task.name}”` : 'New contact task'}</h2>
      <FormError error={action.error} shown={shown} />
      <TextField label="Task name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(action.error, 'body/name')} hint="E.g. “Tell the consignee we are on our way”" />
      <div className="grid-2">
        <SelectField
          label="Trigger"
          value={trigger}
          onChange={(e) => setTrigger(e.target.value as Trigger)}
          options={TRIGGERS.map((t) => ({ value: t, label: TRIGGER_LABEL[t] }))}
          error={fieldError(action.error, 'body/trigger')}
        />
        {trigger === 'status_changed' ? (
          <SelectField
            label="New status"
            value={status}
            onChange={(e) => setStatus(e.target.value as ShipmentStatus | '')}
            options={[{ value: '', label: 'Any change' }, ...(Object.keys(STATUS_LABEL) as ShipmentStatus[]).map((s) => ({ value: s, label: STATUS_LABEL[s] }))]}
            error={fieldError(action.error, 'body/status')}
          />
        ) : null}
        {trigger === 'eta_changed' ? (
          <TextField
            label="By more than (minutes)"
            type="number"
            inputMode="numeric"
            min={0}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            error={fieldError(action.error, 'body/eta_change_minutes')}
          />
        ) : null}
      </div>
      <fieldset className="segmented">
        <legend>Level</legend>
        <label>
          <input type="radio" name="task-level" value="shipment" checked={level === 'shipment'} onChange={() => setLevel('shipment')} /> Shipment — once per shipment
        </label>
        <label>
          <input type="radio" name="task-level" value="stop" checked={level === 'stop'} onChange={() => setLevel('stop')} /> Stop — once per stop
        </label>
        {fieldError(action.error, 'body/level') ? <span className="field-error">{fieldError(action.error, 'body/level')}</span> : null}
      </fieldset>
      <fieldset className={`options ${recipientsError ? 'has-error' : ''}`} aria-describedby={recipientsError ? 'task-recipients-err' : undefined}>
        <legend>Recipients</legend>
        <Checkbox label="The stop’s contact" checked={stopContact} onChange={(e) => setStopContact(e.target.checked)} />
        <Checkbox label="The shipment’s contacts" checked={shipmentContacts} onChange={(e) => setShipmentContacts(e.target.checked)} hint="Including contacts added on the shipment later" />
        <TextArea label="Fixed addresses" rows={3} value={fixed} onChange={(e) => setFixed(e.target.value)} hint="One email address per line" />
        {recipientsError ? (
          <span className="field-error" id="task-recipients-err" role="alert">
            {recipientsError}
          </span>
        ) : null}
      </fieldset>
      <SelectField
        label="Email template"
        value={templateId}
        onChange={(e) => setTemplateId(e.target.value)}
        options={[...(templates.length ? [] : [{ value: '', label: 'No template yet — create one first' }]), ...templates.map((t) => ({ value: t.id, label: t.name }))]}
        error={fieldError(action.error, 'body/template_id')}
      />
      <Checkbox label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
      <div className="actions">
        <button type="submit" className="btn primary" disabled={action.busy}>
          {task ? 'Save task' : 'Create task'}
        </button>
        <button type="button" className="btn ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

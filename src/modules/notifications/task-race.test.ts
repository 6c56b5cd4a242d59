// A contact task change writes every field back, so it is merged into the task as it is once held
// (NotificationsRepository.lockTask). On PostgreSQL a change merged into the task it read before
// waiting wrote back what another admin had just changed: a recipient removed meanwhile (no more
// emails to that address) was put back. A task and its template's deletion that meet end in the
// foreign key's refusal, answered as the services' own checks answer it (409, 400), never a 500.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeStores } from '../../../test/helpers/context.js';
import { raceHeldChange } from '../../../test/helpers/held-rows.js';
import type { DbTransaction } from '../../db/schema.js';
import { newId } from '../../shared/ids.js';

await describeStores('contact tasks changed at the same moment', (ctx) => {
  it('keep a recipient removed by a change that held the task while another field changed', async () => {
    const org = await ctx().newOrg();
    const t = await org.api.post('/api/v1/email-templates', { name: 'Hi', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' });
    assert.equal(t.status, 201, t.text);
    const task = await org.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients: ['a@example.test', 'b@example.test'], template_id: t.body.id });
    assert.equal(task.status, 201, task.text);
    const id = task.body.id as string;

    // Another admin removes a recipient as the service does: the task held first, then its fields written.
    const removeB = async (trx: DbTransaction) => {
      await trx.updateTable('contact_tasks').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('org_id', '=', org.org_id).where('id', '=', id).execute();
      await trx.updateTable('contact_tasks').set({ recipients: JSON.stringify(['a@example.test']), updated_at: Date.now() }).where('org_id', '=', org.org_id).where('id', '=', id).execute();
    };
    const r = await raceHeldChange(ctx(), removeB, () => org.api.patch(`/api/v1/tasks/${id}`, { name: 'Created (renamed)' }));
    assert.equal(r.status, 200, r.text);
    const after = (await org.api.get(`/api/v1/tasks/${id}`)).body;
    assert.deepEqual([after.name, after.recipients], ['Created (renamed)', ['a@example.test']]);
  });

  async function template(org: Awaited<ReturnType<ReturnType<typeof ctx>['newOrg']>>): Promise<string> {
    const t = await org.api.post('/api/v1/email-templates', { name: 'Hi', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' });
    assert.equal(t.status, 201, t.text);
    return t.body.id as string;
  }

  it('refuse deleting a template (409) a task took while the deletion was checked', async () => {
    const org = await ctx().newOrg();
    const templateId = await template(org);
    const now = Date.now();
    const task = { id: newId(), org_id: org.org_id, name: 'New', trigger: 'shipment_created' as const, status: null, eta_change_minutes: null, level: 'shipment' as const, recipients: '["a@example.test"]', template_id: templateId, enabled: 1, created_at: now, updated_at: now };
    const r = await raceHeldChange(ctx(), (trx) => trx.insertInto('contact_tasks').values(task).execute(), () => org.api.delete(`/api/v1/email-templates/${templateId}`));
    assert.equal(r.status, 409, r.text);
    assert.equal((await org.api.get(`/api/v1/email-templates/${templateId}`)).status, 200);
  });

  it('refuse a task (400) whose template was deleted while the task was saved', async () => {
    const org = await ctx().newOrg();
    const templateId = await template(org);
    const body = { name: 'New', trigger: 'shipment_created', level: 'shipment', recipients: ['a@example.test'], template_id: templateId };
    const r = await raceHeldChange(ctx(), (trx) => trx.deleteFrom('email_templates').where('org_id', '=', org.org_id).where('id', '=', templateId).execute(), () => org.api.post('/api/v1/tasks', body));
    assert.equal(r.status, 400, r.text);
    assert.deepEqual((await org.api.get('/api/v1/tasks')).body.items, []);
  });
});

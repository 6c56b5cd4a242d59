// The notifications part of `npm start`: two ready-made templates and tasks, so the outbox shows
// what would be emailed (sent for real once SMTP_URL is set) as the demo shipments move.
import type { Actor } from '../auth/roles.js';
import type { DemoState } from '../../demo/demo.js';
import type { Services } from '../../services.js';

export async function notificationsDemo(services: Services, actor: Actor, _state: DemoState): Promise<void> {
  const { templates, tasks } = services.notifications;
  const onItsWay = await templates.create(actor, {
    name: 'On its way',
    subject: '{{shipment.reference}} is on its way',
    html: '<p>Hello {{recipient.name}},</p><p>{{org.name}} has sent <b>{{shipment.title}}</b> ({{shipment.reference}}). Expected: {{shipment.eta}}.</p><p><a href="{{shipment.tracking_link}}">Follow it live</a></p>',
    text: 'Hello {{recipient.name}},\n\n{{org.name}} has sent {{shipment.title}} ({{shipment.reference}}). Expected: {{shipment.eta}}.\n\nFollow it live: {{shipment.tracking_link}}\n',
  });
  const arriving = await templates.create(actor, {
    name: 'Arriving at your stop',
    subject: '{{shipment.reference}}: new arrival time at {{stop.name}}',
    html: '<p>Hello {{recipient.name}},</p><p>The arrival at <b>{{stop.name}}</b> is now expected {{stop.eta}}.</p><p><a href="{{shipment.tracking_link}}">Follow it live</a></p>',
    text: 'Hello {{recipient.name}},\n\nThe arrival at {{stop.name}} is now expected {{stop.eta}}.\n\nFollow it live: {{shipment.tracking_link}}\n',
  });
  await tasks.create(actor, { name: 'Tell the contacts it left', trigger: 'status_changed', status: 'in_transit', level: 'shipment', recipients: ['shipment_contacts', 'stop_contact'], template_id: onItsWay.id, enabled: true });
  await tasks.create(actor, { name: 'Stop ETA moved by more than 30 minutes', trigger: 'eta_changed', eta_change_minutes: 30, level: 'stop', recipients: ['stop_contact'], template_id: arriving.id, enabled: true });
}

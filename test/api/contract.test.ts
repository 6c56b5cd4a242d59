// The contract test (issue 17 item 2): a realistic integration, as a TMS would drive it, where
// every reply's status must be one the OpenAPI document lists for that operation and its body
// must validate (Ajv) against the schema the document gives for that status. A reply the
// document does not describe fails here, whatever the server's own tests say.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { describeStores, type ApiResponse, type TestOrg } from '../helpers/context.js';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

interface MediaType {
  schema?: unknown;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

/** Checks replies against the served document. */
class Contract {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly checked: string[] = [];

  constructor(private readonly doc: Document) {
    this.ajv.addSchema(doc as object, 'openapi.json');
  }

  /** Asserts `res` is a reply the document allows for `method` `path` (a path template, e.g. /t/{slug}/data). */
  check(method: string, path: string, res: ApiResponse, expected: number): void {
    const where = `${method.toUpperCase()} ${path} → ${res.status}`;
    assert.equal(res.status, expected, `${where}: ${res.text.slice(0, 300)}`);
    const op = this.doc.paths[path]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${path} is not in the document`);
    const status = String(res.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => op.responses[k]);
    assert.ok(key, `${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`);
    const content = op.responses[key].content;
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    if (!content) {
      assert.equal(res.text, '', `${where}: documented without a body, but answered one`);
    } else if (type === 'application/json') {
      assert.ok(content['application/json']?.schema, `${where}: JSON body, but no JSON schema documented`);
      const validate = this.validator(path, method, key);
      assert.ok(validate(res.body), `${where}: body does not match the document: ${this.ajv.errorsText(validate.errors)}\n${res.text.slice(0, 500)}`);
    } else {
      assert.ok(content[type] || Object.keys(content).some((t) => t.endsWith('/*')), `${where}: ${type} not documented`);
    }
    this.checked.push(where);
  }

  private validator(path: string, method: string, status: string): ValidateFunction {
    const pointer = ['paths', path, method, 'responses', status, 'content', 'application/json', 'schema'].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi.json#/${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }
}

describeStores('API contract', (ctx) => {
  let org: TestOrg;
  let contract: Contract;

  before(async () => {
    org = await ctx().newOrg();
    contract = new Contract((await ctx().anon.get('/api/docs/json')).body as Document);
  });

  it('an integration from shipment to revoked link answers only what the OpenAPI document describes', async () => {
    const { api } = org;
    const c = contract;

    c.check('post', '/api/v1/shipments', await api.post('/api/v1/shipments', { kind: 'spaceship', reference: 'CT-1' }), 400);
    const created = await api.post('/api/v1/shipments', {
      kind: 'consignment',
      reference: 'CT-1',
      title: 'Pallets to Utrecht',
      stops: [{ type: 'pickup', name: 'Depot', lat: 52.37, lon: 4.89 }],
      cargo: [{ description: '2 pallets', quantity: 2 }],
    });
    c.check('post', '/api/v1/shipments', created, 201);
    const id = created.body.id as string;
    // The check itself can fail: a body the document does not allow is refused.
    assert.throws(() => c.check('post', '/api/v1/shipments', { ...created, body: { ...created.body, status: 'teleported' } }, 201), /does not match the document/);

    const withStops = await api.patch(`/api/v1/shipments/${id}`, {
      status: 'in_transit',
      stops: [
        { type: 'pickup', name: 'Depot', lat: 52.37, lon: 4.89 },
        { type: 'waypoint', name: 'Cross dock', lat: 52.2, lon: 5.0 },
        { type: 'delivery', name: 'Utrecht DC', lat: 52.09, lon: 5.12, window_start: '2030-01-01T08:00:00.000Z', window_end: '2030-01-01T12:00:00.000Z' },
      ],
    });
    c.check('patch', '/api/v1/shipments/{id}', withStops, 200);
    assert.equal(withStops.body.stops.length, 3);

    // One stop at a time (issue 17 item 4): insert, change, remove, and a driver app's stop event.
    const stopsPath = '/api/v1/shipments/{id}/stops';
    const added = await api.post(`/api/v1/shipments/${id}/stops`, { type: 'waypoint', name: 'Fuel stop', lat: 52.3, lon: 4.95, position: 1 });
    c.check('post', stopsPath, added, 201);
    assert.equal(added.body.index, 1);
    c.check('post', stopsPath, await api.post(`/api/v1/shipments/${id}/stops`, { type: 'waypoint', position: 9 }), 400);
    const renamed = await api.patch(`/api/v1/shipments/${id}/stops/1`, { name: 'Fuel and rest stop' });
    c.check('patch', `${stopsPath}/{index}`, renamed, 200);
    assert.equal(renamed.body.id, added.body.id);
    c.check('patch', `${stopsPath}/{index}`, await api.patch(`/api/v1/shipments/${id}/stops/9`, { name: 'Nowhere' }), 404);
    c.check('delete', `${stopsPath}/{index}`, await api.delete(`/api/v1/shipments/${id}/stops/1`), 204);
    c.check('delete', `${stopsPath}/{index}`, await api.delete(`/api/v1/shipments/${id}/stops/9`), 404);
    const departed = await api.post(`/api/v1/shipments/${id}/stops/0/events`, { type: 'departed', at: new Date(Date.now() - 120_000).toISOString() });
    c.check('post', `${stopsPath}/{index}/events`, departed, 200);
    assert.equal(departed.body.stops.length, 3);
    assert.ok(departed.body.stops[0].departed_at);
    c.check('post', `${stopsPath}/{index}/events`, await api.post(`/api/v1/shipments/${id}/stops/9/events`, { type: 'arrived' }), 404);
    c.check('post', `${stopsPath}/{index}/events`, await api.post(`/api/v1/shipments/${id}/stops/0/events`, { type: 'teleported' }), 400);

    const device = await api.post('/api/v1/devices', { name: 'Truck 7' });
    c.check('post', '/api/v1/devices', device, 201);
    c.check('get', '/api/v1/devices/{id}', await api.get(`/api/v1/devices/${device.body.id}`), 200);
    const source = await api.post(`/api/v1/shipments/${id}/sources`, { device_id: device.body.id, layer: 'driver' });
    c.check('post', '/api/v1/shipments/{id}/sources', source, 201);
    c.check('get', '/api/v1/shipments/{id}/sources', await api.get(`/api/v1/shipments/${id}/sources`), 200);

    const asDevice = ctx().client(device.body.token);
    const sent = await asDevice.post('/api/v1/positions', {
      positions: [
        { recorded_at: new Date(Date.now() - 60_000).toISOString(), lat: 52.3, lon: 4.95, speed_mps: 20 },
        { recorded_at: new Date().toISOString(), lat: 52.25, lon: 4.99, speed_mps: 21 },
        { recorded_at: 'yesterday', lat: 52, lon: 5 },
      ],
    });
    c.check('post', '/api/v1/positions', sent, 200);
    assert.equal(sent.body.accepted, 2);
    assert.equal(sent.body.rejected.length, 1);

    const link = await api.post(`/api/v1/shipments/${id}/links`, {});
    c.check('post', '/api/v1/shipments/{id}/links', link, 201);
    const slug = link.body.slug as string;
    c.check('get', '/api/v1/links/{id}', await api.get(`/api/v1/links/${link.body.id}`), 200);
    c.check('get', '/api/v1/shipments/{id}/links', await api.get(`/api/v1/shipments/${id}/links`), 200);
    c.check('get', '/api/v1/shipments/{id}/tracking', await api.get(`/api/v1/shipments/${id}/tracking`), 200);
    c.check('get', '/api/v1/shipments/{id}', await api.get(`/api/v1/shipments/${id}`), 200);
    c.check('get', '/api/v1/shipments', await api.get('/api/v1/shipments?limit=5'), 200);

    const data = await ctx().anon.get(`/t/${slug}/data`);
    c.check('get', '/t/{slug}/data', data, 200);
    assert.equal(data.body.stops.length, 3);
    c.check('get', '/t/{slug}/history', await ctx().anon.get(`/t/${slug}/history`), 200);

    c.check('get', '/api/v1/shipments/{id}', await api.get('/api/v1/shipments/no-such-shipment'), 404);
    c.check('get', '/api/v1/shipments', await ctx().anon.get('/api/v1/shipments'), 401);

    const revoked = await api.post(`/api/v1/links/${link.body.id}/revoke`);
    c.check('post', '/api/v1/links/{id}/revoke', revoked, 200);
    assert.equal(revoked.body.state, 'revoked');
    c.check('get', '/t/{slug}/data', await ctx().anon.get(`/t/${slug}/data`), 404);

    c.check('delete', '/api/v1/shipments/{id}/sources/{sourceId}', await api.delete(`/api/v1/shipments/${id}/sources/${source.body.id}`), 204);
    c.check('delete', '/api/v1/devices/{id}', await api.delete(`/api/v1/devices/${device.body.id}`), 204);
    c.check('delete', '/api/v1/shipments/{id}', await api.delete(`/api/v1/shipments/${id}`), 204);
    c.check('get', '/api/v1/shipments/{id}', await api.get(`/api/v1/shipments/${id}`), 404);
    assert.equal(c.checked.length, 33);
  });
});

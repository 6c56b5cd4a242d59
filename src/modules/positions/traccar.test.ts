// Traccar server's JSON position forwarding (POST /ingest/traccar) with an org's ingest token, on
// both stores: bodies exactly as Traccar's PositionForwarderJson writes them (test/helpers/traccar.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeStores, recordSecret, type TestContext, type TestOrg } from '../../../test/helpers/context.js';
import { uniqueRef } from '../../../test/helpers/fixtures.js';
import { LOG_DIR } from '../../../test/helpers/test-output.js';
import { traccarForward, type TraccarFix } from '../../../test/helpers/traccar.js';
import { normalize } from './normalize.js';
import { parseTraccarForward } from './protocols/traccar.js';

const HOUR = 3600_000;
const IMEI = '356307042441013';

async function ingestToken(org: TestOrg): Promise<{ id: string; token: string; traccar: { forward_url: string; forward_header: string } }> {
  const r = await org.api.post('/api/v1/ingest-tokens', { name: 'Traccar at the depot' });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function device(org: TestOrg, externalId = IMEI): Promise<{ id: string }> {
  const r = await org.api.post('/api/v1/devices', { name: 'Truck 12', external_id: externalId });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

/** An in-transit shipment with the device attached as its driver, and a public link to it. */
async function trackedShipment(org: TestOrg, deviceId: string): Promise<{ slug: string }> {
  const s = await org.api.post('/api/v1/shipments', {
    kind: 'order',
    reference: uniqueRef('ORD'),
    status: 'in_transit',
    stops: [
      { type: 'pickup', name: 'Rotterdam', lat: 51.89, lon: 4.43, departed_at: new Date(Date.now() - 2 * HOUR).toISOString() },
      { type: 'delivery', name: 'Utrecht', lat: 52.09, lon: 5.11 },
    ],
  });
  assert.equal(s.status, 201, s.text);
  assert.equal((await org.api.post(`/api/v1/shipments/${s.body.id}/sources`, { device_id: deviceId, layer: 'driver' })).status, 201);
  const link = await org.api.post(`/api/v1/shipments/${s.body.id}/links`, {});
  assert.equal(link.status, 201, link.text);
  return { slug: link.body.slug };
}

describe('a Traccar forward, read', () => {
  it('takes the fix time in either Jackson date form, knots, and drops values Traccar means as "unknown"', () => {
    const body = traccarForward({ uniqueId: ' 356307042441013 ', fixTime: Date.UTC(2026, 10, 30, 9, 15, 2), latitude: 52.1, longitude: 5.2, speed: 10, course: 359.5, batteryLevel: 250 });
    // Traccar 4.x wrote offsets without a colon.
    body.position.fixTime = '2026-11-30T10:15:02.000+0100';
    const f = parseTraccarForward(body);
    assert.ok(typeof f !== 'string', String(f));
    assert.equal(f.uniqueId, '356307042441013');
    const clean = normalize(f.raw, Date.UTC(2026, 10, 30, 10));
    assert.ok(typeof clean !== 'string', String(clean));
    assert.equal(clean.recorded_at, Date.UTC(2026, 10, 30, 9, 15, 2));
    assert.equal(clean.speed_mps, 5.144);
    assert.equal(clean.heading_deg, 359.5);
    assert.equal(clean.altitude_m, 4);
    assert.equal(clean.accuracy_m, null, 'accuracy 0');
    assert.equal(clean.battery_pct, null, 'a batteryLevel that is no percentage');
    assert.equal(typeof parseTraccarForward({ position: body.position }), 'string', 'no device');
    assert.equal(typeof parseTraccarForward([body]), 'string');
  });
});

const stored = async (ctx: TestContext, org: TestOrg, deviceId: string) => ctx.repos.positions.countForDevice(org.org_id, deviceId);

describeStores('Traccar forwarding', (ctx) => {
  const forward = (body: unknown, authorization: string | null, ip = '198.51.100.20') =>
    ctx().app.inject({
      method: 'POST',
      url: '/ingest/traccar',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  // Fixes a second after the moment the test starts: inside the attachment window opened just before.
  const fix = (over: Partial<TraccarFix> = {}): TraccarFix => ({ uniqueId: IMEI, fixTime: Date.now() + 1000, latitude: 51.9871, longitude: 4.8012, speed: 30, course: 87, ...over });

  it('stores a forwarded position (speed from knots) and shows it on the public link; a re-sent one is a duplicate', async () => {
    const org = await ctx().newOrg();
    const t = await ingestToken(org);
    assert.match(t.token, /^tli_[A-Za-z0-9_-]{32}$/);
    assert.equal(t.traccar.forward_url, `${ctx().config.publicBaseUrl}/ingest/traccar`);
    assert.equal(t.traccar.forward_header, `Authorization: Bearer ${t.token}`);
    const d = await device(org);
    const { slug } = await trackedShipment(org, d.id);

    const body = traccarForward(fix({ batteryLevel: 76 }));
    // Exactly the header line Traccar sends from forward.header.
    const [name, value] = t.traccar.forward_header.split(/:\s*/, 2);
    const r = await ctx().app.inject({ method: 'POST', url: '/ingest/traccar', headers: { 'content-type': 'application/json', [name]: value }, payload: JSON.stringify(body) });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { result: 'stored' });

    const data = await ctx().anon.get(`/t/${slug}/data`);
    assert.equal(data.status, 200, data.text);
    // The driver's position (a shipment without a cargo tracker shows it for the cargo too).
    const p = data.body.positions.find((x: { layer: string }) => x.layer === 'driver');
    assert.ok(p, data.text);
    assert.equal(p.lat, 51.9871);
    assert.equal(p.lon, 4.8012);
    assert.equal(p.speed_mps, 15.433, '30 knots');
    assert.equal(p.heading_deg, 87);
    assert.equal(p.recorded_at, new Date(Date.parse(body.position.fixTime)).toISOString(), 'the fix time, not the server time');
    const row = await ctx().store.db.selectFrom('positions').selectAll().where('device_id', '=', d.id).executeTakeFirstOrThrow();
    assert.equal(row.battery_pct, 76);
    assert.equal(row.accuracy_m, null, 'Traccar’s accuracy 0 is "not reported"');

    const again = await forward(body, `Bearer ${t.token}`);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(JSON.parse(again.body), { result: 'duplicate' });
    assert.equal(await stored(ctx(), org, d.id), 1);

    // The secret is shown once: not in an Idempotency-Key replay, listed by prefix only, stored only as a hash.
    const once = await org.api.post('/api/v1/ingest-tokens', { name: 'replayed' }, { 'idempotency-key': 'traccar-token-1' });
    const replay = await org.api.post('/api/v1/ingest-tokens', { name: 'replayed' }, { 'idempotency-key': 'traccar-token-1' });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body.id, once.body.id);
    assert.ok(!replay.text.includes(once.body.token.slice(4)), 'a replay carries the token');
    assert.equal((await org.api.post(`/api/v1/ingest-tokens/${once.body.id}/revoke`)).status, 204);
    const list = await org.api.get('/api/v1/ingest-tokens');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((x: { id: string }) => x.id), [once.body.id, t.id]);
    assert.ok(!list.text.includes(t.token.slice(4)));
    assert.ok(list.body.items[1].last_used_at, 'last use is recorded');
    const rows = await ctx().store.db.selectFrom('ingest_tokens').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(t.token.slice(4)));

    // This process's app logs (debug, as in production) saw the requests but never the token;
    // the suite's redaction check (scripts/check-log-redaction.mjs) repeats this for every log.
    const logs = readdirSync(LOG_DIR)
      .filter((f) => f.startsWith(`app-${ctx().kind}-${process.pid}-`))
      .map((f) => readFileSync(path.join(LOG_DIR, f), 'utf8'))
      .join('');
    assert.match(logs, /"url":"\/ingest\/traccar"/);
    assert.ok(!logs.includes(t.token.slice(4)), 'the ingest token is in a log');
  });

  it('answers 401 for a missing, wrong, revoked or non-ingest token, and stores nothing', async () => {
    const org = await ctx().newOrg();
    const t = await ingestToken(org);
    const d = await device(org);
    const body = traccarForward(fix());
    const ip = '198.51.100.21';
    for (const auth of [null, 'Bearer tli_wrong-token-000000000000000000000', `Bearer ${t.token.slice(0, -2)}xx`, `Bearer ${org.api_key}`, t.token]) {
      const r = await forward(body, auth, ip);
      assert.equal(r.statusCode, 401, `${auth?.slice(0, 12)}: ${r.body}`);
      assert.equal(JSON.parse(r.body).error.code, 'unauthorized');
    }
    const rotated = await org.api.post(`/api/v1/ingest-tokens/${t.id}/rotate`);
    assert.equal(rotated.status, 201, rotated.text);
    assert.equal((await forward(body, `Bearer ${t.token}`, ip)).statusCode, 401, 'the rotated-away token');
    assert.equal(await stored(ctx(), org, d.id), 0);
    assert.equal((await forward(body, `Bearer ${rotated.body.token}`, ip)).statusCode, 200, 'its replacement');
    assert.equal((await org.api.post(`/api/v1/ingest-tokens/${rotated.body.id}/revoke`)).status, 204);
    assert.equal((await forward(traccarForward(fix({ fixTime: Date.now() + 2000 })), `Bearer ${rotated.body.token}`, ip)).statusCode, 401, 'a revoked token');
    assert.equal(await stored(ctx(), org, d.id), 1);
    // Only admins manage tokens.
    const dispatcher = await org.withRole('dispatcher');
    assert.equal((await dispatcher.post('/api/v1/ingest-tokens', {})).status, 403);
    assert.equal((await dispatcher.get('/api/v1/ingest-tokens')).status, 403);
  });

  it('answers 404 for a device the token’s org does not have, even when another org has it, and stores nothing', async () => {
    const a = await ctx().newOrg();
    const b = await ctx().newOrg();
    const tokenA = await ingestToken(a);
    const deviceB = await device(b, 'IMEI-B-861230043907812');
    const unknown = await forward(traccarForward(fix({ uniqueId: '861230043900000' })), `Bearer ${tokenA.token}`);
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(JSON.parse(unknown.body).error.code, 'not_found');
    const foreign = await forward(traccarForward(fix({ uniqueId: 'IMEI-B-861230043907812' })), `Bearer ${tokenA.token}`);
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal(foreign.body, unknown.body, 'another org’s device is as unknown as no device');
    assert.equal(await stored(ctx(), b, deviceB.id), 0);
    const positions = await ctx().store.db.selectFrom('positions').select('id').where('org_id', '=', a.org_id).execute();
    assert.equal(positions.length, 0);
    // The same device id in its own org's feed is stored.
    const tokenB = await ingestToken(b);
    assert.equal((await forward(traccarForward(fix({ uniqueId: 'IMEI-B-861230043907812' })), `Bearer ${tokenB.token}`)).statusCode, 200);
    assert.equal(await stored(ctx(), b, deviceB.id), 1);
  });

  it('accepts positions it will never store with 200 and the reason (Traccar retries anything else), refuses what is not a forward', async () => {
    const org = await ctx().newOrg();
    const t = await ingestToken(org);
    const d = await device(org);
    const auth = `Bearer ${t.token}`;
    const cases: [Partial<TraccarFix>, RegExp][] = [
      [{ valid: false }, /valid/],
      [{ outdated: true }, /outdated/],
      [{ latitude: 0, longitude: 0 }, /0,0/],
      [{ latitude: 95 }, /^lat/],
      [{ fixTime: Date.now() + 3 * 24 * HOUR }, /future/],
    ];
    for (const [over, reason] of cases) {
      const r = await forward(traccarForward(fix(over)), auth);
      assert.equal(r.statusCode, 200, r.body);
      const reply = JSON.parse(r.body);
      assert.equal(reply.result, 'ignored');
      assert.match(reply.reason, reason);
    }
    assert.equal(await stored(ctx(), org, d.id), 0);

    const notForward = await forward({ id: IMEI, lat: 52, lon: 5 }, auth);
    assert.equal(notForward.statusCode, 400, notForward.body);
    assert.match(JSON.parse(notForward.body).error.message, /position/);
    const noUniqueId = traccarForward(fix()) as { device: Record<string, unknown> };
    delete noUniqueId.device.uniqueId;
    assert.equal((await forward(noUniqueId, auth)).statusCode, 400);
    const big = traccarForward(fix());
    (big.position.attributes as Record<string, unknown>).raw = 'x'.repeat(70 * 1024);
    assert.equal((await forward(big, auth)).statusCode, 413, 'a body over 64 KB');
    assert.equal(await stored(ctx(), org, d.id), 0);
  });

  /** An admin user of `org`, signed in, with an ingest token made in the admin app and one made with a key the user made. */
  async function adminWithTokens(org: TestOrg): Promise<{ userId: string; tokens: string[] }> {
    const email = `tokens.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.test`;
    const password = 'token-maker-password';
    recordSecret(password);
    const user = await org.api.post('/api/v1/users', { email, role: 'admin', password });
    assert.equal(user.status, 201, user.text);
    const signIn = await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    assert.equal(signIn.statusCode, 200, signIn.body);
    const cookie = signIn.cookies.find((c) => c.name === 'tl_session')?.value ?? '';
    recordSecret(cookie);
    const asUser = (url: string, payload: object) => ctx().app.inject({ method: 'POST', url, headers: { cookie: `tl_session=${cookie}`, 'x-csrf-token': signIn.json().csrf_token }, payload });
    const bySession = await asUser('/api/v1/ingest-tokens', { name: 'made in the admin app' });
    assert.equal(bySession.statusCode, 201, bySession.body);
    const key = (await asUser('/api/v1/api-keys', { name: 'integration', role: 'admin' })).json().api_key as string;
    recordSecret(key, bySession.json().token);
    const byKey = await ctx().client(key).post('/api/v1/ingest-tokens', { name: 'made with a key' });
    assert.equal(byKey.status, 201, byKey.text);
    return { userId: user.body.id, tokens: [bySession.json().token, byKey.body.token] };
  }

  it('revokes the ingest tokens a user made when the user is disabled, deleted or no longer an admin', async () => {
    const org = await ctx().newOrg();
    await device(org);
    const orgToken = (await ingestToken(org)).token;
    const works = async (token: string) => (await forward(traccarForward(fix()), `Bearer ${token}`, '198.51.100.30')).statusCode;
    const [disabled, deleted, demoted] = [await adminWithTokens(org), await adminWithTokens(org), await adminWithTokens(org)];
    for (const t of [...disabled.tokens, ...deleted.tokens, ...demoted.tokens]) assert.equal(await works(t), 200);

    assert.equal((await org.api.patch(`/api/v1/users/${disabled.userId}`, { disabled: true })).status, 200);
    assert.equal((await org.api.delete(`/api/v1/users/${deleted.userId}`)).status, 204);
    assert.equal((await org.api.patch(`/api/v1/users/${demoted.userId}`, { role: 'dispatcher' })).status, 200);
    for (const t of [...disabled.tokens, ...deleted.tokens, ...demoted.tokens]) assert.equal(await works(t), 401, 'a token outlived its maker’s authority');
    assert.equal(await works(orgToken), 200, 'a token made with the organization’s CLI key stays');
    const audit = await org.api.get('/api/v1/audit-log?action=ingest_token.revoked');
    assert.equal(audit.body.items.length, 6, audit.text);
    // Enabling the user again does not bring the tokens back.
    await org.api.patch(`/api/v1/users/${disabled.userId}`, { disabled: false });
    assert.equal(await works(disabled.tokens[0]), 401);
  });
});

describeStores(
  'Traccar forwarding limits',
  (ctx) => {
    const forward = (fixTime: number, authorization: string, ip: string) =>
      ctx().app.inject({
        method: 'POST',
        url: '/ingest/traccar',
        remoteAddress: ip,
        headers: { 'content-type': 'application/json', authorization },
        payload: JSON.stringify(traccarForward({ uniqueId: IMEI, fixTime, latitude: 51.98, longitude: 4.8 })),
      });

    it('makes an address with too many wrong tokens wait, even with the right one, and holds a device to its request budget', async () => {
      const org = await ctx().newOrg();
      const t = await ingestToken(org);
      const d = await device(org);
      const base = Date.now() - 60_000;
      for (let i = 0; i < 3; i++) assert.equal((await forward(base, `Bearer tli_guess-${i}-000000000000000000000000`, '198.51.100.40')).statusCode, 401);
      const blocked = await forward(base, `Bearer ${t.token}`, '198.51.100.40');
      assert.equal(blocked.statusCode, 429, 'a right guess after the limit would be an oracle');
      assert.ok(Number(blocked.headers['retry-after']) >= 1);

      for (let i = 0; i < 3; i++) assert.equal((await forward(base + i * 1000, `Bearer ${t.token}`, '198.51.100.41')).statusCode, 200);
      const over = await forward(base + 5000, `Bearer ${t.token}`, '198.51.100.41');
      assert.equal(over.statusCode, 429, over.body);
      assert.equal(JSON.parse(over.body).error.code, 'rate_limited');
      assert.equal(await stored(ctx(), org, d.id), 3, 'nothing over the budget was stored');
    });
  },
  { DEVICE_AUTH_FAILURE_LIMIT: '3', DEVICE_RATE_LIMIT: '3' },
);

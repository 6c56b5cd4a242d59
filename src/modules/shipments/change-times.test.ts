// changeTimeOf: the newest change time of the keys a view shows, and only of those.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { changeTimeOf, keysShownIn, parseChangeTimes } from './change-times.js';

it('answers the newest time of the given keys as ISO, ignoring keys not given, not recorded or not numbers', () => {
  const t = (iso: string) => Date.parse(iso);
  const times = parseChangeTimes(
    JSON.stringify({ title: t('2026-12-01T10:00:00.000Z'), eta: t('2026-12-01T12:30:00.123Z'), 'stops.name': t('2026-12-01T11:00:00.000Z'), hidden: t('2026-12-02T00:00:00.000Z'), odd: '2026-12-03T00:00:00.000Z' }),
  );
  assert.equal(changeTimeOf(times, ['title', 'stops.name', 'eta', 'title', 'missing']), '2026-12-01T12:30:00.123Z');
  assert.equal(changeTimeOf(times, new Set(['stops.name', 'title'])), '2026-12-01T11:00:00.000Z');
  assert.equal(changeTimeOf(times, ['odd', 'title']), '2026-12-01T10:00:00.000Z', 'a value that is not a number is not a time');
  assert.equal(changeTimeOf(times, ['missing', 'odd']), null);
  assert.equal(changeTimeOf(times, []), null);
  assert.equal(changeTimeOf(parseChangeTimes('not json'), ['title']), null);
});

it('names the keys a view shows: each field present, and <list>.<field> for each field of each item, the same on every call', () => {
  const out = { title: 'T', hidden: undefined, stops: [{ name: 'A', eta: null }, { name: 'B' }], cargo: [], tags: ['x'] };
  const expected = ['title', 'stops', 'stops.name', 'stops.eta', 'stops.name', 'cargo', 'tags'];
  for (let i = 0; i < 3; i++) assert.deepEqual(keysShownIn(out), expected);
  assert.deepEqual(keysShownIn({ segments: [{ name: 'S', from_stop: 0 }] }), ['segments', 'segments.name', 'segments.from_stop']);
});

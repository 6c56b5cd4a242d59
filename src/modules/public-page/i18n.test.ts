// The page's formatters keep what they made (i18n.ts): a kept text must be the text a fresh
// formatter makes for the same input, whichever input was kept first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatDateTime, formatDuration, formatNumber, MESSAGES, type PageLocale } from './i18n.js';

const localeIn = (timeZone: string, locale = 'en-GB'): PageLocale => ({ lang: 'en', locale, timeZone, t: MESSAGES.en });

it('formats every instant as a fresh formatter does, also instants of one minute in a zone whose offset had seconds (kept per minute only from 1973)', () => {
  // Liberia's offset was -0:44:30 until 1972: 00:00:10Z and 00:00:50Z read 23:15 and 23:16 there.
  const zones = ['Africa/Monrovia', 'Europe/Amsterdam', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'UTC'];
  const minutes = ['1971-06-01T00:00', '1972-01-06T12:34', '1973-01-01T00:00', '2026-03-29T01:00', '2026-10-04T15:30', '2026-12-02T11:13'];
  const seconds = ['00.000', '10.000', '29.999', '30.000', '50.000', '59.999'];
  let compared = 0;
  const texts = new Set<string>();
  for (const zone of zones) {
    const l = localeIn(zone);
    const fresh = () => new Intl.DateTimeFormat(l.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short' });
    for (const m of minutes) {
      for (const s of seconds) {
        const iso = `${m}:${s}Z`;
        const text = formatDateTime(iso, l);
        assert.equal(text, fresh().format(new Date(iso)), `${iso} in ${zone}`);
        texts.add(`${zone}|${text}`);
        compared++;
      }
    }
  }
  assert.equal(compared, zones.length * minutes.length * seconds.length);
  assert.equal(formatDateTime('1971-06-01T00:00:10.000Z', localeIn('Africa/Monrovia')).includes('23:15'), true);
  assert.equal(formatDateTime('1971-06-01T00:00:50.000Z', localeIn('Africa/Monrovia')).includes('23:16'), true);
  assert.ok(texts.size > zones.length * minutes.length, 'some minutes read differently by the second (the test would prove nothing otherwise)');
  assert.equal(formatDateTime('not a time', localeIn('UTC')), '');
  assert.equal(formatDateTime(null, localeIn('UTC')), '');
});

it('formats numbers and durations as fresh formatters do, 0 and -0 apart', () => {
  const l = localeIn('Europe/Amsterdam', 'nl-NL');
  const number = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 2 });
  for (const n of [0, -0, 8000, 12, 0.125, -0, 0, 8000.5, 1e21, NaN]) assert.equal(formatNumber(n, l), number.format(n), String(n));
  assert.equal(formatNumber(-0, l), '-0');
  const unit = (n: number, u: string) => new Intl.NumberFormat('nl-NL', { style: 'unit', unit: u, unitDisplay: u === 'day' ? 'long' : 'short' }).format(n);
  const M = 60_000;
  assert.equal(formatDuration(5 * M, l), unit(5, 'minute'));
  assert.equal(formatDuration(-(2 * 60 + 7) * M, l), `${unit(2, 'hour')} ${unit(7, 'minute')}`);
  assert.equal(formatDuration((40 * 1440 + 3 * 60) * M, l), `${unit(40, 'day')} ${unit(3, 'hour')}`);
  assert.equal(formatDuration(0, l), unit(1, 'minute'));
});

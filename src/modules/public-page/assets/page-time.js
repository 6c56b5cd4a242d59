// Dates, "… ago" and durations in the visitor's language and the org's time zone, and the
// countdowns that keep "arriving in …" and "(… ago)" true while the page stays open.
import { cfg } from './page-state.js';

// Formatters are made on first use, not when the module loads, and only for what the server did
// not write already (last-seen times and "… ago" come as text, see i18n.ts): a phone's first Intl
// formatter loads ICU data in a long task (200-900 ms at Lighthouse's 4x slowdown).
var dateFmt = null;
function dateFormat() {
  if (dateFmt) return dateFmt;
  try {
    dateFmt = new Intl.DateTimeFormat(cfg.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: cfg.timeZone, timeZoneName: 'short' });
  } catch (e) {
    dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  return dateFmt;
}
/** A date and time in the visitor's language and the org's zone. */
export var fmt = { format: function (d) { return dateFormat().format(d); } };
var rel;
function relative() {
  if (rel === undefined) rel = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(cfg.lang, { numeric: 'auto' }) : null;
  return rel;
}

/** "5 seconds ago": the server's phrases (cfg.ago, as Intl.RelativeTimeFormat writes them) where they reach. */
export function ago(ms) {
  var s = Math.round((ms - Date.now()) / 1000);
  // A clock a few seconds behind the device's: "now", not "in 2 seconds".
  if (s > 0 && s < 60) s = 0;
  var n = Math.abs(s), u = 'second';
  if (n >= 86400) { n = Math.round(n / 86400); u = 'day'; }
  else if (n >= 3600) { n = Math.round(n / 3600); u = 'hour'; }
  else if (n >= 60) { n = Math.round(n / 60); u = 'minute'; }
  var said = s <= 0 && cfg.ago && cfg.ago[u] && cfg.ago[u][n];
  if (said) return said;
  var rel = relative();
  return rel ? rel.format(s > 0 ? n : -n, u) : '';
}

// "1 hr 50 min", as the server renders it (eta-view.ts, i18n.ts formatDuration).
// The server's words (cfg.units, i18n.ts durationUnits) where they reach, Intl beyond.
var unitFmts = {};
function unit(n, u) {
  var said = cfg.units && cfg.units[u] && cfg.units[u][n];
  if (said) return said;
  if (!unitFmts[u]) {
    try { unitFmts[u] = new Intl.NumberFormat(cfg.locale, { style: 'unit', unit: u, unitDisplay: u === 'day' ? 'long' : 'short' }); } catch (e) { return n + ' ' + u; }
  }
  return unitFmts[u].format(n);
}

export function duration(ms) {
  var minutes = Math.max(1, Math.round(Math.abs(ms) / 60000));
  var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
  if (days) return hours ? unit(days, 'day') + ' ' + unit(hours, 'hour') : unit(days, 'day');
  if (hours) return mins ? unit(hours, 'hour') + ' ' + unit(mins, 'minute') : unit(hours, 'hour');
  return unit(mins, 'minute');
}

// Once an ETA passes, the server renders the late state: it is asked once per ETA that passes
// (not on every tick: the clocks may disagree).
var etaPassed = {};
/** Updates countdowns and "since" durations; calls `onPassed` when an ETA just went by. */
export function tickEta(onPassed) {
  var now = Date.now(), due = false;
  document.querySelectorAll('[data-countdown]').forEach(function (el) {
    var at = el.getAttribute('data-countdown');
    var ms = Date.parse(at) - now;
    if (ms > 0) el.textContent = duration(ms);
    else if (!etaPassed[at]) { etaPassed[at] = true; due = true; }
  });
  document.querySelectorAll('[data-since]').forEach(function (el) {
    el.textContent = duration(now - Date.parse(el.getAttribute('data-since')));
  });
  if (due) onPassed();
}

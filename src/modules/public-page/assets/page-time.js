// Dates, "… ago" and durations in the visitor's language and the org's time zone, and the
// countdowns that keep "arriving in …" and "(… ago)" true while the page stays open.
import { cfg } from './page-state.js';

// Formatters are made on first use, not when the module loads: the first one in a time zone
// loads the browser's time zone data, a long task a phone should not pay before the page shows.
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

export function ago(ms) {
  var s = Math.round((ms - Date.now()) / 1000);
  var rel = relative();
  if (!rel) return '';
  if (Math.abs(s) < 60) return rel.format(s, 'second');
  if (Math.abs(s) < 3600) return rel.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86400) return rel.format(Math.round(s / 3600), 'hour');
  return rel.format(Math.round(s / 86400), 'day');
}

// "1 hr 50 min", as the server renders it (eta-view.ts, i18n.ts formatDuration).
var unitFmts = {};
function unit(n, u) {
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

// Languages of the public page and how one is chosen: the visitor's Accept-Language when we
// have that language, else the org's country language, else English. Dates follow the org's
// country conventions and time zone where one zone covers the country.
export const LANGUAGES = ['en', 'de', 'fr', 'nl', 'es'] as const;
export type Lang = (typeof LANGUAGES)[number];

const COUNTRY: Record<string, { lang: string; tz: string | null }> = {
  NL: { lang: 'nl', tz: 'Europe/Amsterdam' },
  BE: { lang: 'nl', tz: 'Europe/Brussels' },
  DE: { lang: 'de', tz: 'Europe/Berlin' },
  AT: { lang: 'de', tz: 'Europe/Vienna' },
  CH: { lang: 'de', tz: 'Europe/Zurich' },
  LU: { lang: 'fr', tz: 'Europe/Luxembourg' },
  FR: { lang: 'fr', tz: 'Europe/Paris' },
  ES: { lang: 'es', tz: 'Europe/Madrid' },
  MX: { lang: 'es', tz: null },
  AR: { lang: 'es', tz: 'America/Argentina/Buenos_Aires' },
  CO: { lang: 'es', tz: 'America/Bogota' },
  CL: { lang: 'es', tz: 'America/Santiago' },
  PE: { lang: 'es', tz: 'America/Lima' },
  GB: { lang: 'en', tz: 'Europe/London' },
  IE: { lang: 'en', tz: 'Europe/Dublin' },
  US: { lang: 'en', tz: null },
  CA: { lang: 'en', tz: null },
  AU: { lang: 'en', tz: null },
  NZ: { lang: 'en', tz: 'Pacific/Auckland' },
  IT: { lang: 'it', tz: 'Europe/Rome' },
  PT: { lang: 'pt', tz: 'Europe/Lisbon' },
  PL: { lang: 'pl', tz: 'Europe/Warsaw' },
  DK: { lang: 'da', tz: 'Europe/Copenhagen' },
  SE: { lang: 'sv', tz: 'Europe/Stockholm' },
  NO: { lang: 'nb', tz: 'Europe/Oslo' },
  FI: { lang: 'fi', tz: 'Europe/Helsinki' },
  CZ: { lang: 'cs', tz: 'Europe/Prague' },
  JP: { lang: 'ja', tz: 'Asia/Tokyo' },
  AE: { lang: 'en', tz: 'Asia/Dubai' },
  SG: { lang: 'en', tz: 'Asia/Singapore' },
};

export interface PageLocale {
  lang: Lang;
  /** BCP 47 tag for Intl: the chosen language with the org's country conventions. */
  locale: string;
  timeZone: string;
  t: Messages;
}

function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag.split('-')[0]);
}

const isLang = (l: string): l is Lang => (LANGUAGES as readonly string[]).includes(l);

/** `country` is null for pages that must not depend on any org (the not-available page). */
export function pickLocale(acceptLanguage: string | undefined, country: string | null): PageLocale {
  const c = country ? COUNTRY[country.toUpperCase()] : undefined;
  const wanted = parseAcceptLanguage(acceptLanguage).find(isLang);
  const orgLang = c && isLang(c.lang) ? c.lang : undefined;
  const lang: Lang = wanted ?? orgLang ?? 'en';
  const locale = country && /^[A-Z]{2}$/i.test(country) ? `${lang}-${country.toUpperCase()}` : lang;
  return { lang, locale: safeLocale(locale, lang), timeZone: c?.tz ?? 'UTC', t: MESSAGES[lang] };
}

function safeLocale(tag: string, fallback: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : fallback;
  } catch {
    return fallback;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(l: PageLocale): Intl.DateTimeFormat {
  const key = `${l.locale}|${l.timeZone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(l.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: l.timeZone, timeZoneName: 'short' });
    formats.set(key, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined, l: PageLocale): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dateFormat(l).format(d);
}

// Building an Intl formatter costs far more than using one: they are kept per locale (a bounded
// set: the supported languages times the countries' locales and zones).
const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(n: number | null | undefined, l: PageLocale): string {
  if (n === null || n === undefined) return '';
  let f = numberFormats.get(l.locale);
  if (!f) {
    f = new Intl.NumberFormat(l.locale, { maximumFractionDigits: 2 });
    numberFormats.set(l.locale, f);
  }
  return f.format(n);
}

const en = {
  skip: 'Skip to content',
  shipment: 'Shipment',
  tracking_by: 'Live tracking',
  status: 'Status',
  status_draft: 'Draft',
  status_planned: 'Planned',
  status_in_transit: 'In transit',
  status_delivered: 'Delivered',
  status_cancelled: 'Cancelled',
  status_exception: 'Delayed, needs attention',
  delivered_at: 'Delivered',
  progress: 'Progress',
  current_stage: 'current stage',
  eta: 'Estimated arrival',
  eta_unknown: 'Not known yet',
  eta_calculated: 'Calculated',
  eta_source_manual: 'set by the carrier',
  eta_source_computed: 'calculated from the live position',
  map: 'Map',
  map_needs_js: 'The map needs JavaScript. Everything else on this page works without it.',
  layers: 'Shown on the map',
  layer_driver: 'Driver',
  layer_cargo: 'Cargo',
  layer_tracker: 'Tracker',
  last_seen: 'Last seen',
  no_position: 'No position yet',
  history: 'History',
  history_latest: 'Latest',
  pickup: 'Pickup',
  delivery: 'Delivery',
  waypoint: 'Stop',
  stops: 'Stops',
  reference: 'Reference',
  window: 'Time window',
  stop_eta: 'Expected',
  arrived: 'Arrived',
  departed: 'Departed',
  details: 'Details',
  customer_reference: 'Your reference',
  container_number: 'Container',
  transport_service: 'Service',
  cargo: 'Cargo',
  description: 'Description',
  quantity: 'Quantity',
  packaging: 'Packaging',
  weight: 'Weight (kg)',
  pallet_scans: 'Pallet scans',
  scanned_at: 'Time',
  event: 'Event',
  code: 'Code',
  place: 'Place',
  notes: 'Notes',
  photos: 'Photos',
  pod: 'Proof of delivery',
  pod_download: 'Download the proof of delivery',
  signed_by: 'Signed by',
  captured_at: 'Captured',
  updated: 'Last updated',
  not_available_title: 'Link not available',
  not_available_body: 'This tracking link does not exist or is no longer available. Please ask the sender for a new link.',
  expired_title: 'This link has expired',
  expired_body: 'This tracking link has expired. Please ask the sender for a new link if you still need it.',
  live: 'Live updates on',
};
export type Messages = typeof en;

const de: Messages = {
  skip: 'Zum Inhalt springen',
  shipment: 'Sendung',
  tracking_by: 'Live-Verfolgung',
  status: 'Status',
  status_draft: 'Entwurf',
  status_planned: 'Geplant',
  status_in_transit: 'Unterwegs',
  status_delivered: 'Zugestellt',
  status_cancelled: 'Storniert',
  status_exception: 'Verzögert, in Klärung',
  delivered_at: 'Zugestellt',
  progress: 'Fortschritt',
  current_stage: 'aktueller Schritt',
  eta: 'Voraussichtliche Ankunft',
  eta_unknown: 'Noch nicht bekannt',
  eta_calculated: 'Berechnet',
  eta_source_manual: 'vom Spediteur angegeben',
  eta_source_computed: 'aus der Live-Position berechnet',
  map: 'Karte',
  map_needs_js: 'Die Karte benötigt JavaScript. Alles andere auf dieser Seite funktioniert ohne.',
  layers: 'Auf der Karte',
  layer_driver: 'Fahrer',
  layer_cargo: 'Ladung',
  layer_tracker: 'Tracker',
  last_seen: 'Zuletzt gesehen',
  no_position: 'Noch keine Position',
  history: 'Verlauf',
  history_latest: 'Aktuell',
  pickup: 'Abholung',
  delivery: 'Zustellung',
  waypoint: 'Halt',
  stops: 'Stopps',
  reference: 'Referenz',
  window: 'Zeitfenster',
  stop_eta: 'Erwartet',
  arrived: 'Angekommen',
  departed: 'Abgefahren',
  details: 'Details',
  customer_reference: 'Ihre Referenz',
  container_number: 'Container',
  transport_service: 'Service',
  cargo: 'Ladung',
  description: 'Beschreibung',
  quantity: 'Menge',
  packaging: 'Verpackung',
  weight: 'Gewicht (kg)',
  pallet_scans: 'Palettenscans',
  scanned_at: 'Zeit',
  event: 'Ereignis',
  code: 'Code',
  place: 'Ort',
  notes: 'Hinweise',
  photos: 'Fotos',
  pod: 'Zustellnachweis',
  pod_download: 'Zustellnachweis herunterladen',
  signed_by: 'Unterschrieben von',
  captured_at: 'Erfasst',
  updated: 'Zuletzt aktualisiert',
  not_available_title: 'Link nicht verfügbar',
  not_available_body: 'Dieser Tracking-Link existiert nicht oder ist nicht mehr verfügbar. Bitte fragen Sie den Absender nach einem neuen Link.',
  expired_title: 'Dieser Link ist abgelaufen',
  expired_body: 'Dieser Tracking-Link ist abgelaufen. Bitte fragen Sie den Absender nach einem neuen Link, falls Sie ihn noch benötigen.',
  live: 'Live-Aktualisierung aktiv',
};

const fr: Messages = {
  skip: 'Aller au contenu',
  shipment: 'Envoi',
  tracking_by: 'Suivi en direct',
  status: 'Statut',
  status_draft: 'Brouillon',
  status_planned: 'Planifié',
  status_in_transit: 'En transit',
  status_delivered: 'Livré',
  status_cancelled: 'Annulé',
  status_exception: 'Retardé, en cours de traitement',
  delivered_at: 'Livré',
  progress: 'Progression',
  current_stage: 'étape actuelle',
  eta: 'Arrivée estimée',
  eta_unknown: 'Pas encore connue',
  eta_calculated: 'Calculée',
  eta_source_manual: 'indiquée par le transporteur',
  eta_source_computed: 'calculée à partir de la position en direct',
  map: 'Carte',
  map_needs_js: 'La carte nécessite JavaScript. Le reste de la page fonctionne sans.',
  layers: 'Affiché sur la carte',
  layer_driver: 'Chauffeur',
  layer_cargo: 'Marchandise',
  layer_tracker: 'Traceur',
  last_seen: 'Vu pour la dernière fois',
  no_position: 'Pas encore de position',
  history: 'Historique',
  history_latest: 'Dernière',
  pickup: 'Enlèvement',
  delivery: 'Livraison',
  waypoint: 'Arrêt',
  stops: 'Arrêts',
  reference: 'Référence',
  window: 'Créneau',
  stop_eta: 'Prévu',
  arrived: 'Arrivé',
  departed: 'Parti',
  details: 'Détails',
  customer_reference: 'Votre référence',
  container_number: 'Conteneur',
  transport_service: 'Service',
  cargo: 'Marchandise',
  description: 'Description',
  quantity: 'Quantité',
  packaging: 'Emballage',
  weight: 'Poids (kg)',
  pallet_scans: 'Scans de palettes',
  scanned_at: 'Heure',
  event: 'Événement',
  code: 'Code',
  place: 'Lieu',
  notes: 'Remarques',
  photos: 'Photos',
  pod: 'Preuve de livraison',
  pod_download: 'Télécharger la preuve de livraison',
  signed_by: 'Signé par',
  captured_at: 'Enregistrée',
  updated: 'Dernière mise à jour',
  not_available_title: 'Lien non disponible',
  not_available_body: "Ce lien de suivi n'existe pas ou n'est plus disponible. Demandez un nouveau lien à l'expéditeur.",
  expired_title: 'Ce lien a expiré',
  expired_body: "Ce lien de suivi a expiré. Demandez un nouveau lien à l'expéditeur si vous en avez encore besoin.",
  live: 'Mises à jour en direct',
};

const nl: Messages = {
  skip: 'Naar de inhoud',
  shipment: 'Zending',
  tracking_by: 'Live volgen',
  status: 'Status',
  status_draft: 'Concept',
  status_planned: 'Gepland',
  status_in_transit: 'Onderweg',
  status_delivered: 'Afgeleverd',
  status_cancelled: 'Geannuleerd',
  status_exception: 'Vertraagd, wordt opgelost',
  delivered_at: 'Afgeleverd',
  progress: 'Voortgang',
  current_stage: 'huidige stap',
  eta: 'Verwachte aankomst',
  eta_unknown: 'Nog niet bekend',
  eta_calculated: 'Berekend',
  eta_source_manual: 'opgegeven door de vervoerder',
  eta_source_computed: 'berekend uit de live positie',
  map: 'Kaart',
  map_needs_js: 'De kaart heeft JavaScript nodig. De rest van deze pagina werkt zonder.',
  layers: 'Op de kaart',
  layer_driver: 'Chauffeur',
  layer_cargo: 'Lading',
  layer_tracker: 'Tracker',
  last_seen: 'Laatst gezien',
  no_position: 'Nog geen positie',
  history: 'Geschiedenis',
  history_latest: 'Nu',
  pickup: 'Ophalen',
  delivery: 'Afleveren',
  waypoint: 'Stop',
  stops: 'Stops',
  reference: 'Referentie',
  window: 'Tijdvak',
  stop_eta: 'Verwacht',
  arrived: 'Aangekomen',
  departed: 'Vertrokken',
  details: 'Details',
  customer_reference: 'Uw referentie',
  container_number: 'Container',
  transport_service: 'Dienst',
  cargo: 'Lading',
  description: 'Omschrijving',
  quantity: 'Aantal',
  packaging: 'Verpakking',
  weight: 'Gewicht (kg)',
  pallet_scans: 'Palletscans',
  scanned_at: 'Tijd',
  event: 'Gebeurtenis',
  code: 'Code',
  place: 'Plaats',
  notes: 'Opmerkingen',
  photos: "Foto's",
  pod: 'Afleverbewijs',
  pod_download: 'Afleverbewijs downloaden',
  signed_by: 'Getekend door',
  captured_at: 'Vastgelegd',
  updated: 'Laatst bijgewerkt',
  not_available_title: 'Link niet beschikbaar',
  not_available_body: 'Deze track-and-tracelink bestaat niet of is niet meer beschikbaar. Vraag de afzender om een nieuwe link.',
  expired_title: 'Deze link is verlopen',
  expired_body: 'Deze track-and-tracelink is verlopen. Vraag de afzender om een nieuwe link als u die nog nodig hebt.',
  live: 'Live bijgewerkt',
};

const es: Messages = {
  skip: 'Ir al contenido',
  shipment: 'Envío',
  tracking_by: 'Seguimiento en directo',
  status: 'Estado',
  status_draft: 'Borrador',
  status_planned: 'Planificado',
  status_in_transit: 'En tránsito',
  status_delivered: 'Entregado',
  status_cancelled: 'Cancelado',
  status_exception: 'Retrasado, en revisión',
  delivered_at: 'Entregado',
  progress: 'Progreso',
  current_stage: 'etapa actual',
  eta: 'Llegada estimada',
  eta_unknown: 'Aún no se conoce',
  eta_calculated: 'Calculada',
  eta_source_manual: 'indicada por el transportista',
  eta_source_computed: 'calculada a partir de la posición en directo',
  map: 'Mapa',
  map_needs_js: 'El mapa necesita JavaScript. El resto de la página funciona sin él.',
  layers: 'En el mapa',
  layer_driver: 'Conductor',
  layer_cargo: 'Carga',
  layer_tracker: 'Rastreador',
  last_seen: 'Visto por última vez',
  no_position: 'Aún sin posición',
  history: 'Historial',
  history_latest: 'Actual',
  pickup: 'Recogida',
  delivery: 'Entrega',
  waypoint: 'Parada',
  stops: 'Paradas',
  reference: 'Referencia',
  window: 'Franja horaria',
  stop_eta: 'Previsto',
  arrived: 'Llegó',
  departed: 'Salió',
  details: 'Detalles',
  customer_reference: 'Su referencia',
  container_number: 'Contenedor',
  transport_service: 'Servicio',
  cargo: 'Carga',
  description: 'Descripción',
  quantity: 'Cantidad',
  packaging: 'Embalaje',
  weight: 'Peso (kg)',
  pallet_scans: 'Escaneos de palés',
  scanned_at: 'Hora',
  event: 'Evento',
  code: 'Código',
  place: 'Lugar',
  notes: 'Notas',
  photos: 'Fotos',
  pod: 'Prueba de entrega',
  pod_download: 'Descargar la prueba de entrega',
  signed_by: 'Firmado por',
  captured_at: 'Registrada',
  updated: 'Última actualización',
  not_available_title: 'Enlace no disponible',
  not_available_body: 'Este enlace de seguimiento no existe o ya no está disponible. Pida un enlace nuevo al remitente.',
  expired_title: 'Este enlace ha caducado',
  expired_body: 'Este enlace de seguimiento ha caducado. Pida un enlace nuevo al remitente si aún lo necesita.',
  live: 'Actualización en directo',
};

export const MESSAGES: Record<Lang, Messages> = { en, de, fr, nl, es };

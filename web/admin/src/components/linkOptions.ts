// Per-link options are overrides of the org template: a key equal to the template is not an override.
import { SECTION_KEYS } from '../format';
import type { DriverPosition, Layer, LinkOptions, LinkTemplate, SectionKey } from '../types';

export const LAYERS: { value: Layer; label: string; hint: string }[] = [
  { value: 'driver', label: 'Driver', hint: "The driver's device" },
  { value: 'cargo', label: 'Cargo', hint: 'Inferred from the driver while the cargo is on that vehicle' },
  { value: 'tracker', label: 'Tracker', hint: 'An independent device travelling with the cargo' },
];

export interface OptionsDraft {
  sections: Partial<Record<SectionKey, boolean>>;
  driver_position: DriverPosition | null;
  segments: number[] | null;
  layers: Layer[] | null;
  photo_ids: string[];
}

export function draftFrom(options: LinkOptions | undefined): OptionsDraft {
  const sections: Partial<Record<SectionKey, boolean>> = {};
  for (const k of SECTION_KEYS) {
    const v = options?.[k];
    if (typeof v === 'boolean') sections[k] = v;
  }
  return {
    sections,
    driver_position: options?.driver_position ?? null,
    segments: options?.segments ?? null,
    layers: options?.layers ?? null,
    photo_ids: options?.photo_ids ?? [],
  };
}

export const effective = (d: OptionsDraft, t: LinkTemplate, k: SectionKey): boolean => d.sections[k] ?? t[k];

/** Sets a section; a value equal to the template is stored as "follow the template". */
export function withSection(d: OptionsDraft, t: LinkTemplate, k: SectionKey, on: boolean): OptionsDraft {
  const sections = { ...d.sections };
  if (on === t[k]) delete sections[k];
  else sections[k] = on;
  return { ...d, sections };
}

/** The options body: for PATCH every key is sent (null = back to the template), for create only overrides. */
export function optionsBody(d: OptionsDraft, mode: 'create' | 'patch'): LinkOptions {
  const out: LinkOptions = {};
  for (const k of SECTION_KEYS) {
    const v = d.sections[k];
    if (v !== undefined) out[k] = v;
    else if (mode === 'patch') out[k] = null;
  }
  if (d.driver_position !== null || mode === 'patch') out.driver_position = d.driver_position;
  if (d.segments !== null || mode === 'patch') out.segments = d.segments;
  if (d.layers !== null || mode === 'patch') out.layers = d.layers;
  out.photo_ids = d.photo_ids;
  return out;
}

/** Toggling one item of an "all by default" list: null means all; every item checked goes back to null. */
export function toggleInList<T>(current: T[] | null, all: T[], item: T, on: boolean): T[] | null {
  const base = current ?? all;
  const next = on ? [...new Set([...base, item])] : base.filter((x) => x !== item);
  return all.every((x) => next.includes(x)) ? null : all.filter((x) => next.includes(x));
}

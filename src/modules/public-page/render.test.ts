// The page's joined layer names ("Driver and Cargo"), made on the server so a phone's first
// Intl.ListFormat is not a long task; the formatter is built once per language and layer list.
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { pickLocale } from './i18n.js';
import { layerGroupNames } from './render.js';

const RealListFormat = Intl.ListFormat;
const intl = Intl as { ListFormat: typeof Intl.ListFormat };
afterEach(() => {
  intl.ListFormat = RealListFormat;
});

it('joins every group of the shown layers in the page language, building one Intl.ListFormat per language and layer list', () => {
  let built = 0;
  intl.ListFormat = class extends RealListFormat {
    constructor(...args: ConstructorParameters<typeof RealListFormat>) {
      super(...args);
      built++;
    }
  } as typeof Intl.ListFormat;
  const en = pickLocale('en', 'NL');
  const first = layerGroupNames(['driver', 'cargo'], en);
  assert.deepEqual(first, { driver: 'Driver', cargo: 'Cargo', 'driver+cargo': 'Driver and Cargo' });
  for (let i = 0; i < 5; i++) assert.deepEqual(layerGroupNames(['driver', 'cargo'], en), first);
  assert.equal(built, 1, 'the same language and layers reuse their names (old code: one formatter per render)');
  assert.equal(layerGroupNames(['driver', 'cargo'], pickLocale('de', 'DE'))['driver+cargo'], 'Fahrer und Ladung');
  assert.equal(Object.keys(layerGroupNames(['driver', 'tracker', 'cargo'], en)).length, 7);
  assert.equal(built, 3);
});

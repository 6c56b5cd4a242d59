// Edits of a shipment and what a view of it (a tracking link, a partner) may say of them: its
// updated_at moves with an edit of what it shows, and an edit of what it hides leaves it, with
// the edit's time nowhere in what it shows (shipments/change-times.ts).
import assert from 'node:assert/strict';
import type { ApiResponse } from './context.js';

/** An edit and what it is, for the failure messages. */
export type Edit = [what: string, make: () => Promise<ApiResponse>];

/** The next millisecond: two edits never share a time, so a moved updated_at tells which one moved it. */
export const newMillisecond = () => new Promise((r) => setTimeout(r, 2));

/** A view as read after an edit: its updated_at and its whole text. */
export interface SeenView {
  updated_at: string | null;
  text: string;
}

/**
 * Makes each edit, then checks that the view (`read`) kept `before`'s updated_at and that the
 * edit's time (the owner's updated_at after it, `ownerTime`) is in none of its text nor in what
 * `alsoRead` returns (a page of the same link). With `sameText`, the view's text did not change at all.
 */
export async function expectEditsHidden(
  edits: readonly Edit[],
  view: { name: string; before: SeenView; read: () => Promise<SeenView>; ownerTime: () => Promise<string>; alsoRead?: () => Promise<string>; sameText?: boolean },
): Promise<void> {
  for (const [what, edit] of edits) {
    await newMillisecond();
    const r = await edit();
    assert.ok(r.status < 300, `${what}: ${r.text}`);
    const hiddenAt = await view.ownerTime();
    const after = await view.read();
    assert.equal(after.updated_at, view.before.updated_at, `old code: ${what} moved the ${view.name}'s updated_at`);
    if (view.sameText) assert.equal(after.text, view.before.text, `${what}: nothing the ${view.name} shows changed`);
    assert.ok(!after.text.includes(hiddenAt), `${what}: its time reached the ${view.name}`);
    if (view.alsoRead) assert.ok(!(await view.alsoRead()).includes(hiddenAt), `${what}: its time reached the ${view.name}'s page`);
  }
}

// esc: the five characters that can end a text node or an attribute value, escaped wherever they
// are; any other text as it is.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { esc } from './html.js';

it('escapes each of & < > " \' wherever it is, and leaves any other text as it is', () => {
  const cases: [unknown, string][] = [
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
    [`Tiles & <grout> "mix" it's`, 'Tiles &amp; &lt;grout&gt; &quot;mix&quot; it&#39;s'],
    ['a&&b', 'a&amp;&amp;b'],
    ['&amp;', '&amp;amp;'],
    ['plain text · Dépôt – 12:00 …', 'plain text · Dépôt – 12:00 …'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [8000, '8000'],
    [0, '0'],
  ];
  for (const [input, out] of cases) assert.equal(esc(input), out, JSON.stringify(input));
  // The same text twice, with and without a character to escape (a test that keeps state, a
  // global regex's lastIndex, would answer one of them wrong).
  for (let i = 0; i < 3; i++) {
    assert.equal(esc('x<y'), 'x&lt;y');
    assert.equal(esc('xy<'), 'xy&lt;');
    assert.equal(esc('<xy'), '&lt;xy');
  }
});

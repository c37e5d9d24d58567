/** docs/memory.md's configuration reference is the one generated from the schemas (no drift). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryConfigReference } from '../../src/memory/config-doc.js';

describe('docs/memory.md', () => {
  it('contains the configuration reference generated from the schemas', () => {
    const doc = readFileSync(new URL('../../docs/memory.md', import.meta.url), 'utf8');
    const a = '<!-- BEGIN GENERATED CONFIG REFERENCE -->\n';
    const b = '<!-- END GENERATED CONFIG REFERENCE -->';
    const section = doc.slice(doc.indexOf(a) + a.length, doc.indexOf(b));
    // regenerate: see the comment at the top of src/memory/config-doc.ts
    expect(section).toBe(memoryConfigReference());
  });
});

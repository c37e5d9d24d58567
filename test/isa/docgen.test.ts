// docs/isa-reference.md is generated from the instruction table; this fails when the committed file is stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isaReferenceMarkdown } from '../../src/isa/docgen.js';
import { OPS } from '../../src/isa/table.js';

describe('instruction reference', () => {
  it('docs/isa-reference.md equals what the table generates (run `npm run docs:isa` after changing the table)', () => {
    const committed = readFileSync(new URL('../../docs/isa-reference.md', import.meta.url), 'utf8');
    expect(committed).toBe(isaReferenceMarkdown());
  });

  it('lists every opcode', () => {
    const md = isaReferenceMarkdown();
    for (const o of OPS) expect(md).toContain(`| ${o.mnemonic} |`);
  });
});

/**
 * Regenerated sections of docs/validation.md and docs/presets.md: the text between `<!-- BEGIN name -->` and `<!-- END name -->`.
 *
 * @module
 */

/** `doc` with the text between the markers of section `name` replaced by `body`; throws if they are missing. */
export function replaceSection(doc: string, name: string, body: string): string {
  const begin = `<!-- BEGIN ${name} -->`;
  const end = `<!-- END ${name} -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`the document has no '${begin}' ... '${end}' section`);
  return `${doc.slice(0, i + begin.length)}\n${body}\n${doc.slice(j)}`;
}

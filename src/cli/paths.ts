/**
 * Where the package's own files are (examples, docs), found from this file's location so it works from the
 * source tree (tsx), from dist/ and from an installed package alike.
 *
 * @module
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above src/cli or dist/cli. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A path inside the package. */
export function packagePath(...parts: string[]): string {
  return resolve(PACKAGE_ROOT, ...parts);
}

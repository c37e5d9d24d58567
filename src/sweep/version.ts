/**
 * The simulator version recorded in every stored row: the `version` of mpsimd's package.json, read from the
 * package root so it is the same from the sources and from dist/.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** mpsimd's version, from package.json. */
export const SIMULATOR_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

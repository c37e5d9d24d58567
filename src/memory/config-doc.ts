/**
 * The configuration reference of docs/memory.md, generated from the zod schemas (their JSON Schema: type,
 * default, unit, description), so the documentation cannot drift from the code: a test checks that
 * docs/memory.md contains exactly this text. Regenerate with
 * `npx tsx -e "import('./src/memory/config-doc.ts').then(m => console.log(m.memoryConfigReference()))"`.
 *
 * @module
 */
import { jsonSchemaOf } from '../config/validate.js';
import { CacheConfigSchema, DramConfigSchema, MemoryConfigSchema, PrefetcherConfigSchema } from './config.js';
import { MemoryEnergyConfigSchema } from './energy-config.js';

interface JsonNode {
  type?: string | string[];
  default?: unknown;
  unit?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  properties?: Record<string, JsonNode>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

function typeOf(n: JsonNode): string {
  if (n.type === 'array') return 'array';
  if (n.enum) return n.enum.map((e) => `\`${String(e)}\``).join(' \\| ');
  if (n.const !== undefined) return `\`${String(n.const)}\``;
  const alts = n.anyOf ?? n.oneOf;
  if (alts) return alts.map(typeOf).join(' \\| ');
  const t = Array.isArray(n.type) ? n.type.join(' \\| ') : (n.type ?? 'any');
  const range: string[] = [];
  if (n.minimum !== undefined && n.minimum > -Number.MAX_SAFE_INTEGER) range.push(`>= ${n.minimum}`);
  if (n.exclusiveMinimum !== undefined) range.push(`> ${n.exclusiveMinimum}`);
  if (n.maximum !== undefined && n.maximum < Number.MAX_SAFE_INTEGER) range.push(`<= ${n.maximum}`);
  return range.length ? `${t} (${range.join(', ')})` : t;
}

function table(title: string, node: JsonNode): string {
  const rows = Object.entries(node.properties ?? {}).map(([k, v]) => {
    const def = v.default === undefined ? '' : `\`${JSON.stringify(v.default)}\``;
    return `| \`${k}\` | ${typeOf(v)} | ${def} | ${v.unit ?? ''} | ${(v.description ?? '').replace(/\|/g, '\\|')} |`;
  });
  return [`#### ${title}`, '', '| field | type | default | unit | description |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}

function variants(title: string, node: JsonNode): string {
  return (node.oneOf ?? node.anyOf ?? [node]).map((v) => table(`${title}: \`${String(v.properties?.['kind']?.const ?? v.properties?.['model']?.const)}\``, v)).join('\n');
}

/** Markdown tables of every memory configuration field (cache level, prefetchers, DRAM, energy). */
export function memoryConfigReference(): string {
  const top = jsonSchemaOf(MemoryConfigSchema) as JsonNode;
  const cache = jsonSchemaOf(CacheConfigSchema) as JsonNode;
  const pf = jsonSchemaOf(PrefetcherConfigSchema) as JsonNode;
  const dram = jsonSchemaOf(DramConfigSchema) as JsonNode;
  const energy = jsonSchemaOf(MemoryEnergyConfigSchema) as JsonNode;
  return [
    table('Memory system (`MemoryConfigSchema`)', top),
    table('Cache level (`levels[i]`, `l1i`)', cache),
    variants('Prefetcher (`prefetcher`)', pf),
    variants('DRAM (`dram`)', dram),
    table('Memory energy (`MemoryEnergyConfigSchema`, src/energy/memory.ts)', energy),
  ].join('\n');
}

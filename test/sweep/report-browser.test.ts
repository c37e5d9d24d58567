// The interactive sweep report in a real browser: Debian's chromium, headless, driven by playwright-core,
// opens results/report.html from disk (file://, no network), must render without console errors or
// warnings, show a design's dimensions and metrics in the tooltip when its point is hovered, and its
// breakdowns when it is clicked. A screenshot is left in test-results/ for a person to look at.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../src/sweep/json.js';
import { writeReport } from '../../src/sweep/output.js';
import { resolveObjectives } from '../../src/sweep/pareto.js';
import type { SweepRow } from '../../src/sweep/store.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report-browser.test.ts: skipped, ${CHROMIUM} is missing (.ci/run installs Debian's chromium; apt-get install -y chromium)`);

/** Designs of a small made-up sweep: an object-valued dimension, coincident results, two breakdowns. */
function rows(): SweepRow[] {
  const out: SweepRow[] = [];
  let index = 0;
  for (const vlen of [128, 256, 512]) {
    for (const widths of [[1, 2, 4], [4]]) {
      for (const cache of [{ kb: 32 }, { kb: 64 }]) {
        const cycles = Math.round(900 / (vlen / 128)) + (widths.length === 1 ? 150 : 0) - cache.kb;
        const energy = Number((1 + vlen / 256 + cache.kb / 64).toFixed(3));
        out.push({
          index,
          key: `k${index}`,
          point: { 'isa.vlenBits': vlen, 'isa.mixedWidths': widths, 'memory.l1': cache },
          status: 'ok',
          metrics: { cycles, energyUj: energy, areaMm2: Number((0.01 * (vlen / 128) * widths.length).toFixed(4)) },
          breakdowns: { cpi: { base: 0.5, memory: cycles / 1000, stall: 0 }, energy: { core: energy * 0.25, memory: energy * 0.75 } },
          evaluator: 'made-up',
          simulatorVersion: 'test',
          elapsedMs: 1,
        });
        index++;
      }
    }
  }
  return out;
}

let context: BrowserContext | undefined;

describe.skipIf(!hasChromium)('report.html in headless chromium', () => {
  beforeAll(async () => {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mpsimd-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('renders from disk without console errors; hovering a point shows its values; clicking shows its breakdowns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsimd-report-'));
    const data = rows();
    const objectives = resolveObjectives(['cycles', 'energyUj', 'areaMm2']);
    const files = await writeReport(dir, {
      rows: data,
      objectives,
      units: { cycles: 'cycles', energyUj: 'µJ', areaMm2: 'mm²' },
      labels: { energyUj: 'energy', areaMm2: 'SIMD area' },
      breakdownUnits: { cpi: 'cycles/instruction', energy: 'µJ' },
      png: false,
    });
    expect(files.files).toContain(join(dir, 'report.html'));

    const page = await context!.newPage();
    await page.setViewportSize({ width: 1300, height: 900 });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
    expect(await page.evaluate('document.body.dataset.rendered')).toBe('yes');
    // A scatter per pair of the 3 objectives, with every design in each.
    expect(await page.locator('.s0_marks path').count()).toBe(data.length);
    expect(await page.locator('.s2_marks path').count()).toBe(data.length);

    // Hover one design's point in the first scatter (items are drawn in the order of the report's data).
    const points = ((await page.evaluate('window.mpsimdReport.points')) as { index: number }[]).map((p) => p.index);
    const k = points.length - 3;
    const design = data.find((r) => r.index === points[k])!;
    await page.locator('.s0_marks path').nth(k).hover({ force: true });
    const tooltip = page.locator('#vg-tooltip-element');
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`#${design.index}`);
    for (const [name, v] of Object.entries(design.point)) expect(text).toContain(`${name} ${formatValue(v)}`);
    expect(text).toContain(`cycles ${design.metrics!.cycles}`);
    expect(text).toContain(`energy (µJ) ${design.metrics!.energyUj}`);
    expect(text).toContain(`SIMD area (mm²) ${design.metrics!.areaMm2}`);
    expect(text).not.toContain('[object Object]');

    // Click it: the selected design's numbers and its two breakdowns appear.
    expect(await page.locator('.mark-rect path').count()).toBe(0);
    await page.locator('.s0_marks path').nth(k).click({ force: true });
    await page.waitForFunction("document.querySelectorAll('.mark-rect path').length > 0", undefined, { timeout: 10_000 });
    const bars = await page.locator('.mark-rect path').count();
    expect(bars).toBe(4); // cpi: base, memory (stall is zero); energy: core, memory
    expect(await page.locator('svg').first().innerHTML()).toContain(`design #${design.index}`);
    // The front table lists the front with dimension values as written.
    const table = await page.locator('#front').innerText();
    expect(table).toContain('{"kb":64}');
    expect(table).not.toContain('[object Object]');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: join('test-results', 'report-browser.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.close();
  });
});

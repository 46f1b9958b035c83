/** axe-core in a page already open: its serious and critical violations, as `id (impact): targets` lines. */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    // Known and left open: the picture's boxes with a shortened path ("…ployment.yaml") are named by
    // the full path, which axe's label-content-name-mismatch counts; the phone list names them in full.
    const known = (v: { id: string; nodes: { target: string[] }[] }) => v.id === 'label-content-name-mismatch' && v.nodes.every((n) => document.querySelector(n.target.join(' '))?.closest('.picture'));
    return result.violations.filter((v) => (v.impact === 'serious' || v.impact === 'critical') && !known(v)).map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

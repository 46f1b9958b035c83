/** Charts carry their numbers as text: a caption that describes them and a table screen readers get. */
import { describe, expect, test } from 'vitest';
import { barChart, chartFigure, stackedBar } from '../src/site/charts.ts';

describe('chart text alternatives', () => {
  const bars = [
    { label: 'validated', value: 3, tone: 'ok' as const },
    { label: '<draft>', value: 1, tone: 'warn' as const },
  ];

  test('a figure: the SVG hidden from assistive technology, a visible caption, every value in a table', () => {
    const html = chartFigure(barChart(bars, { title: 'Processes by status' }), { caption: 'Processes by status, as of 2026-11-26.', rows: bars, headers: ['Status', 'Processes'] });
    expect(html).toMatch(/^<figure class="chart-figure"><svg [^>]*aria-hidden="true"/);
    expect(html).toContain('<figcaption class="muted small">Processes by status, as of 2026-11-26.</figcaption>');
    expect(html).toContain('<div class="sr-only"><table><caption>Processes by status, as of 2026-11-26.</caption>');
    expect(html).toContain('<thead><tr><th scope="col">Status</th><th scope="col">Processes</th></tr></thead>');
    expect(html).toContain('<tr><th scope="row">validated</th><td>3</td></tr>');
    // Labels come from the repository: escaped in the table as in the SVG.
    expect(html).toContain('<tr><th scope="row">&lt;draft&gt;</th><td>1</td></tr>');
  });

  test('without rows (a visible table beside it holds the numbers) there is only the caption', () => {
    const html = chartFigure(stackedBar(bars, { title: 'Tasks' }), { caption: 'The table below gives the counts.' });
    expect(html).not.toContain('<table');
    expect(html).toContain('<figcaption class="muted small">The table below gives the counts.</figcaption></figure>');
  });
});

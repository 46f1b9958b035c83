import { describe, expect, it } from 'vitest';
import { symbolTable } from '../src/core/graph/symbol-index.ts';
import type { SymbolBlock } from '../src/core/extract/symbols.ts';
import { coversBlock, proposeSymbolConversions, type LineReference } from '../src/core/fix/to-symbols.ts';

const LB_TF = `# Deployment Process: Blue/Green Rollout
# Reference: docs/processes/blue-green-rollout.md
resource "aws_lb_listener_rule" "switch" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 100 # {
}


locals {
  a = 1
}

locals {
  b = 2
}
`;

const DEPLOY_SH = `#!/usr/bin/env bash
# Rolls traffic back to blue.
rollback() {
  echo "}"
}
`;

const DEPLOY_TS = `export class Deployer {
  async rollout(target: string): Promise<void> {
    console.log(\`{\${target}\`);
  }
}
`;

const HELM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
`;

const COMPOSE = `services:
  "web app":
    image: nginx
`;

const tables = new Map<string, SymbolBlock[]>(
  Object.entries({
    'infra/lb.tf': LB_TF,
    'scripts/deploy.sh': DEPLOY_SH,
    'src/deploy.ts': DEPLOY_TS,
    'charts/app/templates/all.yaml': HELM,
    'docker-compose.yml': COMPOSE,
  }).map(([path, text]) => [path, symbolTable(path, text)]),
);

let counter = 0;
function lineReference(raw: string, target: string, start: number, end: number, extra: Partial<LineReference> = {}): LineReference {
  counter++;
  const path = raw.replace(/(?::\d+(?:-\d+)?|#L\d+(?:-L\d+)?|\s*\(lines? [\d-]+\))$/, '');
  return { id: `docs/p.md:${counter}:1`, raw, path, lines: { start, end }, status: 'ok', targets: [target], ...extra };
}

/** `old → new`, the shape expectations use. */
const propose = (references: LineReference[]): string[] =>
  proposeSymbolConversions(references, tables).map((conversion) => `${conversion.oldText} → ${conversion.newText}`);

describe('proposeSymbolConversions', () => {
  it('converts a range that is exactly one block', () => {
    expect(propose([lineReference('infra/lb.tf:3-6', 'infra/lb.tf', 3, 6)])).toEqual(['infra/lb.tf:3-6 → infra/lb.tf#aws_lb_listener_rule.switch']);
  });

  it('ignores the comment lines directly above and the blank lines below', () => {
    expect(
      propose([
        lineReference('infra/lb.tf:1-6', 'infra/lb.tf', 1, 6),
        lineReference('infra/lb.tf#L2-L8', 'infra/lb.tf', 2, 8),
        lineReference('scripts/deploy.sh:2-5', 'scripts/deploy.sh', 2, 5),
      ]),
    ).toEqual([
      'infra/lb.tf:1-6 → infra/lb.tf#aws_lb_listener_rule.switch',
      'infra/lb.tf#L2-L8 → infra/lb.tf#aws_lb_listener_rule.switch',
      'scripts/deploy.sh:2-5 → scripts/deploy.sh#rollback',
    ]);
  });

  it('leaves ranges that cut into a block or spill past it', () => {
    expect(
      propose([
        lineReference('infra/lb.tf:4-6', 'infra/lb.tf', 4, 6),
        lineReference('infra/lb.tf:3-5', 'infra/lb.tf', 3, 5),
        lineReference('infra/lb.tf:3-9', 'infra/lb.tf', 3, 9),
        lineReference('infra/lb.tf:4', 'infra/lb.tf', 4, 4),
      ]),
    ).toEqual([]);
  });

  it('converts a range covering a method, keeping the path as written', () => {
    expect(
      propose([
        lineReference('deploy.ts:2-4', 'src/deploy.ts', 2, 4),
        lineReference('src/deploy.ts (lines 1-5)', 'src/deploy.ts', 1, 5),
      ]),
    ).toEqual(['deploy.ts:2-4 → deploy.ts#Deployer.rollout', 'src/deploy.ts (lines 1-5) → src/deploy.ts#Deployer']);
  });

  it('converts only when the name leads back to the same block', () => {
    expect(
      propose([
        lineReference('infra/lb.tf:9-11', 'infra/lb.tf', 9, 11),
        lineReference('infra/lb.tf:13-15', 'infra/lb.tf', 13, 15),
        lineReference('charts/app/templates/all.yaml:1-4', 'charts/app/templates/all.yaml', 1, 4),
        lineReference('charts/app/templates/all.yaml:6-9', 'charts/app/templates/all.yaml', 6, 9),
      ]),
    ).toEqual([
      'infra/lb.tf:9-11 → infra/lb.tf#locals',
      'charts/app/templates/all.yaml:1-4 → charts/app/templates/all.yaml#Deployment',
      'charts/app/templates/all.yaml:6-9 → charts/app/templates/all.yaml#ConfigMap/a',
    ]);
  });

  it('skips names a reference cannot carry', () => {
    expect(propose([lineReference('docker-compose.yml:2-3', 'docker-compose.yml', 2, 3)])).toEqual([]);
  });

  it('skips unresolved, ambiguous, anchored and untabled references', () => {
    expect(
      propose([
        lineReference('infra/lb.tf:3-6', 'infra/lb.tf', 3, 6, { status: 'missing' }),
        lineReference('lb.tf:3-6', 'infra/lb.tf', 3, 6, { status: 'ambiguous', targets: ['infra/lb.tf', 'old/lb.tf'] }),
        lineReference('infra/lb.tf#x', 'infra/lb.tf', 3, 6, { anchor: 'x' }),
        lineReference('infra/other.tf:3-6', 'infra/other.tf', 3, 6),
        { id: 'docs/p.md:99:1', raw: 'infra/lb.tf', path: 'infra/lb.tf', status: 'ok', targets: ['infra/lb.tf'] },
      ]),
    ).toEqual([]);
  });

  it('reports which reference each conversion is for', () => {
    const reference = lineReference('infra/lb.tf:3-6', 'infra/lb.tf', 3, 6);
    expect(proposeSymbolConversions([reference], tables)).toEqual([
      { referenceId: reference.id, oldText: 'infra/lb.tf:3-6', newText: 'infra/lb.tf#aws_lb_listener_rule.switch' },
    ]);
  });
});

describe('coversBlock', () => {
  it('allows a start within the lead and an end within the trailing blanks', () => {
    const block: SymbolBlock = { name: 'x', kind: 'function', start: 5, end: 9, leadStart: 3, tailEnd: 11 };
    const covers = (start: number, end: number): boolean => coversBlock({ start, end }, block);
    expect([covers(5, 9), covers(3, 11), covers(4, 10), covers(2, 9), covers(5, 12), covers(6, 9), covers(5, 8)]).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

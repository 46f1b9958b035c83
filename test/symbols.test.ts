import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingSymbol } from '../src/core/rules/missing-symbol.ts';
import type { RuleContext } from '../src/core/rules/rule.ts';
import type { Reference } from '../src/core/schema.ts';
import { symbolTable } from '../src/core/graph/symbol-index.ts';
import { expectLinear } from './growth.ts';
import { findSymbols, isSymbolAnchor, resolveSymbol, similarSymbols, supportsSymbols, type SymbolBlock } from '../src/core/extract/symbols.ts';

/** `kind name start-end`, the shape every expectation uses. */
const compact = (blocks: SymbolBlock[]): string[] => blocks.map((b) => `${b.kind} ${b.name} ${b.start}-${b.end}`);
const symbols = (path: string, text: string): string[] => compact(findSymbols(path, text));
const range = (block: SymbolBlock | undefined): string => (block ? `${block.start}-${block.end}` : 'none');

const TERRAFORM = `# Deployment Process: Blue/Green Rollout
# Reference: docs/processes/blue-green-rollout.md
resource "aws_lb_listener_rule" "switch" {
  listener_arn = aws_lb_listener.https.arn # note: { not a brace
  priority     = 100 // and } neither

  action {
    type             = "forward"
    target_group_arn = var.active == "blue" ? aws_lb_target_group.blue.arn : aws_lb_target_group.green.arn
  }

  condition {
    path_pattern {
      values = ["/api/*", "{weird}"]
    }
  }
  /* block { comment */
  tags = merge(local.common_tags, { Name = "switch-\${var.env}-{x}" })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
  }
}

resource "aws_iam_role_policy" "deploy" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow"
EOF
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  cidr   = "10.0.0.0/16"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  common_tags = {
    Team = "platform"
  }
  name_prefix = "\${var.env}-app"
  script = <<-EOT
    echo "}"
  EOT
}

output "lb_dns" {
  value = aws_lb.main.dns_name
}
`;

const KUBERNETES = `# Deployment Process: Blue/Green Rollout
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  template:
    spec:
      containers:
        - name: web
          command: ["sh", "-c", "echo '---' && run"]
---
# Service for web
apiVersion: v1
kind: Service
metadata: { name: web-svc, namespace: prod }
spec:
  ports:
    - port: 80

---
apiVersion: v1
kind: ConfigMap
metadata:
  name: "web-config"
data:
  script.sh: |
    #!/bin/sh
    echo "kind: Secret"
---
`;

const HELM = `{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
{{- with .Values.labels }}
  labels:
    {{- toYaml . | nindent 4 }}
{{- end }}
spec:
  replicas: {{ .Values.replicas }}
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  type: ClusterIP
`;

const SHELL = `#!/usr/bin/env bash
# Deployment Process: Blue/Green Rollout
set -euo pipefail

log() { echo "[\${0##*/}] $*" >&2; }

# Reference: docs/processes/blue-green-rollout.md#rollback
rollback() {
  local target="\${1:-blue}"
  echo "rolling back to {\${target}"   # } in a comment
  echo 'single { quoted'
  if [[ $# -gt 1 ]]; then
    cat <<EOF > /tmp/state.json
{ "target": "\${target}"
EOF
  fi
}

function deploy {
  case "$1" in
    blue) echo blue ;;
    *) echo "other}" ;;
  esac
  echo \\{ literal
}

function status() {
  curl -s "$URL" | jq '.items[] | {name}'
}

main "$@"
`;

const TYPESCRIPT = `import { x } from './x.ts';

/** Deploys one service. */
export async function deployService(name: string, opts: { dry?: boolean } = {}): Promise<void> {
  const url = \`https://api/\${name}/{id}\`;
  const re = /[{]+/g;
  if (opts.dry) return; // {
  await fetch(url);
}

export function overloaded(a: string): string;
export function overloaded(a: number): number;
export function overloaded(a: unknown): unknown {
  return a;
}

@Injectable({ providedIn: 'root' })
export class Deployer extends Base<{ a: 1 }> {
  private readonly queue: string[] = [];

  constructor(private http: Http) {
    super();
  }

  async rollout(target: string): Promise<void> {
    const msg = \`rolling \${target.replace(/}/g, '')} {\`;
    console.log(msg);
  }

  handle = async (event: Event) => {
    return event;
  };

  static get instance(): Deployer {
    return new Deployer(http);
  }
}

export const rollback = async (id: string) => {
  const q = "}";
  return q;
};

export const config = {
  region: 'eu-west-1',
  tags: { team: '}' },
} as const;

export type Color =
  | 'blue'
  | 'green';

export interface Target {
  name: string;
}

const chained = items
  .filter(Boolean)
  .map(String);

export default function () {}
`;

const PYTHON = `"""Deploy helpers. def fake(): {"""
import os


# Reference: docs/processes/blue-green-rollout.md
@retry(
    times=3,
)
def deploy_service(name: str) -> None:
    """Deploy.

def not_this():
    """
    payload = {
        "a": "}",
    }
    if name:
        return None

    # trailing comment


class Deployer:
    """Deploys."""

    def __init__(self):
        self.x = 1

    async def rollout(
        self,
        target,
    ):
        return target

def main():
    pass
`;

const GO = `package main

// Server serves.
type Server struct {
	addr string // {
}

func (s *Server) Start(ctx context.Context) error {
	msg := "}"
	raw := \`{
	\`
	return nil
}

func main() {
	s := &Server{addr: ":8080"}
	_ = s.Start(nil)
}
`;

describe('findSymbols: Terraform', () => {
  it('lists top-level blocks by address, past braces in strings, comments and heredocs', () => {
    expect(symbols('infra/lb.tf', TERRAFORM)).toEqual([
      'resource aws_lb_listener_rule.switch 3-19',
      'data data.aws_iam_policy_document.assume 21-25',
      'resource aws_iam_role_policy.deploy 27-33',
      'module module.vpc 35-38',
      'variable variable.region 40-43',
      'locals locals 45-53',
      'local local.common_tags 46-48',
      'local local.name_prefix 49-49',
      'local local.script 50-52',
      'output output.lb_dns 55-57',
    ]);
  });

  it('records the marker comments above a block and the blank lines below it', () => {
    const [rule] = findSymbols('infra/lb.tf', TERRAFORM);
    expect(rule).toMatchObject({ start: 3, end: 19, leadStart: 1, tailEnd: 20 });
  });

  it('names other HCL blocks by type and labels, bare labels included', () => {
    const text = 'terraform {\n  required_version = ">= 1.5"\n}\nprovider aws {\n  region = "eu-west-1"\n}\njob "api" { type = "service" }\n';
    expect(symbols('deploy/api.nomad', text)).toEqual(['terraform terraform 1-3', 'provider provider.aws 4-6', 'job job.api 7-7']);
  });

  it('finds no blocks in tfvars assignments', () => {
    expect(symbols('env/prod.tfvars', 'region = "eu-west-1"\ntags = {\n  team = "x"\n}\n')).toEqual([]);
  });
});

describe('findSymbols: Kubernetes YAML', () => {
  it('lists each document of a multi-document file as kind/metadata.name', () => {
    expect(symbols('k8s/app.yaml', KUBERNETES)).toEqual([
      'document Deployment/web 2-13',
      'document Service/web-svc 16-21',
      'document ConfigMap/web-config 24-31',
    ]);
  });

  it('counts the `---` and comments above a document as its lead', () => {
    const service = findSymbols('k8s/app.yaml', KUBERNETES)[1];
    expect(service).toMatchObject({ start: 16, leadStart: 14, tailEnd: 22 });
  });

  it('reads Helm templates: control lines are content, templated names keep their literal part', () => {
    expect(symbols('charts/app/templates/deploy.yaml', HELM)).toEqual(['document Deployment 1-12', 'document Service/web 14-19']);
  });

  it('lists top-level keys and their children when a document is no Kubernetes object', () => {
    const workflow = 'name: Deploy\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n\n  deploy:\n    needs: test\n    steps:\n      - run: ./deploy.sh\n';
    expect(symbols('.github/workflows/deploy.yml', workflow)).toEqual([
      'key name 1-1',
      'key on 2-4',
      'key on.push 3-4',
      'key jobs 5-14',
      'key jobs.test 6-9',
      'key jobs.deploy 11-14',
    ]);
  });
});

describe('findSymbols: shell', () => {
  it('finds both function forms, past braces in strings, comments, escapes and heredocs', () => {
    expect(symbols('scripts/deploy.sh', SHELL)).toEqual([
      'function log 5-5',
      'function rollback 8-17',
      'function deploy 19-25',
      'function status 27-29',
    ]);
  });

  it('accepts a body brace on the next line but not a subshell call', () => {
    const text = 'cleanup()\n{\n  rm -rf "$TMP"\n}\nresult=$(compute)\n';
    expect(symbols('bin/cleanup.bash', text)).toEqual(['function cleanup 1-4']);
  });
});

describe('findSymbols: TypeScript and JavaScript', () => {
  it('finds functions, overloads, classes with members, arrow consts, types and interfaces', () => {
    expect(symbols('src/deploy.ts', TYPESCRIPT)).toEqual([
      'function deployService 4-9',
      'function overloaded 11-15',
      'class Deployer 17-37',
      'method Deployer.constructor 21-23',
      'method Deployer.rollout 25-28',
      'method Deployer.handle 30-32',
      'method Deployer.instance 34-36',
      'function rollback 39-42',
      'const config 44-47',
      'type Color 49-51',
      'interface Target 53-55',
      'const chained 57-59',
      'function default 61-61',
    ]);
  });

  it('ends statements without semicolons where the next line does not continue them', () => {
    const text = 'export type Env =\n  | "prod"\n  | "dev"\nexport const sql = `\n  select }\n`\nexport let count = 0\n';
    expect(symbols('src/env.ts', text)).toEqual(['type Env 1-3', 'const sql 4-6', 'variable count 7-7']);
  });

  it('reads CommonJS exports', () => {
    const text = "exports.handler = async (event) => {\n  return '}';\n};\nmodule.exports.name = 'x';\n";
    expect(symbols('lambda/index.js', text)).toEqual(['function handler 1-3', 'variable name 4-4']);
  });
});

describe('findSymbols: Python and Go', () => {
  it('finds Python defs and classes with decorators, past docstrings and brackets', () => {
    expect(symbols('scripts/deploy.py', PYTHON)).toEqual([
      'function deploy_service 6-18',
      'class Deployer 23-33',
      'method Deployer.__init__ 26-27',
      'method Deployer.rollout 29-33',
      'function main 35-36',
    ]);
  });

  it('finds module constants, their values continued over bracketed lines; not comparisons, augmented or nested assignments', () => {
    const text = [
      'from pathlib import Path',
      'ROOT = Path(__file__).parent',
      'VALIDATOR_PATH = (',
      '    ROOT / "scripts" / "validate.py"',
      ')',
      'TIMEOUT: int = 30',
      'ROOT += ""',
      'if ROOT == "x":',
      '    NESTED = 1',
      '',
    ].join('\n');
    expect(symbols('tests/test_paths.py', text)).toEqual(['variable ROOT 2-2', 'variable VALIDATOR_PATH 3-5', 'variable TIMEOUT 6-6']);
  });

  it('finds Go functions, methods by receiver type, and types', () => {
    expect(symbols('cmd/server/main.go', GO)).toEqual(['type Server 4-6', 'method Server.Start 8-13', 'function main 15-18']);
  });
});

describe('findSymbols: Dockerfile and Makefile', () => {
  it('finds named build stages', () => {
    const text = 'FROM node:22 AS build\nRUN npm ci\n\n# runtime\nFROM gcr.io/distroless/nodejs AS runtime\nCOPY --from=build /app /app\n';
    expect(symbols('Dockerfile', text)).toEqual(['stage build 1-2', 'stage runtime 5-6']);
  });

  it('finds targets with their recipes, not variables or special targets', () => {
    const text = '.PHONY: deploy\n\ndeploy: build\n\t./scripts/deploy.sh\n\t@echo done\n\nbuild:\n\tnpm run build\nX := 1\n';
    expect(symbols('Makefile', text)).toEqual(['target deploy 3-5', 'target build 7-8']);
  });
});

describe('findSymbols: robustness', () => {
  it('numbers lines the same with CRLF, lone CR and a BOM', () => {
    const lf = 'rollback() {\n  echo "}"\n}\n';
    expect(symbols('a.sh', `\uFEFF${lf.replace(/\n/g, '\r\n')}`)).toEqual(symbols('a.sh', lf));
    expect(symbols('a.sh', lf.replace(/\n/g, '\r'))).toEqual(symbols('a.sh', lf));
  });

  it('returns nothing for unsupported files and non-string input', () => {
    expect(findSymbols('docs/a.md', '# Title\n')).toEqual([]);
    expect(findSymbols('src/Main.java', 'class Main {}\n')).toEqual([]);
    expect(findSymbols('a.ts', undefined as unknown as string)).toEqual([]);
    expect(findSymbols(undefined as unknown as string, 'x')).toEqual([]);
  });

  it('never throws and keeps every block inside the file, on any input', () => {
    const piece = fc.constantFrom(
      ...'{}()[]"\'`/\\*#$\n \t-:=@.%ab;|&'.split(''),
      '<<EOF',
      'EOF',
      '${',
      '"""',
      '---\n',
      '/*',
      '*/',
      '\r\n',
      'def f():\n',
      'function f() {\n',
      'resource "a" "b" {\n',
      'f() {\n',
      'kind: X\n',
    );
    const path = fc.constantFrom('a.tf', 'a.yaml', 'a.sh', 'a.ts', 'a.py', 'a.go', 'Dockerfile', 'Makefile');
    fc.assert(
      fc.property(path, fc.array(piece, { maxLength: 200 }), (file, pieces) => {
        const text = pieces.join('');
        const lines = text === '' ? 0 : text.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
        for (const block of findSymbols(file, text)) {
          expect(block.start).toBeGreaterThanOrEqual(1);
          expect(block.end).toBeGreaterThanOrEqual(block.start);
          expect(block.end).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['a.ts', 'regex-like slashes', (n: number) => `x = ${'( / '.repeat(n)}`],
    ['a.ts', 'unclosed functions', (n: number) => Array.from({ length: n }, (_, i) => `function f${i}() {\n`).join('')],
    ['a.py', 'stacked decorators', (n: number) => `${'@d\n'.repeat(n)}def f(): pass\n`],
    ['a.yaml', 'repeated keys', (n: number) => 'a:\n  b: 1\n'.repeat(n)],
  ] as const)('takes time linear in the size of pathological input: %s, %s', (file, label, make) => {
    // From 20,000 units up: below that V8 changes gear (decorators measured 10.7× from 5,000 to 20,000, 4× above).
    expectLinear(label, make, (text) => findSymbols(file, text), 20_000);
  });
});

describe('resolveSymbol', () => {
  it('accepts Terraform address forms', () => {
    const at = (symbol: string): string => range(resolveSymbol('infra/lb.tf', TERRAFORM, symbol));
    expect(at('aws_lb_listener_rule.switch')).toBe('3-19');
    expect(at('resource.aws_lb_listener_rule.switch')).toBe('3-19');
    expect(at('aws_lb_listener_rule.switch[0]')).toBe('3-19');
    expect(at('data.aws_iam_policy_document.assume')).toBe('21-25');
    expect(at('module.vpc')).toBe('35-38');
    expect(at('module.vpc["a"]')).toBe('35-38');
    expect(at('variable.region')).toBe('40-43');
    expect(at('var.region')).toBe('40-43');
    expect(at('output.lb_dns')).toBe('55-57');
    expect(at('locals')).toBe('45-53');
    expect(at('local.common_tags')).toBe('46-48');
    expect(at('AWS_LB_LISTENER_RULE.switch')).toBe('none');
    expect(at('aws_lb_listener_rule')).toBe('none');
  });

  it('resolves Kubernetes objects by kind/name, or by kind when the file has one of it', () => {
    const at = (symbol: string): string => range(resolveSymbol('k8s/app.yaml', KUBERNETES, symbol));
    expect(at('Deployment/web')).toBe('2-13');
    expect(at('Service/web-svc')).toBe('16-21');
    expect(at('Service')).toBe('16-21');
    expect(at('deployment/web')).toBe('none');
    expect(range(resolveSymbol('charts/app/templates/deploy.yaml', HELM, 'Service/web'))).toBe('14-19');
    expect(range(resolveSymbol('charts/app/templates/deploy.yaml', HELM, 'Deployment'))).toBe('1-12');
  });

  it('resolves functions and methods, case-sensitively', () => {
    expect(range(resolveSymbol('scripts/deploy.sh', SHELL, 'rollback'))).toBe('8-17');
    expect(range(resolveSymbol('src/deploy.ts', TYPESCRIPT, 'deployService'))).toBe('4-9');
    expect(range(resolveSymbol('src/deploy.ts', TYPESCRIPT, 'Deployer.rollout'))).toBe('25-28');
    expect(range(resolveSymbol('src/deploy.ts', TYPESCRIPT, 'deployservice'))).toBe('none');
    expect(range(resolveSymbol('scripts/deploy.py', PYTHON, 'Deployer'))).toBe('23-33');
    expect(range(resolveSymbol('cmd/server/main.go', GO, 'Server.Start'))).toBe('8-13');
  });

  it('follows the block when lines are added above it', () => {
    const drifted = `# new header\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n\n${TERRAFORM}`;
    expect(range(resolveSymbol('infra/lb.tf', drifted, 'aws_lb_listener_rule.switch'))).toBe('9-25');
  });
});

describe('isSymbolAnchor and supportsSymbols', () => {
  it('treats any anchor on a code file but the line form as a symbol', () => {
    expect(isSymbolAnchor('infra/lb.tf', 'aws_lb_listener_rule.switch')).toBe(true);
    expect(isSymbolAnchor('k8s/app.yaml', 'Deployment/web')).toBe(true);
    expect(isSymbolAnchor('infra/lb.tf', 'L12-L48')).toBe(false);
    expect(isSymbolAnchor('infra/lb.tf', 'L12')).toBe(false);
    expect(isSymbolAnchor('infra/lb.tf', 'L12-48')).toBe(false);
    expect(isSymbolAnchor('docs/a.md', 'rollback')).toBe(false);
    expect(isSymbolAnchor('site/index.html', 'top')).toBe(false);
    expect(isSymbolAnchor('infra/lb.tf', '')).toBe(false);
    expect(isSymbolAnchor('infra/lb.tf', undefined)).toBe(false);
  });

  it('knows which languages have symbol tables', () => {
    expect(['infra/lb.tf', 'k8s/a.yml', 'a.sh', 'a.tsx', 'a.mjs', 'a.py', 'a.go', 'Dockerfile.prod', 'Makefile'].map(supportsSymbols)).toEqual(
      Array(9).fill(true),
    );
    expect(['docs/a.md', 'src/Main.java', 'notes.txt'].map(supportsSymbols)).toEqual([false, false, false]);
  });
});

describe('similarSymbols', () => {
  it('suggests near names, and names sharing the last segment', () => {
    const blocks = findSymbols('infra/lb.tf', TERRAFORM);
    expect(similarSymbols('infra/lb.tf', blocks, 'aws_lb_listener_rule.swich')).toEqual(['aws_lb_listener_rule.switch']);
    expect(similarSymbols('infra/lb.tf', blocks, 'aws_lb.switch')).toEqual(['aws_lb_listener_rule.switch']);
    expect(similarSymbols('infra/lb.tf', blocks, 'nothing_like_it.at_all')).toEqual([]);
  });
});

function reference(id: string, target: string, anchor: string | undefined, extra: Partial<Reference> = {}): Reference {
  const [file, line, column] = id.split(':');
  return {
    raw: anchor === undefined ? target : `${target}#${anchor}`,
    kind: 'path',
    path: target,
    anchor,
    offset: 0,
    id,
    source: { file, line: Number(line), column: Number(column) },
    origin: 'code-reference',
    status: 'ok',
    targets: [target],
    candidates: [],
    ...extra,
  };
}

function ruleContext(references: Reference[], texts: Record<string, string>, documents: string[] = []): RuleContext {
  return {
    graph: { references },
    findings: { documentsByPath: new Map(documents.map((path) => [path, { path, headings: [] }])) },
    facts: Object.entries(texts).map(([path, text]) => ({ path, symbols: symbolTable(path, text) })),
    skipped: [],
    config: { validationMaxAgeDays: 90 },
  } as unknown as RuleContext;
}

describe('missing-symbol rule', () => {
  it('reports a symbol the code file does not define, with a suggestion', () => {
    const context = ruleContext(
      [
        reference('docs/p.md:7:3', 'infra/lb.tf', 'aws_lb_listener_rule.swich'),
        reference('docs/p.md:8:3', 'infra/lb.tf', 'aws_lb_listener_rule.switch'),
        reference('docs/p.md:9:3', 'k8s/app.yaml', 'Deployment/web'),
        reference('docs/p.md:10:3', 'scripts/deploy.sh', 'rolback'),
      ],
      { 'infra/lb.tf': TERRAFORM, 'k8s/app.yaml': KUBERNETES, 'scripts/deploy.sh': SHELL },
    );
    expect(missingSymbol.check(context)).toEqual([
      {
        file: 'docs/p.md',
        line: 7,
        column: 3,
        reference: 'docs/p.md:7:3',
        message: '`infra/lb.tf` has no symbol `aws_lb_listener_rule.swich`',
        suggestion: 'did you mean `aws_lb_listener_rule.switch`?',
      },
      {
        file: 'docs/p.md',
        line: 10,
        column: 3,
        reference: 'docs/p.md:10:3',
        message: '`scripts/deploy.sh` has no symbol `rolback`',
        suggestion: 'did you mean `rollback`?',
      },
    ]);
  });

  it('leaves alone documents, line anchors, unsupported languages, unresolved references and files without a table', () => {
    const context = ruleContext(
      [
        reference('docs/p.md:1:1', 'docs/other.md', 'no-such-heading'),
        reference('docs/p.md:2:1', 'infra/lb.tf', 'L3-L19'),
        reference('docs/p.md:3:1', 'src/Main.java', 'main'),
        reference('docs/p.md:4:1', 'infra/gone.tf', 'x.y', { status: 'missing', targets: [] }),
        reference('docs/p.md:5:1', 'infra/unread.tf', 'x.y'),
        reference('docs/p.md:6:1', 'infra/lb.tf', undefined),
      ],
      { 'infra/lb.tf': TERRAFORM, 'src/Main.java': 'class Main {}\n' },
      ['docs/other.md'],
    );
    expect(missingSymbol.check(context)).toEqual([]);
  });
});

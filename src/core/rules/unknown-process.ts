import { processNameKey, type UnknownProcessMarker } from '../graph/link-graph.ts';
import type { Marker } from '../schema.ts';
import { didYouMean } from '../text/did-you-mean.ts';
import type { Finding, Rule, RuleContext } from './rule.ts';

/** The tags that claim a process by name; the other area tags (`Security:`, `Design System:`) label code. */
const PROCESS_TAGS = new Set(['deployment process', 'process']);

function claimsProcess(marker: Marker): boolean {
  return PROCESS_TAGS.has((marker.area ?? '').toLowerCase());
}

/**
 * A marker that names a process no document defines. `Deployment Process:` and `Process:` claim
 * one; an area tag (`Workflow:`, `Security:`) names a process only when one has that name, and
 * otherwise labels the code it sits on: a label with a `Reference:` that resolves, or alone
 * (`// Security: validate input`), is no problem; one whose block claims more is a warning.
 */
export const unknownProcess: Rule = {
  id: 'unknown-process',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A code marker names a process that no process document defines.',
  classes: {
    'area-tag': {
      severity: 'warning',
      description: 'an area tag (`Workflow:`, `Security:`) may label code rather than name a process',
    },
  },
  check({ graph, findings }) {
    // One pass over the references, not one per marker.
    const resolved = new Set(graph.references.filter((reference) => reference.status === 'ok').map((reference) => reference.id));
    const resolves = ({ marker }: UnknownProcessMarker) => marker.references.some((id) => resolved.has(id));
    return findings.unknownProcessMarkers.flatMap((unknown) => {
      const { marker, referenced } = unknown;
      if (!claimsProcess(marker) && (referenced || marker.fields.length === 1 || resolves(unknown))) return [];
      return [finding(unknown, graph.processes, claimsProcess(marker))];
    });
  },
};

function finding({ marker, referenced }: UnknownProcessMarker, processes: RuleContext['graph']['processes'], claims: boolean): Finding {
  const field = marker.fields.find((item) => item.value === marker.process)!;
  const place = { file: marker.file, line: field.line, column: marker.line === field.line ? marker.column : 1 };
  const area = claims ? {} : { class: 'area-tag', evidence: [`\`${marker.area}:\` is an area tag, not \`Deployment Process:\``] };
  if (referenced) {
    // Linked by its reference all the same; the name is what the reader sees, so it must agree.
    return {
      ...place,
      ...area,
      message: `no document defines the process \`${marker.process}\`; the marker's reference is the process \`${referenced.name}\``,
      suggestion: `did you mean \`${referenced.name}\`?`,
    };
  }
  const wanted = processNameKey(marker.process!);
  const similar = processes
    .filter((process) => {
      const key = processNameKey(process.name);
      return key.includes(wanted) || wanted.includes(key);
    })
    .map((process) => process.name);
  return {
    ...place,
    ...area,
    message: `no document defines the process \`${marker.process}\``,
    suggestion: didYouMean(similar) ?? `add a process document with \`# ${marker.area ?? 'Deployment Process'}: ${marker.process}\``,
  };
}

import { processNameKey } from '../graph/link-graph.ts';
import type { Marker } from '../schema.ts';
import { didYouMean } from '../text/did-you-mean.ts';
import type { Rule } from './rule.ts';

/**
 * Area tags such as `Security:` or `Testing:` also open ordinary comments
 * (`// Security: validate input`); alone on a line they are prose, not a claim.
 */
const PRIMARY_AREAS = new Set(['deployment process', 'process', 'workflow']);

function claimsProcess(marker: Marker): boolean {
  return marker.fields.length > 1 || PRIMARY_AREAS.has((marker.area ?? '').toLowerCase());
}

/** A marker that names a process no document defines. */
export const unknownProcess: Rule = {
  id: 'unknown-process',
  defaultSeverity: 'error',
  description: 'A code marker names a process that no process document defines.',
  check({ graph, findings }) {
    return findings.unknownProcessMarkers.filter(claimsProcess).map((marker) => {
      const field = marker.fields.find((item) => item.value === marker.process)!;
      const wanted = processNameKey(marker.process!);
      const similar = graph.processes
        .filter((process) => {
          const key = processNameKey(process.name);
          return key.includes(wanted) || wanted.includes(key);
        })
        .map((process) => process.name);
      return {
        file: marker.file,
        line: field.line,
        column: marker.line === field.line ? marker.column : 1,
        message: `no document defines the process \`${marker.process}\``,
        suggestion: didYouMean(similar) ?? `add a process document with \`# ${marker.area ?? 'Deployment Process'}: ${marker.process}\``,
      };
    });
  },
};

import { symbolTables } from '../graph/symbol-index.ts';
import { isSymbolAnchor, matchSymbol, similarSymbols, supportsSymbols } from '../extract/symbols.ts';
import { didYouMean } from '../text/did-you-mean.ts';
import type { Rule } from './rule.ts';

/** `%2F` and friends as written in links; a malformed escape is kept as is. */
function decodeAnchor(anchor: string): string {
  try {
    return decodeURIComponent(anchor);
  } catch {
    return anchor;
  }
}

/** A `path#symbol` reference whose code file defines no such symbol: the code was renamed or removed. */
export const missingSymbol: Rule = {
  id: 'missing-symbol',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A reference names a symbol (Terraform address, Kubernetes object, function, class) its code file does not define.',
  check({ graph, findings, facts }) {
    const tables = symbolTables(facts);
    return graph.references.flatMap((reference) => {
      if (reference.status !== 'ok' || reference.targets.length !== 1 || reference.anchor === undefined) return [];
      const target = reference.targets[0];
      if (findings.documentsByPath.has(target) || !isSymbolAnchor(target, reference.anchor) || !supportsSymbols(target)) return [];
      // No table: the file was not read, or the facts predate symbol tables. Say nothing rather than guess.
      const blocks = tables.get(target);
      if (!blocks) return [];
      const symbol = decodeAnchor(reference.anchor);
      if (matchSymbol(target, blocks, symbol)) return [];
      return [
        {
          ...reference.source,
          reference: reference.id,
          message: `\`${target}\` has no symbol \`${symbol}\``,
          suggestion: didYouMean(similarSymbols(target, blocks, symbol)),
        },
      ];
    });
  },
};

/**
 * Everything one file says on its own: its markers (code) or its parsed
 * document (markdown), its references, its suppressions. A pure function of
 * path and text, so results can be cached by content digest and computed in
 * any order or thread.
 */
import type { Config } from '../config/config.ts';
import { languageOf } from './languages.ts';
import { parseDocument, type DocProblem } from './markdown.ts';
import { mayHoldMarkers, mayHoldSuppressions } from './marker-prefilter.ts';
import { extractMarkers, positionInValue, type ExtractedMarkers, type Suppression } from './markers.ts';
import { parseReferences } from './reference-parse.ts';
import type { Document, Marker, PlacedReference } from '../schema.ts';
import type { SymbolBlock } from './symbols.ts';
import { countLines } from '../text/count-lines.ts';

export interface FileFacts {
  path: string;
  language: string;
  lineCount: number;
  markers: Marker[];
  /** References made by marker fields. */
  markerReferences: PlacedReference[];
  document?: Document;
  documentProblems: DocProblem[];
  suppressions: Suppression[];
  /**
   * Named blocks (Terraform addresses, YAML kind/name, functions), filled in
   * only for files some `path#symbol` reference points at: most files never need them.
   */
  symbols?: SymbolBlock[];
}

const MARKDOWN = /\.(md|mdx|markdown)$/i;

/** Whether a path names a markdown document (`.md`, `.mdx`, `.markdown`). */
export function isMarkdownPath(path: string): boolean {
  return MARKDOWN.test(path);
}


/**
 * The facts of a code file the byte prefilter cleared (`bytesMayHoldMarkers`):
 * what `extractFacts` returns for it, built from its line count alone.
 */
export function unmarkedCodeFacts(path: string, lineCount: number): FileFacts {
  return { path, language: languageOf(path), lineCount, markers: [], markerReferences: [], documentProblems: [], suppressions: [] };
}

function noMarkers(): ExtractedMarkers {
  return { markers: [], suppressions: [], pieces: new Map() };
}

/**
 * Everything the later steps need from one file, from its text alone: line
 * count, language, markers and suppressions in its comments, and for markdown
 * the parsed document (metadata, references, headings). One file's facts
 * never depend on another's, so files are extracted in parallel and cached.
 */
export function extractFacts(path: string, text: string, config: Pick<Config, 'tags'>): FileFacts {
  const language = languageOf(path);
  const markdown = isMarkdownPath(path);
  // Most files name no tag at all: skip the comment scanner for them (markdown keeps only suppressions).
  const scan = markdown ? mayHoldSuppressions(text) : mayHoldMarkers(text, config.tags);
  const { markers, suppressions, pieces } = scan ? extractMarkers(path, text, config.tags) : noMarkers();
  if (markdown) {
    const { document, problems } = parseDocument(path, text);
    // The document counted its lines already: cleaning only rewrites line breaks, and drops a BOM (counted here, a char of its own).
    const lineCount = text.charCodeAt(0) === 0xfeff ? countLines(text) : document.lineCount;
    // Markers in markdown are examples more often than claims; only suppressions count there.
    return { path, language, lineCount, markers: [], markerReferences: [], document, documentProblems: problems, suppressions };
  }
  const lineCount = countLines(text);
  const markerReferences: PlacedReference[] = [];
  for (const marker of markers) {
    for (const field of marker.fields) {
      const role = config.tags.get(field.tag)?.role;
      if (role !== 'reference' && role !== 'task') continue;
      for (const parsed of parseReferences(field.value)) {
        if (role === 'task' && parsed.kind !== 'id') continue;
        const { line, column } = positionInValue(field, pieces.get(`${field.line}:${field.column}`), parsed.offset);
        const reference: PlacedReference = {
          ...parsed,
          id: `${path}:${line}:${column}`,
          source: { file: path, line, column },
          origin: 'marker',
        };
        markerReferences.push(reference);
        marker.references.push(reference.id);
      }
    }
  }
  return { path, language, lineCount, markers, markerReferences, documentProblems: [], suppressions };
}

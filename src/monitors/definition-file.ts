/**
 * A monitor file's text → the document it holds: YAML (`.yaml`, `.yml`) or JSON (`.json`),
 * chosen by extension, with syntax errors named by line and column. Validation of what the
 * document says is definition.ts's.
 */
import { parseDocument } from 'yaml';

export function loadDocument(text: string, fileName: string): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      const message = (error as Error).message;
      const offset = jsonErrorOffset(text, message);
      const where = offset === undefined ? ' ' : `${lineColumn(text, offset)}: `;
      const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, \.{0,3}".*" is not valid JSON$/s, '');
      return { ok: false, problems: [`${fileName}:${where}invalid JSON: ${reason}`] };
    }
  }
  if (extension === 'yaml' || extension === 'yml') {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((e) => {
          const pos = e.linePos?.[0];
          const firstLine = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
          return `${fileName}:${pos ? `${pos.line}:${pos.col}: ` : ''}invalid YAML: ${firstLine}`;
        }),
      };
    }
    try {
      return { ok: true, value: doc.toJS() };
    } catch (error) {
      // e.g. too many alias expansions (a "billion laughs" document)
      return { ok: false, problems: [`${fileName}: invalid YAML: ${(error as Error).message}`] };
    }
  }
  return { ok: false, problems: [`${fileName}: a monitor file must end in .yaml, .yml or .json`] };
}

/** Where JSON.parse stopped: its `position N`, or (Node 20's other form) the offending token inside the quoted context. */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const context = /^Unexpected token '(.)', (?:\.\.\.)?"(.*?)(?:\.\.\.)?" is not valid JSON$/s.exec(message);
  if (!context) return undefined;
  const [, token = '', around = ''] = context;
  const at = text.indexOf(around);
  return at < 0 ? undefined : at + around.indexOf(token);
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Escaping for the HTML report. Everything that comes from a results file (workload names,
 * targets, status names, meta values) is data, never markup: the report is opened from disk in a
 * browser, so a crafted results file must not be able to run script in it.
 */
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text content and attribute values (always double-quoted by the renderers). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * JSON for an inline `<script type="application/json">`: `<` is written as \u003c so no string
 * in the data can close the script element (`</script>`) or open a comment; U+2028/2029 too, for
 * engines that treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A table cell's alignment: numbers right, text left. */
export const Align = { left: 'left', right: 'right' } as const;
export type Align = (typeof Align)[keyof typeof Align];

export interface TableColumn {
  readonly title: string;
  readonly align?: Align;
  /** Hover text explaining the column. */
  readonly hint?: string;
}

/** A `<table>` with escaped cells; `name` becomes data-table for tests and styling. */
export function renderTable(
  name: string,
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: { footer?: readonly string[]; empty?: string } = {},
): string {
  if (rows.length === 0)
    return `<p class="empty" data-table="${escapeHtml(name)}">${escapeHtml(options.empty ?? 'none')}</p>`;
  const cls = (c: TableColumn | undefined): string => (c?.align === Align.right ? ' class="num"' : '');
  const head = columns
    .map((c) => `<th${cls(c)}${c.hint ? ` title="${escapeHtml(c.hint)}"` : ''}>${escapeHtml(c.title)}</th>`)
    .join('');
  const line = (cells: readonly string[], tag: 'td' | 'th'): string =>
    `<tr>${cells.map((cell, i) => `<${tag}${cls(columns[i])}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  const body = rows.map((r) => line(r, 'td')).join('\n');
  const foot = options.footer ? `<tfoot>${line(options.footer, 'th')}</tfoot>` : '';
  return `<table data-table="${escapeHtml(name)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${foot}</table>`;
}

// Renderer-neutral tables and blocks (a title, a note, a table of strings, warnings): the
// report's sections are built once as data, and the terminal and the HTML renderers each print them.

/** A table of strings, with how each renderer should set its columns. */
export interface Table {
  headers: string[]
  rows: string[][]
  /** Columns of text (left-aligned even when they look numeric). */
  textColumns: number[]
  /** Columns of code (selectors, paths), which the HTML report sets in a monospace face. */
  codeColumns?: number[]
}

/** A titled table with a note and warnings. */
export interface Block extends Table {
  title: string
  note: string
  warnings: string[]
}

/** Which columns of a {@link listBlock} are text or code (see {@link Block}). */
export type BlockColumns = Partial<Pick<Table, 'textColumns' | 'codeColumns'>>

/**
 * A block of one row per item for the first `top` items of `list`, or null when that leaves no
 * row (older report JSON may lack a list: `undefined` counts as empty).
 */
export function listBlock<T>(
  title: string,
  note: string,
  headers: string[],
  list: readonly T[] | undefined,
  top: number,
  cells: (item: T) => string[],
  columns: BlockColumns = {},
): Block | null {
  const rows = (list ?? []).slice(0, top).map(cells)
  if (rows.length === 0) return null
  const { textColumns = [], codeColumns } = columns
  return { title, note, headers, rows, textColumns, codeColumns, warnings: [] }
}

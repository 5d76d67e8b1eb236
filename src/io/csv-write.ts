/**
 * Writing CSV: cells quoted when they must be (RFC 4180), and the formula guard that keeps
 * spreadsheets from running what a cell says.
 *
 * @module
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Guard a text cell against formula injection: a cell starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return gets a leading `'`, which spreadsheets show as text and hide.
 *
 * @param text - the cell's text.
 * @returns the text, prefixed with `'` when it could start a formula.
 * @example
 * ```ts
 * guardFormula('=HYPERLINK("http://evil")') // "'=HYPERLINK(\"http://evil\")"
 * guardFormula('Ada') // 'Ada'
 * ```
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV cell: quoted when it holds the delimiter, a quote, a line break, or spaces at
 * either end (which a reader would trim); quotes doubled inside.
 *
 * @param text - the cell's text.
 * @param delimiter - the delimiter the line uses. @defaultValue `','`
 * @returns the cell as CSV.
 * @example
 * ```ts
 * csvCell('say "hi"') // '"say ""hi"""'
 * csvCell('plain') // 'plain'
 * ```
 */
export function csvCell(text: string, delimiter = ','): string {
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || /^[ \t]|[ \t]$/.test(text);
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line (with its CRLF). A line of one empty cell is written `""` so that it is not
 * read back as a blank line.
 *
 * @param cells - the cells' texts.
 * @param delimiter - the delimiter. @defaultValue `','`
 * @returns the line, ending in `\r\n`.
 * @example
 * ```ts
 * csvLine(['Ada', 'x,y']) // 'Ada,"x,y"\r\n'
 * ```
 */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  if (cells.length === 1 && cells[0] === '') return '""\r\n';
  return `${cells.map((c) => csvCell(c, delimiter)).join(delimiter)}\r\n`;
}

/**
 * Write a whole table as CSV (for small tables and tests; exports stream line by line).
 *
 * @param rows - the rows' cells.
 * @param delimiter - the delimiter. @defaultValue `','`
 * @returns the CSV text.
 * @example
 * ```ts
 * writeCsv([['a', 'b'], ['1', '2']]) // 'a,b\r\n1,2\r\n'
 * ```
 */
export function writeCsv(rows: readonly (readonly string[])[], delimiter = ','): string {
  return rows.map((r) => csvLine(r, delimiter)).join('');
}

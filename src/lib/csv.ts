/**
 * A small CSV reader (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180), for subscriber lists:
 * small enough for the Worker's bundle, and run by the CLI import too.
 *
 * - Fields are separated by commas and records by CRLF or a bare LF (spreadsheets on every
 *   system write one or the other); a trailing line break ends the last record, it does not
 *   start an empty one.
 * - A field in double quotes may hold commas, line breaks and quotes (doubled: `""`).
 * - A UTF-8 byte order mark at the start (Excel writes one) is not part of the first field.
 * - Every record keeps the physical line it starts on (1-based, quoted line breaks counted), so
 *   a rejected row is reported where an editor shows it.
 *
 * Malformed input (a quote inside an unquoted field, text after a closing quote, a quoted field
 * never closed) is an error naming the line, not a guess.
 */

export interface CsvRecord {
  /** The physical line (1-based) the record starts on. */
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvError extends Error {
  override readonly name = "CsvError";
  /** The physical line (1-based) the problem is on. */
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Every record of `text`, blank lines skipped (a blank line is no record in any list). */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let quoted = false;
    // One record: fields until an unquoted line break or the end.
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        quoted = true;
        let value = "";
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1)
            throw new CsvError(start, "a quoted field is never closed: expected a closing quote");
          value += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
          } else {
            i = close + 1;
            break;
          }
        }
        for (let k = value.indexOf("\n"); k !== -1; k = value.indexOf("\n", k + 1)) line++;
        // A lone CR inside quotes is a line break too (old Mac files); CRLF counted once.
        for (let k = value.indexOf("\r"); k !== -1; k = value.indexOf("\r", k + 1))
          if (value.charCodeAt(k + 1) !== LF) line++;
        const next = text.charCodeAt(i);
        if (i < n && next !== COMMA && next !== LF && next !== CR)
          throw new CsvError(
            line,
            'text after a closing quote: expected a comma or the end of the line (write a quote inside a quoted field as "")',
          );
        field = value;
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE)
            throw new CsvError(
              line,
              'a quote inside an unquoted field: expected the whole field in quotes, with the quote doubled ("")',
            );
          end++;
        }
        field = text.slice(i, end);
        i = end;
      }
      fields.push(field);
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      // End of record: CRLF, LF, a lone CR, or the end of the text.
      if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (c === LF) i++;
      if (c === CR || c === LF) line++;
      break;
    }
    if (quoted || fields.length > 1 || fields[0] !== "") records.push({ line: start, fields });
  }
  return records;
}

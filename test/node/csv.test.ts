/**
 * src/lib/csv.ts, the subscriber import's CSV reader (RFC 4180): quoting, line ends, the BOM,
 * and the physical line each record starts on; then, on random files, the same records as
 * csv-parse (an independent, widely used parser) and line numbers counted independently.
 */
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, parseCsv } from "../../src/lib/csv.ts";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);
const lines = (text: string) => parseCsv(text).map((r) => r.line);

describe("parseCsv", () => {
  it("reads quoted fields holding commas, doubled quotes and line breaks", () => {
    const text = 'email,name\r\na@x.org,"Smith, Ann ""Nan"""\r\nb@x.org,"two\r\nlines"\r\n';
    expect(fields(text)).toEqual([
      ["email", "name"],
      ["a@x.org", 'Smith, Ann "Nan"'],
      ["b@x.org", "two\r\nlines"],
    ]);
  });

  it("takes CRLF, LF and a lone CR as line ends, and no empty record after the last", () => {
    expect(fields("a,b\r\n1,2\n3,4\r5,6\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
      ["5", "6"],
    ]);
    expect(fields("a\n1")).toEqual([["a"], ["1"]]);
  });

  it("drops a UTF-8 byte order mark from the first field only", () => {
    expect(fields("\uFEFFemail\n\uFEFFx@y.org\n")).toEqual([["email"], ["\uFEFFx@y.org"]]);
  });

  it("keeps empty fields, skips blank lines, and keeps a record that is one quoted empty field", () => {
    expect(fields('a,,c\n\n\n,\n""\n')).toEqual([["a", "", "c"], ["", ""], [""]]);
  });

  it("gives each record the physical line it starts on, quoted line breaks counted", () => {
    const text =
      'email,name\n\na@x.org,"one\ntwo\r\nthree"\nb@x.org,x\r\n\r\nc@x.org,"\rold mac"\nd@x.org,y';
    expect(lines(text)).toEqual([1, 3, 6, 8, 10]);
  });

  it("names the line of a quote out of place or never closed", () => {
    const at = (text: string) => {
      try {
        parseCsv(text);
      } catch (err) {
        expect(err).toBeInstanceOf(CsvError);
        return (err as Error).message;
      }
      throw new Error("no error");
    };
    expect(at('a\nb"c\n')).toMatch(/^line 2: a quote inside an unquoted field/);
    expect(at('a\n"x\ny"z\n')).toMatch(/^line 3: text after a closing quote/);
    expect(at('a\nok\n"never\nclosed\n')).toMatch(/^line 3: a quoted field is never closed/);
  });
});

/** A field as a writer would put it in a file: quoted when it must be, or at random. */
const field = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "b", " ", "é", "@", ".") }),
  fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r\n", "\r", " ", "ü") }),
);

function encode(value: string, forceQuotes: boolean): string {
  return forceQuotes || /[",\r\n]/.test(value) || value === ""
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

const file = fc.record({
  records: fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), {
    minLength: 1,
    maxLength: 12,
  }),
  eol: fc.constantFrom("\r\n", "\n"),
  bom: fc.boolean(),
  quoteAll: fc.boolean(),
  trailing: fc.boolean(),
});

describe("parseCsv against csv-parse", () => {
  it("reads every file csv-parse reads, to the same records, each on the line it starts on", () => {
    fc.assert(
      fc.property(file, ({ records, eol, bom, quoteAll, trailing }) => {
        const encoded = records.map((r) => r.map((v) => encode(v, quoteAll)).join(","));
        const text = (bom ? "\uFEFF" : "") + encoded.join(eol) + (trailing ? eol : "");
        const ours = parseCsv(text);
        const theirs = parse(text, {
          bom: true,
          relax_column_count: true,
          skip_empty_lines: false,
        }) as string[][];
        expect(ours.map((r) => r.fields)).toEqual(theirs);
        expect(ours.map((r) => r.fields)).toEqual(records);
        // Lines counted independently: 1 + the line breaks written before the record.
        let line = 1;
        const expected = encoded.map((e) => {
          const at = line;
          line += (e.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
          return at;
        });
        expect(ours.map((r) => r.line)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});

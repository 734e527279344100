/** What a spreadsheet reads as the start of a formula (OWASP CSV injection): = + - @, tab and carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (`-3`, `+1.5`, `2e3`) is data in every spreadsheet, never a formula: it stays a number. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV cell made safe to open in Excel or LibreOffice: text that would start a formula gets a leading `'`,
 * as OWASP recommends; numbers (typed, or written as plain numbers) are left alone.
 */
export function csvCell(value: unknown): unknown {
  if (typeof value !== 'string' || !FORMULA_START.test(value) || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

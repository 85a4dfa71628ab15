/**
 * A text field of a CSV file, always quoted (RFC 4180). A text starting with = + - @ (or a tab or carriage
 * return) is prefixed with an apostrophe, so a name a merchant chose cannot run as a formula in the
 * spreadsheet that opens the file.
 */
export function csvText(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A figure of a CSV file, written bare so that the spreadsheet reads it as a number (a negative amount
 * must stay negative, which the text guard would break). Anything but a decimal number is refused.
 */
export function csvFigure(value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`not a figure for a CSV file: ${JSON.stringify(value)}`);
  return value;
}

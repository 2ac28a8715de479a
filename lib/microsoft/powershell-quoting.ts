// Values inside generated PowerShell: always single-quoted, so nothing in them is interpolated ($, `, ").
// PowerShell also ends a single-quoted string at the typographic quotes ‘ ’ ‚ ‛, so those are doubled too.
// Control characters (a newline could end a comment or a command) become spaces.

const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

export function psQuote(value: string): string {
  return `'${value.replace(CONTROL, " ").replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

/** A comment line: control characters become spaces so the text can't leave the comment. */
export function psComment(text: string): string {
  return `# ${text.replace(CONTROL, " ")}`.trimEnd();
}

/** An OPATH filter value (inside the filter its own quotes are doubled, then the filter is quoted again). */
export function opathEquals(property: string, value: string): string {
  return `${property} -eq '${value.replace(CONTROL, " ").replace(/'/g, "''")}'`;
}

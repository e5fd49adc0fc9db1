/**
 * A ClickHouse string literal for `value`: `'…'` with backslash, quote and control characters
 * escaped. ClickHouse 18.16 has no server-side query parameters (`{name:String}` came in 19.x),
 * so every value the report or the CLI puts into SQL goes through this function, never through
 * string concatenation alone. Backslash escapes are what ClickHouse parses in quoted strings.
 *
 * @example
 * sqlString("it's") // "'it\\'s'"
 */
export function sqlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return `'${value.replace(/[\\'\u0000-\u001f\u007f]/g, escapeChar)}'`
}

/**
 * A ClickHouse identifier (database, table) in backquotes. Only letters, digits and `_` are
 * accepted: names come from options and flags, and refusing the rest is simpler to trust than
 * escaping backquotes.
 *
 * @example
 * sqlIdentifier('frictionlog') // '`frictionlog`'
 */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`invalid ClickHouse identifier "${name}" (letters, digits, _)`)
  }
  return `\`${name}\``
}

const NAMED: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u0000': '\\0',
  '\b': '\\b',
  '\f': '\\f',
}

const escapeChar = (char: string): string => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`

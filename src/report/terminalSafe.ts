// Stored events come from anonymous browsers: any string in them (a selector, an error message,
// a page title) may be written to make a terminal misbehave. Everything the text renderers
// print goes through here.

/**
 * C0 controls but newline, DEL, C1 controls (0x9b alone starts a CSI sequence on many
 * terminals), and the bidirectional overrides and isolates that make text display in another
 * order than it is stored ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * `text` with every control character, escape-sequence introducer and bidi override replaced
 * by `?`, newlines kept. An ANSI sequence such as `\x1b]0;title\x07` then prints as inert
 * text (`?]0;title?`): visible, so a reader sees that someone tried.
 *
 * @example
 * terminalSafe('\x1b[2Jhi') // '?[2Jhi'
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, '?')
}

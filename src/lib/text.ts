/** Longest text the SDK captures from the page (SPEC: `text`, `message`). */
export const MAX_TEXT_LENGTH = 100

/** Collapses whitespace and trims to MAX_TEXT_LENGTH characters. */
export const trimText = (value: unknown, max = MAX_TEXT_LENGTH): string =>
  String(value ?? '').replace(/\s+/g, ' ').trim().slice(0, max)

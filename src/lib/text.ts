import { MAX_TEXT_LENGTH } from '../schema/events/limits'
import { scrubText } from './scrubText'

export { MAX_TEXT_LENGTH }

// Enough text before trimming that a scrubbed address or card is whole in what is kept.
const MAX_SCRUB_INPUT = 2048

/**
 * Collapses whitespace, redacts personal data and secrets (`scrubText`) and trims to `max`
 * characters: every text the SDK captures from the page goes through here. The input is cut
 * before anything else, so a megabyte of text costs no more than a few kilobytes.
 */
export const trimText = (value: unknown, max = MAX_TEXT_LENGTH): string =>
  scrubText(
    String(value ?? '')
      .slice(0, MAX_SCRUB_INPUT)
      .replace(/\s+/g, ' ')
      .trim(),
  )
    .slice(0, max)
    .trim()

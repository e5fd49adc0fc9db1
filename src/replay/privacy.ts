import { MAX_SCRUB_INPUT_LENGTH, scrubText } from '../lib/scrubText'
import type { UrlScrubber } from '../lib/scrubUrl'

// Attributes (and rrweb fields) that hold one URL.
const URL_KEYS = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'cite',
  'background',
  'data',
  'ping',
  'longdesc',
  'manifest',
  'xlink:href',
])
const CSS_URL = /url\(\s*(['"]?)([^'")]+)\1\s*\)/g
const ABSOLUTE_URL = /^(?:https?:)?\/\/\S+$/i
// Inline payloads are not addresses: scrubbing them would cost time for nothing.
const NOT_A_LOCATION = /^(?:data|blob|javascript|about):/i
// Fixed-length mask: a password's (or card number's) length is not recorded either.
const FIXED_MASK = '********'

const scrubOne = (url: string, scrubUrl: UrlScrubber) => (NOT_A_LOCATION.test(url.trim()) ? url : scrubUrl(url))

/** Scrubs one string found in a recording under `key`, URLs through the tracker's `scrubUrl`. */
export const scrubString = (key: string, value: string, scrubUrl: UrlScrubber): string => {
  if (URL_KEYS.has(key)) return scrubOne(value, scrubUrl)
  if (key === 'srcset')
    return value.replace(/(^|,)\s*(\S+)/g, (_, comma: string, url: string) => comma + ' ' + scrubOne(url, scrubUrl))
  let text = value
  if (text.includes('url('))
    text = text.replace(
      CSS_URL,
      (_, quote: string, url: string) => 'url(' + quote + scrubOne(url, scrubUrl) + quote + ')',
    )
  else if (ABSOLUTE_URL.test(text)) text = scrubOne(text, scrubUrl)
  // The tracker's text scrubber on every other string (attributes such as title, alt, data-*,
  // and unmasked text), except style sheets, whose data: payloads would look like tokens; it
  // reads a bounded input, so a long string is scrubbed in parts cut at a space.
  if (key === '_cssText' || text.includes('url(')) return text
  let out = ''
  for (let start = 0, end = 0; start < text.length; start = end) {
    end = Math.min(text.length, start + MAX_SCRUB_INPUT_LENGTH)
    if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), start + 1)
    out += scrubText(text.slice(start, end))
  }
  return out
}

/**
 * Applies the tracker's URL scrubber to every URL of an rrweb event, in place: meta `href`, `src`/`href`
 * and other URL attributes of snapshots and mutations, `url()` in inline CSS, srcset; and
 * runs the text scrubber (emails, cards, secrets, tokens) over any other string but CSS.
 */
export const scrubEvent = <T>(event: T, scrubUrl: UrlScrubber): T => {
  const walk = (value: any) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i]
        if (typeof item === 'string') value[i] = scrubString('', item, scrubUrl)
        else if (item && typeof item === 'object') walk(item)
      }
      return
    }
    for (const key in value) {
      const item = value[key]
      if (typeof item === 'string') value[key] = scrubString(key, item, scrubUrl)
      else if (item && typeof item === 'object') walk(item)
    }
  }
  if (event && typeof event === 'object') walk(event)
  return event
}

const isSecretField = (element: HTMLElement | null | undefined): boolean => {
  if (!element || typeof element.getAttribute !== 'function') return true
  const type = (element.getAttribute('type') ?? '').toLowerCase()
  const autocomplete = (element.getAttribute('autocomplete') ?? '').toLowerCase()
  // rrweb marks an input whose type ever was password (a show-password toggle) with this.
  return (
    type === 'password' ||
    element.hasAttribute('data-rr-is-password') ||
    autocomplete.includes('password') ||
    autocomplete.includes('cc-')
  )
}

/**
 * rrweb `maskInputFn`: every input is masked (maskAllInputs); password and card fields, and
 * fields that ever were passwords, get a fixed-length mask so not even the length is kept.
 */
export const maskInput = (text: string, element: HTMLElement): string =>
  isSecretField(element) ? FIXED_MASK : '*'.repeat(text.length)

// Stronger than rrweb's `maskAllInputs: true`, whose list of types misses `hidden` (CSRF tokens,
// ids): rrweb masks when either the tag name or the type is listed, so `input: true` masks
// every <input> whatever its type, including one whose type a script changes later.
const MASK_EVERY_INPUT = {
  input: true,
  textarea: true,
  select: true,
  password: true,
  text: true,
  email: true,
  tel: true,
  number: true,
  search: true,
  url: true,
  date: true,
  'datetime-local': true,
  month: true,
  week: true,
  time: true,
  color: true,
  range: true,
} as Record<string, boolean>

/** Options of the recorder that decide what it sees. */
export interface PrivacyOptions {
  maskText: boolean
  blockSelector: string
}

/** rrweb `record` options for privacy by default: nothing typed, no text unless opted in. */
export const privacyRecordOptions = (options: PrivacyOptions) => ({
  maskInputOptions: MASK_EVERY_INPUT,
  maskInputFn: maskInput,
  ...(options.maskText ? { maskTextSelector: '*' } : {}),
  blockSelector: options.blockSelector,
  recordCanvas: false,
  inlineImages: false,
  collectFonts: false,
  // Scripts, comments and head metadata are never needed to replay, and cost bytes.
  slimDOMOptions: 'all' as const,
})

import { MAX_FUNCTION_NAME_LENGTH, MAX_STACK_FRAMES } from '../schema/events/limits'
import type { UrlScrubber } from './scrubUrl'

export { MAX_STACK_FRAMES }

/** One stack frame; `line` and `col` are null when the browser does not give them. */
export interface StackFrame {
  file: string
  line: number | null
  col: number | null
  fn: string
}

// Most of `error.stack` read, and longest line: a function name and a file over their wire
// limits still fit, and a crafted message of megabytes costs a bounded, linear scan.
const MAX_STACK_INPUT_LENGTH = 200_000
const MAX_LINE_LENGTH = 10_000
// `file:line:col` or `file:line`; tried at each `:` once, so linear.
const LINE_COL = /:(\d+)(?::(\d+))?$/
// Firefox eval frames: `https://a/app.js line 2 > eval:1:5` is https://a/app.js, line 2.
const GECKO_EVAL = / > (?:eval|Function)\b/
// Safari reports extension frames as `at fn@safari-extension:(//id/file.js:1:2)`.
const SAFARI_EXTENSION = /(?:^|@)(safari(?:-web)?-extension:)$/
// A frame line without a function name (older Safari) must at least look like a location;
// Safari's bare `eval code` marker is no frame.
const BARE_LOCATION = /^(?:[a-z][\w+.-]+:|\/|\[native code\])/i
// Browser extensions' scripts: chrome-extension://, moz-extension://, safari-extension://,
// safari-web-extension://, legacy Edge's ms-browser-extension://, and Safari 17's mask for them.
const EXTENSION_URL = /^(?:(?:chrome|moz|ms-browser|safari|safari-web)-extension:|webkit-masked-url:)/

/**
 * True when a frame's `file` belongs to a browser extension rather than the site: the errors
 * plugin drops errors whose top frame is one (an extension's bug is not the site's).
 */
export const isExtensionUrl = (file: string): boolean => EXTENSION_URL.test(file)

const toFrame = (fn: string, location: string, scrubUrl: UrlScrubber): StackFrame => {
  let loc = location.trim()
  // Chrome 109+: `at fn (async https://a/app.js:1:2)`.
  if (loc.startsWith('async ')) loc = loc.slice(6)
  // V8 eval frames point into the eval'd code; the location that matters is the caller's:
  // `eval at a (eval at b (https://a/app.js:1:2)), <anonymous>:1:1` → https://a/app.js:1:2.
  for (let depth = 0; depth < 8 && loc.startsWith('eval at '); depth++) {
    const open = loc.indexOf('(')
    let close = open
    for (let nested = 0; close >= 0 && close < loc.length; close++) {
      if (loc[close] === '(') nested++
      else if (loc[close] === ')' && --nested === 0) break
    }
    if (open < 0 || close >= loc.length) break
    loc = loc.slice(open + 1, close)
  }
  let file = loc
  let line: number | null = null
  let col: number | null = null
  const evalAt = loc.indexOf(' line ')
  if (evalAt > 0 && GECKO_EVAL.test(loc)) {
    file = loc.slice(0, evalAt)
    line = parseInt(loc.slice(evalAt + 6), 10) || null
  } else {
    const match = LINE_COL.exec(loc)
    if (match) {
      file = loc.slice(0, match.index)
      line = +match[1]
      col = match[2] ? +match[2] : null
    }
  }
  const extension = SAFARI_EXTENSION.exec(fn)
  if (extension) {
    file = extension[1] + file
    fn = fn.slice(0, extension.index)
  }
  // Every file goes through the scrubber, relative ones too (`/app.js?token=…`); it also
  // shortens `data:` module URLs to their media type and cuts any file to the wire limit.
  return { file: scrubUrl(file), line, col, fn: fn.slice(0, MAX_FUNCTION_NAME_LENGTH) }
}

/** `fn` and location of a V8 frame line (`at` already removed). */
const splitV8 = (rest: string): [string, string] => {
  if (rest.startsWith('async ')) rest = rest.slice(6)
  // The location is the last parenthesised group, which may nest (eval frames) and may follow
  // the name without a space (webpack's `X.eval(webpack:///…)`): match it from the end.
  if (rest.endsWith(')')) {
    for (let i = rest.length - 1, depth = 0; i >= 0; i--) {
      if (rest[i] === ')') depth++
      else if (rest[i] === '(' && --depth === 0) return [rest.slice(0, i).trimEnd(), rest.slice(i + 1, -1)]
    }
  }
  return ['', rest]
}

/**
 * Parses `error.stack` into frames, top first, at most MAX_STACK_FRAMES after skipping
 * `skip` top frames (React's `error.framesToPop`); frame files go through the tracker's
 * `scrubUrl`. Reads V8 (Chrome, Edge, Electron: `    at fn (file:line:col)`, `at fn(file…)`,
 * `    at file:line:col`, `at async fn (…)`, eval frames) and Gecko/JavaScriptCore (Firefox,
 * Safari: `fn@file:line:col`, `@file:line:col`, bare `file:line:col` or `[native code]`
 * lines, extension frames). Never throws; an unknown format gives fewer frames, not an
 * exception. Linear in the stack's length, which is cut first.
 */
export const parseStack = (stack: unknown, scrubUrl: UrlScrubber, skip: unknown = 0): StackFrame[] => {
  const text = typeof stack === 'string' ? stack.slice(0, MAX_STACK_INPUT_LENGTH) : ''
  const pop = typeof skip === 'number' && skip > 0 ? Math.min(Math.floor(skip), 100) : 0
  const wanted = MAX_STACK_FRAMES + pop
  // A V8 stack starts with the message, which may contain `@` or `:1`; when any line is a V8
  // frame, only V8 frames are kept. Firefox and Safari stacks hold frames only.
  const v8: StackFrame[] = []
  const gecko: StackFrame[] = []
  for (let start = 0; start < text.length && v8.length < wanted;) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, Math.min(end, start + MAX_LINE_LENGTH)).trim()
    start = end + 1
    if (line.startsWith('at ')) {
      const [fn, location] = splitV8(line.slice(3).trim())
      v8.push(toFrame(fn, location, scrubUrl))
    } else if (line && !v8.length && gecko.length < wanted) {
      const at = line.indexOf('@')
      // A bare location may hold `@` in its path (`/npm/@scope/x.js`); a function name never
      // holds `://`.
      if (at < 0 || line.slice(0, at).includes('://')) {
        if (BARE_LOCATION.test(line)) gecko.push(toFrame('', line, scrubUrl))
      } else gecko.push(toFrame(line.slice(0, at), line.slice(at + 1), scrubUrl))
    }
  }
  const frames = v8.length ? v8 : gecko
  // Never pop every frame: a wrong framesToPop still leaves the bottom one.
  return frames.slice(Math.min(pop, Math.max(0, frames.length - 1)), wanted)
}

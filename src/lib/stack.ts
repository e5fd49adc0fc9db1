import type { UrlScrubber } from './scrubUrl'

/** One stack frame; `line` and `col` are null when the browser does not give them. */
export interface StackFrame {
  file: string
  line: number | null
  col: number | null
  fn: string
}

/** Frames kept per error (wire format limit): the top frames locate the bug. */
export const MAX_STACK_FRAMES = 50
// Wire format limit of `fn`; minified or generated names can be absurdly long.
const MAX_FUNCTION_NAME_LENGTH = 500
// V8: `    at fn (location)` or `    at location`, either possibly `at async …`.
const V8_FRAME = /^\s*at (?:async )?(?:(.+?) \((.*)\)|(.*))$/
// V8 eval frames point into the eval'd code; the location that matters is the caller's:
// `eval at <anonymous> (https://a/app.js:1:2), <anonymous>:1:1` → https://a/app.js:1:2.
const V8_EVAL = /^eval at .*?\((\S+?):(\d+):(\d+)\)/
// Firefox eval frames: `https://a/app.js line 2 > eval:1:5` → https://a/app.js, line 2.
const GECKO_EVAL = /^(\S+) line (\d+)(?: > \w+(?: line \d+)?)* > (?:eval|Function)/
// `file:line:col`, `file:line` or `file`.
const LOCATION = /^(.*?)(?::(\d+))?(?::(\d+))?$/

const toFrame = (fn: string, location: string, scrubUrl: UrlScrubber): StackFrame => {
  const match = location.match(GECKO_EVAL) ?? location.match(V8_EVAL) ?? (location.match(LOCATION) as RegExpMatchArray)
  const file = match[1]
  return {
    // Only real URLs can carry query secrets; `<anonymous>` or `[native code]` stay as they are.
    file: /^[a-z][\w+.-]*:/i.test(file) ? scrubUrl(file) : file,
    line: match[2] ? +match[2] : null,
    col: match[3] ? +match[3] : null,
    fn: fn.slice(0, MAX_FUNCTION_NAME_LENGTH),
  }
}

/**
 * Parses `error.stack` into frames, top first, at most MAX_STACK_FRAMES; frame URLs go through
 * the tracker's `scrubUrl`. Reads V8 (Chrome, Edge: `    at fn (file:line:col)`, `    at file:line:col`,
 * `    at async fn (…)`, eval frames) and Gecko/JavaScriptCore (Firefox, Safari:
 * `fn@file:line:col`, `@file:line:col`, bare `file:line:col` or `[native code]` lines).
 * Never throws; an unknown format gives fewer frames, not an exception.
 */
export const parseStack = (stack: unknown, scrubUrl: UrlScrubber): StackFrame[] => {
  const lines = typeof stack === 'string' ? stack.split('\n') : []
  // A V8 stack starts with the message, which may contain `@` or `:1`; when any line is a V8
  // frame, only V8 frames are read. Firefox and Safari stacks hold frames only.
  const isV8 = lines.some((line) => V8_FRAME.test(line))
  const frames: StackFrame[] = []
  for (const line of lines) {
    if (frames.length === MAX_STACK_FRAMES) break
    const text = line.trim()
    const v8 = isV8 && text.match(V8_FRAME)
    if (v8) frames.push(v8[3] ? toFrame('', v8[3], scrubUrl) : toFrame(v8[1], v8[2], scrubUrl))
    else if (!isV8 && text) {
      const at = text.indexOf('@')
      // A bare location (older Safari) may hold `@` in its path (`/npm/@scope/x.js`); a
      // function name never holds `://`.
      const isBare = at < 0 || text.slice(0, at).includes('://')
      frames.push(isBare ? toFrame('', text, scrubUrl) : toFrame(text.slice(0, at), text.slice(at + 1), scrubUrl))
    }
  }
  return frames
}

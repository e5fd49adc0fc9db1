import { describe, expect, it } from 'vitest'
import { scrubUrl } from '../../../src/lib/scrubUrl'
import { MAX_STACK_FRAMES, parseStack as parseStackWith } from '../../../src/lib/stack'

const parseStack = (stack: unknown) => parseStackWith(stack, scrubUrl)

const frame = (file: string, line: number | null, col: number | null, fn = '') => ({ file, line, col, fn })

describe('parseStack', () => {
  it.each<[string, string, ReturnType<typeof frame>[]]>([
    [
      'Chrome: named, method, anonymous and async frames; the message line is skipped',
      `TypeError: Cannot read properties of undefined (reading 'x')
    at handler (https://shop.example/app.js:10:15)
    at HTMLButtonElement.<anonymous> (https://shop.example/app.js:20:5)
    at https://shop.example/vendor.js:30:1
    at async load (https://shop.example/app.js:40:3)
    at new Cart (https://shop.example/app.js:50:7)`,
      [
        frame('https://shop.example/app.js', 10, 15, 'handler'),
        frame('https://shop.example/app.js', 20, 5, 'HTMLButtonElement.<anonymous>'),
        frame('https://shop.example/vendor.js', 30, 1),
        frame('https://shop.example/app.js', 40, 3, 'load'),
        frame('https://shop.example/app.js', 50, 7, 'new Cart'),
      ],
    ],
    [
      // A message with `@` and `:1` must not be read as a Firefox frame.
      'Chrome: a message that looks like frames is ignored',
      `Error: mail to a@b.co failed at 3:1
    at send (https://a.example/m.js:1:2)`,
      [frame('https://a.example/m.js', 1, 2, 'send')],
    ],
    [
      'Chrome: eval frames point at the eval call site; native frames keep their marker',
      `Error: boom
    at eval (eval at run (https://a.example/app.js:5:9), <anonymous>:1:7)
    at Array.forEach (<anonymous>)
    at async Promise.all (index 0)`,
      [frame('https://a.example/app.js', 5, 9, 'eval'), frame('<anonymous>', null, null, 'Array.forEach'), frame('index 0', null, null, 'Promise.all')],
    ],
    [
      'Firefox: named, anonymous, nested-closure and async frames',
      `handler@https://shop.example/app.js:10:15
@https://shop.example/app.js:30:1
Cart/this.add/<@https://shop.example/app.js:12:3
async*load@https://shop.example/app.js:40:3
`,
      [
        frame('https://shop.example/app.js', 10, 15, 'handler'),
        frame('https://shop.example/app.js', 30, 1),
        frame('https://shop.example/app.js', 12, 3, 'Cart/this.add/<'),
        frame('https://shop.example/app.js', 40, 3, 'async*load'),
      ],
    ],
    [
      'Firefox: eval frames point at the eval call line',
      `@https://a.example/app.js line 2 > eval:1:5
run@https://a.example/app.js line 7 > Function:3:1`,
      [frame('https://a.example/app.js', 2, null), frame('https://a.example/app.js', 7, null, 'run')],
    ],
    [
      'Safari: global code, native code and frames without a function name',
      `handler@https://shop.example/app.js:10:15
forEach@[native code]
global code@https://shop.example/app.js:30:1
https://cdn.example/npm/@scope/pkg/index.js:4:2`,
      [
        frame('https://shop.example/app.js', 10, 15, 'handler'),
        frame('[native code]', null, null, 'forEach'),
        frame('https://shop.example/app.js', 30, 1, 'global code'),
        frame('https://cdn.example/npm/@scope/pkg/index.js', 4, 2),
      ],
    ],
    [
      'extension frames are parsed like any other (the errors plugin decides)',
      `Error: x
    at inject (chrome-extension://abcdef/content.js:1:100)`,
      [frame('chrome-extension://abcdef/content.js', 1, 100, 'inject')],
    ],
    [
      'scrubs secrets and emails from frame URLs',
      `fn@https://a.example/app.js?token=s3cret&v=2:1:2`,
      [frame('https://a.example/app.js?token=[redacted]&v=2', 1, 2, 'fn')],
    ],
  ])('%s', (_name, stack, expected) => {
    expect(parseStack(stack)).toEqual(expected)
  })

  it.each([undefined, null, 42, ''])('returns no frames for %s', (value) => {
    expect(parseStack(value)).toEqual([])
  })

  it('keeps at most MAX_STACK_FRAMES frames, top first', () => {
    const stack = 'RangeError: Maximum call stack size exceeded\n' + Array.from({ length: 200 }, (_, i) => `    at f${i} (https://a.example/r.js:${i + 1}:1)`).join('\n')
    const frames = parseStack(stack)
    expect(frames).toHaveLength(MAX_STACK_FRAMES)
    expect(frames[0].fn).toBe('f0')
  })

  it('trims absurdly long function names to the wire limit', () => {
    expect(parseStack('x'.repeat(900) + '@https://a.example/a.js:1:1')[0].fn).toHaveLength(500)
  })
})

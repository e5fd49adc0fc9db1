import { describe, expect, it } from 'vitest'
import { scrubUrl } from '../../../src/lib/scrubUrl'
import { isExtensionUrl, MAX_STACK_FRAMES, parseStack as parseStackWith } from '../../../src/lib/stack'

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
      [
        frame('https://a.example/app.js', 5, 9, 'eval'),
        frame('<anonymous>', null, null, 'Array.forEach'),
        frame('index 0', null, null, 'Promise.all'),
      ],
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

  // Real stack strings as browsers print them (Chrome, Edge, Electron, Firefox, Safari), the
  // shapes that were misread before: each row names what it pins.
  it.each<[string, string, ReturnType<typeof frame>[]]>([
    [
      'Chrome: webpack eval frames without a space before the parenthesis',
      `TypeError: Cannot read property 'error' of undefined
   at TESTTESTTEST.eval(webpack:///./src/components/test/test.jsx?:295:108)
   at TESTTESTTEST.render(webpack:///./src/components/test/test.jsx?:272:32)
   at TESTTESTTEST.tryRender(webpack:///./~/react-transform-catch-errors/lib/index.js?:34:31)`,
      [
        frame('webpack:///./src/components/test/test.jsx?', 295, 108, 'TESTTESTTEST.eval'),
        frame('webpack:///./src/components/test/test.jsx?', 272, 32, 'TESTTESTTEST.render'),
        frame('webpack:///./~/react-transform-catch-errors/lib/index.js?', 34, 31, 'TESTTESTTEST.tryRender'),
      ],
    ],
    [
      'Chrome: `async` inside the parentheses of async frames stays out of the file',
      `Error: bad
    at callAnotherThing (http://localhost:5000/:20:16)
    at Object.callback (async http://localhost:5000/:25:7)
    at async https://shop.example/app.js:3:9`,
      [
        frame('http://localhost:5000/', 20, 16, 'callAnotherThing'),
        frame('http://localhost:5000/', 25, 7, 'Object.callback'),
        frame('https://shop.example/app.js', 3, 9),
      ],
    ],
    [
      'Chrome: nested eval frames, method aliases and native frames',
      `Error: message string
at baz (eval at foo (eval at speak (http://localhost:8080/file.js:21:17)), <anonymous>:1:30)
at I.e.fn.(anonymous function) [as index] (http://localhost:8080/file.js:10:3651)
at Array.forEach (native)`,
      [
        frame('http://localhost:8080/file.js', 21, 17, 'baz'),
        frame('http://localhost:8080/file.js', 10, 3651, 'I.e.fn.(anonymous function) [as index]'),
        frame('native', null, null, 'Array.forEach'),
      ],
    ],
    [
      'Chrome: a data: module URL is shortened to its media type',
      `Error: boom
    at run (data:text/javascript;base64,ZXhwb3J0IGNvbnN0IHJ1biA9ICgpID0+IHsgdGhyb3cgbmV3IEVycm9yKCdib29tJykgfQ==:1:34)
    at data:text/javascript,export%20default%201:1:1`,
      [frame('data:text/javascript', 1, 34, 'run'), frame('data:text/javascript', 1, 1)],
    ],
    [
      'Chrome: a relative frame URL with a token is scrubbed',
      `Error: x
    at load (/static/app.js?token=s3cret&v=2:4:2)
    at static/chunk.js?sig=abc:1:1`,
      [frame(`/static/app.js?token=[redacted]&v=2`, 4, 2, 'load'), frame('static/chunk.js?sig=[redacted]', 1, 1)],
    ],
    [
      'Chrome: a file without a scheme is cut to the wire limit',
      `Error: x\n    at f (${'a/'.repeat(3002)}x.js:1:2)`,
      [frame('a/'.repeat(2048), 1, 2, 'f')],
    ],
    [
      'Edge (Chromium): same as Chrome; legacy Edge native and eval code frames',
      `Error: test
    at fooIterator (http://localhost:5000/test:20:11)
    at Array.prototype.map (native code)
    at Global code (http://localhost:5000/test:24:7)`,
      [
        frame('http://localhost:5000/test', 20, 11, 'fooIterator'),
        frame('native code', null, null, 'Array.prototype.map'),
        frame('http://localhost:5000/test', 24, 7, 'Global code'),
      ],
    ],
    [
      'Electron on Windows: drive-letter paths and file:///C:/ URLs are files, not schemes',
      `Error: ENOENT
    at Object.<anonymous> (C:\\Users\\dev\\app\\main.js:5:9)
    at C:\\Users\\dev\\app\\node_modules\\lib\\index.js:12:3
    at HTMLButtonElement.onclick (file:///C:/Users/dev/app/index.html:40:21)
    at app://./renderer.js:2:4`,
      [
        frame('C:\\Users\\dev\\app\\main.js', 5, 9, 'Object.<anonymous>'),
        frame('C:\\Users\\dev\\app\\node_modules\\lib\\index.js', 12, 3),
        frame('file:///C:/Users/dev/app/index.html', 40, 21, 'HTMLButtonElement.onclick'),
        frame('app://./renderer.js', 2, 4),
      ],
    ],
    [
      'Chrome: extension frames (chrome-extension://)',
      `Error: x
    at inject (chrome-extension://abcdefghijklmnop/content.js:1:100)`,
      [frame('chrome-extension://abcdefghijklmnop/content.js', 1, 100, 'inject')],
    ],
    [
      'Firefox: moz-extension frames and eval frames',
      `handler@moz-extension://0a1b2c3d-4e5f/content.js:3:7
@https://a.example/app.js line 2 > eval:1:5`,
      [frame('moz-extension://0a1b2c3d-4e5f/content.js', 3, 7, 'handler'), frame('https://a.example/app.js', 2, null)],
    ],
    [
      'Safari: bare `eval code` lines are no frames',
      `aha@http://localhost:5000/:19:22
test@http://localhost:5000/:33:26
eval code
eval@[native code]
http://localhost:5000/:50:29`,
      [
        frame('http://localhost:5000/', 19, 22, 'aha'),
        frame('http://localhost:5000/', 33, 26, 'test'),
        frame('[native code]', null, null, 'eval'),
        frame('http://localhost:5000/', 50, 29),
      ],
    ],
    [
      'Safari: safari-extension frames in the `at fn@scheme:(//…)` form',
      `Error: wat
      at ClipperError@safari-extension:(//3284871F-A480-4FFC-8BC4-3F362C752446/2665fee0/commons.js:223036:10)
      at safari-extension:(//3284871F-A480-4FFC-8BC4-3F362C752446/2665fee0/topee-content.js:3313:26)`,
      [
        frame(
          'safari-extension://3284871F-A480-4FFC-8BC4-3F362C752446/2665fee0/commons.js',
          223036,
          10,
          'ClipperError',
        ),
        frame('safari-extension://3284871F-A480-4FFC-8BC4-3F362C752446/2665fee0/topee-content.js', 3313, 26),
      ],
    ],
    [
      'Safari: safari-web-extension frames, frames-only stack',
      `p_@safari-web-extension://46434E60-F5BD-48A4-80C8-A422C5D16897/scripts/content-script.js:29:33314
      safari-web-extension://46434E60-F5BD-48A4-80C8-A422C5D16897/scripts/content-script.js:29:56027
      promiseReactionJob@[native code]`,
      [
        frame('safari-web-extension://46434E60-F5BD-48A4-80C8-A422C5D16897/scripts/content-script.js', 29, 33314, 'p_'),
        frame('safari-web-extension://46434E60-F5BD-48A4-80C8-A422C5D16897/scripts/content-script.js', 29, 56027),
        frame('[native code]', null, null, 'promiseReactionJob'),
      ],
    ],
    [
      'Safari: parentheses and brackets in paths (Next.js route groups)',
      `@http://localhost:3000/(group)/[route]/script.js:1:131
global code@http://localhost:3000/(group)/[route]/script.js:1:334`,
      [
        frame('http://localhost:3000/(group)/[route]/script.js', 1, 131),
        frame('http://localhost:3000/(group)/[route]/script.js', 1, 334, 'global code'),
      ],
    ],
  ])('%s', (_name, stack, expected) => {
    expect(parseStack(stack)).toEqual(expected)
  })

  it.each([
    ['chrome-extension://abc/x.js', true],
    ['moz-extension://abc/x.js', true],
    ['safari-extension://abc/x.js', true],
    ['safari-web-extension://abc/x.js', true],
    ['ms-browser-extension://abc/x.js', true],
    ['webkit-masked-url://hidden/', true],
    ['https://shop.example/extension.js', false],
    ['<anonymous>', false],
  ])('isExtensionUrl(%j) is %s', (file, expected) => {
    expect(isExtensionUrl(file)).toBe(expected)
  })

  it("skips React's framesToPop top frames, never all of them", () => {
    const stack =
      'Error: Minified React error #130\n    at invariant (https://a.example/react.js:1:1)\n    at render ' +
      '(https://a.example/app.js:2:2)'
    expect(parseStackWith(stack, scrubUrl, 1)).toEqual([frame('https://a.example/app.js', 2, 2, 'render')])
    expect(parseStackWith(stack, scrubUrl, 99)).toEqual([frame('https://a.example/app.js', 2, 2, 'render')])
    expect(parseStackWith(stack, scrubUrl, 'x')).toHaveLength(2)
  })

  // Pathological inputs (times are measured by bench/redos.mjs, not here): the output is right.
  it.each([
    ["a message of ' (' x 40,000", 'Error: ' + ' ('.repeat(40_000) + '\n    at f (https://a.example/a.js:1:2)', 1],
    ["a frame of ' (' x 40,000", '    at' + ' ('.repeat(40_000) + ')', 1],
    ["an unclosed frame of ' (' x 40,000", '    at' + ' ('.repeat(40_000), 1],
    ['a Firefox line of : x 100,000', ':'.repeat(100_000), 0],
    ['a Firefox line of @ x 100,000', 'f' + '@'.repeat(100_000), 1],
    ['100,000 lines', '    at f (https://a.example/a.js:1:2)\n'.repeat(100_000), MAX_STACK_FRAMES],
    [
      'nested eval x 10,000',
      '    at ' + 'eval at f ('.repeat(10_000) + 'https://a.example/a.js:1:2' + ')'.repeat(10_000),
      1,
    ],
  ])('bounds %s', (_name, stack, count) => {
    const frames = parseStack(stack)
    expect(frames).toHaveLength(count)
    for (const f of frames) expect(f.file.length + f.fn.length).toBeLessThanOrEqual(4096 + 500)
  })

  it.each([undefined, null, 42, ''])('returns no frames for %s', (value) => {
    expect(parseStack(value)).toEqual([])
  })

  it('keeps at most MAX_STACK_FRAMES frames, top first', () => {
    const stack =
      'RangeError: Maximum call stack size exceeded\n' +
      Array.from({ length: 200 }, (_, i) => `    at f${i} (https://a.example/r.js:${i + 1}:1)`).join('\n')
    const frames = parseStack(stack)
    expect(frames).toHaveLength(MAX_STACK_FRAMES)
    expect(frames[0].fn).toBe('f0')
  })

  it('trims absurdly long function names to the wire limit', () => {
    expect(parseStack('x'.repeat(900) + '@https://a.example/a.js:1:1')[0].fn).toHaveLength(500)
  })
})

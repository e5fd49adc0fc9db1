import { afterEach, describe, expect, it } from 'vitest'
import { selectorOf } from '../../../src/lib/selector'
import { MAX_SELECTOR_LENGTH } from '../../../src/schema/events/limits'

/** Renders `html` into the body and returns the element marked `data-pick`. */
const pick = (html: string): Element => {
  document.body.innerHTML = html
  return document.querySelector('[data-pick]')!
}

describe('selectorOf', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it.each<[string, string, string]>([
    ['uses a hand-written id', '<div><button id="buy-now" class="btn" data-pick>Buy</button></div>', '#buy-now'],
    ['keeps ids with a short number', '<section id="step2"><p data-pick>x</p></section>', '#step2>p'],
    // Numeric, React useId (`:r1:`), UUID and counter ids change between renders or builds.
    ['skips a numeric id', '<main><button id="12345" data-pick>x</button></main>', 'main>button'],
    ['skips a React useId id', '<main><button id=":r1:" data-pick>x</button></main>', 'main>button'],
    ['skips a UUID id', '<main><button id="3f2504e0-4f89-11d3" data-pick>x</button></main>', 'main>button'],
    ['skips a counter id', '<main><button id="ember1234" data-pick>x</button></main>', 'main>button'],
    ['uses data-testid', '<div><button data-testid="checkout" data-pick>x</button></div>', '[data-testid="checkout"]'],
    ['uses data-test', '<div><button data-test="a" data-pick>x</button></div>', '[data-test="a"]'],
    ['uses data-cy', '<div><button data-cy="b" data-pick>x</button></div>', '[data-cy="b"]'],
    [
      'uses data-fl-track',
      '<div><button data-fl-track="cta_click" data-pick>x</button></div>',
      '[data-fl-track="cta_click"]',
    ],
    [
      'escapes quotes in attribute values',
      '<button data-testid=\'say "hi"\' data-pick>x</button>',
      '[data-testid="say \\"hi\\""]',
    ],
    [
      'builds a tag.class path',
      '<div class="card"><div class="actions"><button class="btn primary large" data-pick>x</button></div></div>',
      'div.card>div.actions>button.btn.primary',
    ],
    // CSS-in-JS and CSS-modules names are rebuilt on every deploy.
    [
      'skips generated classes',
      '<div class="css-1x2y3z sc-bdVaJa jsx-123 Button_primary__3xYz1 svelte-abc real"><span data-pick>x</span></div>',
      'div.real>span',
    ],
    ['skips classes that need escaping', '<div class="w-1/2 md:flex ok"><span data-pick>x</span></div>', 'div.ok>span'],
    [
      'stops at an ancestor with a stable id',
      '<div id="pricing"><div><ul><li><a href="#" data-pick>x</a></li></ul></div></div>',
      '#pricing>div>ul>li>a',
    ],
    [
      'stops at an ancestor with a test attribute',
      '<form data-testid="signup"><div><button data-pick>x</button></div></form>',
      '[data-testid="signup"]>div>button',
    ],
    [
      'never goes past 5 levels',
      '<div><div><div><div><div><div><p><b data-pick>x</b></p></div></div></div></div></div></div>',
      'div>div>div>p>b',
    ],
    ['stops below body', '<p><b data-pick>x</b></p>', 'p>b'],
    ['names svg elements', '<button class="icon"><svg><path data-pick></path></svg></button>', 'button.icon>svg>path'],
  ])('%s', (_name, html, expected) => {
    expect(selectorOf(pick(html))).toBe(expected)
  })

  it('gives a selector that finds the element', () => {
    const el = pick(
      '<div class="card"><div class="actions"><button class="btn" data-pick>x</button><button ' +
        'class="btn">y</button></div></div>',
    )
    expect(document.querySelector(selectorOf(el))).toBe(el)
  })

  it('names the body itself', () => {
    expect(selectorOf(document.body)).toBe('body')
  })

  it(`never exceeds ${MAX_SELECTOR_LENGTH} characters`, () => {
    const el = pick(`<button data-testid="${'x'.repeat(800)}" data-pick>x</button>`)
    expect(selectorOf(el).length).toBe(MAX_SELECTOR_LENGTH)
  })
})

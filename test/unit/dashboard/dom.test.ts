import { describe, expect, it } from 'vitest'
import { h, httpUrl, isSafeHref, s } from '../../../src/dashboard/client/dom'
import { genericValue } from '../../../src/dashboard/client/table'

const HOSTILE = '<img src=x onerror="window.pwned=1">"><script>window.pwned=2</script>'

describe('dashboard dom', () => {
  it('renders strings as text, never as markup', () => {
    const element = h('p', { title: HOSTILE }, HOSTILE, ['a', 1, null, false])
    expect(element.textContent).toBe(`${HOSTILE}a1`)
    expect(element.querySelector('img, script')).toBeNull()
    expect(element.getAttribute('title')).toBe(HOSTILE)
  })

  it('refuses event handler attributes', () => {
    expect(() => h('div', { onclick: 'x()' })).toThrow(/onclick/)
    expect(() => s('svg', { ONLOAD: 'x()' })).toThrow(/ONLOAD/)
  })

  it.each([
    ['#/heatmaps?path=/x', true],
    ['/api/report', true],
    ['//evil.example/x', false],
    ['javascript:alert(1)', false],
    [' javascript:alert(1)', false],
    ['data:text/html,<script>', false],
    ['https://evil.example/', false],
  ])('isSafeHref(%j) is %s, and h() drops the unsafe ones', (href, expected) => {
    expect(isSafeHref(href)).toBe(expected)
    expect(h('a', { href }).hasAttribute('href')).toBe(expected)
  })

  it.each([
    ['https://shop.example/a?b=1', 'https://shop.example/a?b=1'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'],
    ['javascript:alert(1)//https://x', null],
    ['JAVASCRIPT:alert(1)', null],
    ['data:text/html;base64,PHNjcmlwdD4=', null],
    ['/relative', null],
    [42, null],
  ])('httpUrl(%j) → %j', (value, expected) => {
    expect(httpUrl(value)?.href ?? null).toBe(expected)
  })

  it('renders a proportion as one cell', () => {
    expect(genericValue({ n: 50, k: 6, rate: 0.12, low: 0.056, high: 0.238 })).toBe('6/50 · 12.0 % (5.6 % – 23.8 %)')
  })

  it('renders any report section generically, as text', () => {
    const node = genericValue({ feedback: [{ question: HOSTILE, answer: 3 }], note: HOSTILE }) as HTMLElement
    expect(node.querySelectorAll('table tbody tr')).toHaveLength(1)
    expect(node.textContent).toContain(HOSTILE)
    expect(node.querySelector('img, script')).toBeNull()
  })
})

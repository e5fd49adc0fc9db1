import { describe, expect, it } from 'vitest'
import { detectQuickBack, type ViewStamp } from '../../../src/lib/quickBack'

const view = (path: string, at: number): ViewStamp => ({ path, at })

describe('detectQuickBack', () => {
  it.each<[string, ViewStamp[], ViewStamp, { leftPath: string; durationMs: number } | undefined]>([
    // [what, previous views (oldest first), new view, expected signal]
    [
      'back to the page before within the time',
      [view('/', 0), view('/pricing', 5000)],
      view('/', 8000),
      { leftPath: '/pricing', durationMs: 3000 },
    ],
    [
      'exactly at the limit still counts',
      [view('/', 0), view('/pricing', 1000)],
      view('/', 11_000),
      { leftPath: '/pricing', durationMs: 10_000 },
    ],
    [
      'back after the limit is a visit, not a quick back',
      [view('/', 0), view('/pricing', 1000)],
      view('/', 11_001),
      undefined,
    ],
    ['on to a third page is not a return', [view('/', 0), view('/pricing', 1000)], view('/signup', 2000), undefined],
    ['a reload of the page is not leaving it', [view('/', 0), view('/', 1000)], view('/', 2000), undefined],
    ['the first view of a tab', [], view('/', 0), undefined],
    ['the second view of a tab', [view('/', 0)], view('/pricing', 1000), undefined],
    // A clock set back between documents: no negative durations, no signal.
    ['a clock gone backwards', [view('/', 5000), view('/pricing', 9000)], view('/', 8000), undefined],
  ])('%s', (_what, views, next, expected) => {
    expect(detectQuickBack(views, next, 10_000).signal).toEqual(expected)
  })

  it('remembers the last two views, and only the page returned to after a quick back', () => {
    expect(detectQuickBack([view('/a', 0), view('/b', 1)], view('/c', 2), 10_000).views).toEqual([
      view('/b', 1),
      view('/c', 2),
    ])
    expect(detectQuickBack([view('/a', 0), view('/b', 1)], view('/a', 2), 10_000).views).toEqual([view('/a', 2)])
  })

  it('reports a ping-pong once per return, not once per page', () => {
    let views: ViewStamp[] = []
    const signals: string[] = []
    // / → /b → / → /b → / , one second each.
    ;['/', '/b', '/', '/b', '/'].forEach((path, i) => {
      const result = detectQuickBack(views, view(path, i * 1000), 10_000)
      views = result.views
      if (result.signal) signals.push(result.signal.leftPath)
    })
    expect(signals).toEqual(['/b', '/b'])
  })
})

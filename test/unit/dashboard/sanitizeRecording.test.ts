import { describe, expect, it } from 'vitest'
import { sanitizeRecording } from '../../../src/dashboard/client/sanitizeRecording'

const element = (tagName: string, attributes: Record<string, unknown>, childNodes: unknown[] = []) => ({
  type: 2,
  id: 1,
  tagName,
  attributes,
  childNodes,
})

describe('sanitizeRecording', () => {
  it('removes handlers, srcdoc and script URLs from full snapshots, keeping the rest', () => {
    const img = element('img', { src: 'x.png', onerror: 'top.x=1', ONLOAD: 'y', alt: 'kept' })
    const link = element('a', { href: ' javascript:alert(1)', title: 'kept' })
    const data = element('img', { src: 'data:image/png;base64,AAAA' })
    const frame = element('iframe', { srcdoc: '<script>x</script>', src: 'data:text/html,<script>x</script>' })
    const events = sanitizeRecording([
      {
        type: 2,
        timestamp: 1,
        data: { node: { type: 0, childNodes: [element('body', { onload: 'x' }, [img, link, data, frame])] } },
      },
    ])
    const body = (events[0].data.node.childNodes as any[])[0]
    expect(body.attributes).toEqual({})
    expect(img.attributes).toEqual({ src: 'x.png', alt: 'kept' })
    expect(link.attributes).toEqual({ title: 'kept' })
    expect(data.attributes).toEqual({ src: 'data:image/png;base64,AAAA' })
    expect(frame.attributes).toEqual({})
  })

  it('cleans added nodes and attribute changes of mutations', () => {
    const added = element('div', { onclick: 'x', class: 'a' })
    const change = { id: 3, attributes: { onmouseover: 'x', href: 'javascript:x', class: 'b' } }
    sanitizeRecording([
      {
        type: 3,
        timestamp: 2,
        data: { source: 0, adds: [{ parentId: 1, node: added }], attributes: [change], removes: [], texts: [] },
      },
    ])
    expect(added.attributes).toEqual({ class: 'a' })
    expect(change.attributes).toEqual({ class: 'b' })
  })

  it('tolerates malformed events', () => {
    expect(() =>
      sanitizeRecording([null, 1, { type: 2 }, { type: 3, data: { source: 0, adds: 'x' } }] as unknown[]),
    ).not.toThrow()
  })
})

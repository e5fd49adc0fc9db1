import { describe, expect, it } from 'vitest'
import { scrubUrl } from '../../../src/lib/scrubUrl'
import { maskInput, scrubString } from '../../../src/replay/privacy'

const input = (html: string) => {
  document.body.innerHTML = html
  return document.body.firstElementChild as HTMLElement
}

describe('maskInput', () => {
  it.each([
    ['<input type="password">', 'hunter2', '********'],
    // A show-password toggle made it text: rrweb marks it, it stays a password.
    ['<input type="text" data-rr-is-password="true">', 'hunter2', '********'],
    ['<input autocomplete="cc-number">', '4242424242424242', '********'],
    ['<input autocomplete="current-password" type="text">', 'abc', '********'],
    ['<input type="email">', 'jane@example.com', '****************'],
    ['<textarea></textarea>', 'hi', '**'],
  ])('%s masks %s as %s', (html, value, masked) => {
    expect(maskInput(value, input(html))).toBe(masked)
  })
})

describe('scrubString', () => {
  it.each([
    ['href', 'https://x.example/a?token=t1&q=shoes', 'https://x.example/a?token=[redacted]&q=shoes'],
    ['src', '/img.png?sig=abc', '/img.png?sig=[redacted]'],
    ['src', 'data:image/png;base64,AAAA', 'data:image/png;base64,AAAA'],
    ['srcset', '/a.png?key=1 1x, /b.png 2x', ' /a.png?key=[redacted] 1x, /b.png 2x'],
    ['style', 'background:url(/bg.png?auth=z)', 'background:url(/bg.png?auth=[redacted])'],
    ['title', 'write to jane@example.com', 'write to [redacted]'],
    // Every other string goes through the text scrubber; style sheets keep their payloads.
    ['title', 'Card 4242 4242 4242 4242, code 483920', 'Card [redacted], code [redacted]'],
    ['data-user', '{"password":"hunter2"}', '{"password":"[redacted]"}'],
    ['alt', 'x'.repeat(9000) + ' jane@example.com', 'x'.repeat(9000) + ' [redacted]'],
    [
      '_cssText',
      '.a{background:url(data:font/woff2;base64,d09GMgABAAAAAAZ0AA4AAAAADWAAAAYbAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGhY' +
        'bIBwqBmAAgkIRCAqKOIgNCwoAATYCJAMQBCAFhGMHLhvqCsiOw7vAhdcOB5tQFRsS4f7+ZvmW)}',
      '.a{background:url(data:font/woff2;base64,d09GMgABAAAAAAZ0AA4AAAAADWAAAAYbAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGhY' +
        'bIBwqBmAAgkIRCAqKOIgNCwoAATYCJAMQBCAFhGMHLhvqCsiOw7vAhdcOB5tQFRsS4f7+ZvmW)}',
    ],
    // Plain text is left alone (no URL parsing of words).
    ['textContent', 'hello world', 'hello world'],
  ])('%s %s → %s', (key, value, expected) => {
    expect(scrubString(key, value, scrubUrl)).toBe(expected)
  })

  it("runs the tracker's own scrubber, extra rules included, on every URL it finds", () => {
    const scrubber = (url: string) => scrubUrl(url).replace(/\/orders\/\d+/, '/orders/:id')
    expect(scrubString('href', '/orders/123?token=t', scrubber)).toBe('/orders/:id?token=[redacted]')
    expect(scrubString('style', 'background:url(/orders/9/a.png)', scrubber)).toBe('background:url(/orders/:id/a.png)')
  })
})

import { describe, expect, it } from 'vitest'
import { scrubUrl } from '../../../src/lib/scrubUrl'

const R = '[redacted]'

describe('scrubUrl', () => {
  it.each([
    // secret-looking query keys (SPEC: token, code, email, password, key, sig, auth, session)
    ['https://a.com/p?token=abc&x=1', `https://a.com/p?token=${R}&x=1`],
    ['https://a.com/p?access_token=abc', `https://a.com/p?access_token=${R}`],
    ['https://a.com/cb?code=xyz&state=1', `https://a.com/cb?code=${R}&state=1`],
    ['https://a.com/p?email=bob', `https://a.com/p?email=${R}`],
    ['https://a.com/p?password=hunter2', `https://a.com/p?password=${R}`],
    ['https://a.com/p?api_key=k1&apiKey=k2', `https://a.com/p?api_key=${R}&apiKey=${R}`],
    ['https://a.com/p?sig=s&X-Amz-Signature=s2', `https://a.com/p?sig=${R}&X-Amz-Signature=${R}`],
    ['https://a.com/p?auth=a&Authorization=b', `https://a.com/p?auth=${R}&Authorization=${R}`],
    ['https://a.com/p?session=1&sessionId=2', `https://a.com/p?session=${R}&sessionId=${R}`],
    ['https://a.com/p?TOKEN=abc', `https://a.com/p?TOKEN=${R}`],
    // a repeated key is redacted once, keeping one key
    ['https://a.com/p?token=a&token=b', `https://a.com/p?token=${R}`],
    // harmless keys and utm are kept as they are
    ['https://a.com/p?utm_source=news&q=shoes', 'https://a.com/p?utm_source=news&q=shoes'],
    // emails anywhere: path, plain and percent-encoded query values
    ['https://a.com/users/john.doe@example.co.uk/edit', `https://a.com/users/${R}/edit`],
    ['https://a.com/p?ref=bob@example.com', `https://a.com/p?ref=${R}`],
    ['https://a.com/p?ref=bob%40example.com', `https://a.com/p?ref=${R}`],
    // an encoded `+` in the local part must not leave part of the address behind
    ['https://a.com/p?ref=john%2Btag%40example.com', `https://a.com/p?ref=${R}`],
    // userinfo credentials are dropped
    ['https://user:secret@a.com/p', 'https://a.com/p'],
    // fragment secrets (OAuth implicit flow) are redacted; a plain anchor is kept
    ['https://a.com/cb#access_token=t&token_type=bearer&x=1', `https://a.com/cb#access_token=${R}&token_type=${R}&x=1`],
    ['https://a.com/p#pricing', 'https://a.com/p#pricing'],
    // relative URLs stay relative
    ['/checkout?token=abc&step=2', `/checkout?token=${R}&step=2`],
    ['/p?ref=a@b.io', `/p?ref=${R}`],
    // empty stays empty (a direct visit's referrer)
    ['', ''],
  ])('scrubs %s', (input, expected) => {
    expect(scrubUrl(input)).toBe(expected)
  })

  it.each([undefined, null, 42, {}, 'http://[::1', '::::', '%%%', '\u0000', 'a'.repeat(10_000)])(
    'never throws on garbage input %#',
    (input) => {
      expect(() => scrubUrl(input as string)).not.toThrow()
      expect(typeof scrubUrl(input as string)).toBe('string')
    },
  )

  it('scrubs emails in text that is not a URL', () => {
    expect(scrubUrl('http://[::1/x?a=bob@example.com')).not.toContain('bob@example.com')
  })

  it('stays linear on a long URL without an address (no regex backtracking storm)', () => {
    const started = performance.now()
    scrubUrl('https://a.com/' + 'a'.repeat(20_000))
    expect(performance.now() - started).toBeLessThan(200)
  })

  it('keeps URLs within the collector limit of 4096 characters', () => {
    expect(scrubUrl('https://a.com/?q=' + 'x'.repeat(10_000)).length).toBeLessThanOrEqual(4096)
  })
})

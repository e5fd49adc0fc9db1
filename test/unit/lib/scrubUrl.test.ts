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
    // a repeated key: each value redacted, the rest of the query kept as it was
    ['https://a.com/p?token=a&token=b', `https://a.com/p?token=${R}&token=${R}`],
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

  it.each([
    // more secret keys seen in real apps and servers
    [
      'https://a.com/p?jwt=e1&otp=123456&sid=s1&pin=0000&ssn=078-05-1120',
      `https://a.com/p?jwt=${R}&otp=${R}&sid=${R}&pin=${R}&ssn=${R}`,
    ],
    [
      'https://a.com/p?access=a1&credentials=c1&mysql_pwd=p1&bearer=b1',
      `https://a.com/p?access=${R}&credentials=${R}&mysql_pwd=${R}&bearer=${R}`,
    ],
    [
      'https://a.com/p?card[number]=4111&card%5Bcvc%5D=123&cardNumber=1&connect.sid=x',
      `https://a.com/p?card[number]=${R}&card%5Bcvc%5D=${R}&cardNumber=${R}&connect.sid=${R}`,
    ],
    ['https://a.com/p?PHPSESSID=abc&user_sid=2', `https://a.com/p?PHPSESSID=${R}&user_sid=${R}`],
    // whole-word short keys only: these are not secrets
    [
      'https://a.com/p?sidebar=1&shipping=2&footprint=3&classname=4',
      'https://a.com/p?sidebar=1&shipping=2&footprint=3&classname=4',
    ],
    // path parameters (Java servlet sessions)
    ['https://a.com/shop;jsessionid=1A2B3C4D?item=2', `https://a.com/shop;jsessionid=${R}?item=2`],
    // a return URL with its own query, raw or encoded
    ['https://a.com/login?next=/cb?code=abc&x=1', `https://a.com/login?next=/cb?code=${R}&x=1`],
    [
      'https://a.com/login?next=%2Fcb%3Fcode%3Dabc%26state%3D1',
      `https://a.com/login?next=%2Fcb%3Fcode%3D${R}%26state%3D1`,
    ],
    // emails with encoded dots and double-encoded at-signs
    ['https://a.com/p?ref=jane%2Edoe%40example%2Ecom', `https://a.com/p?ref=${R}`],
    ['https://a.com/p?ref=jane%2540example.com', `https://a.com/p?ref=${R}`],
    ['https://a.com/u/jane%252Edoe%2540example%252Ecom/x', `https://a.com/u/${R}/x`],
    // values that look like tokens, whatever their key
    ['https://a.com/p?x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl', `https://a.com/p?x=${R}`],
    [
      'https://a.com/reset/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      `https://a.com/reset/${R}`,
    ],
    ['https://a.com/p?t=Zm9vYmFyYmF6cXV4UXVVeDEyMzQ1Njc4OTBhYmNkZWY', `https://a.com/p?t=${R}`],
    ['https://a.com/p?n=4242424242424242', `https://a.com/p?n=${R}`],
    // not tokens: words, versions, hashed asset names, retina images, package versions
    [
      'https://a.com/static/main.3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c.js',
      'https://a.com/static/main.3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c.js',
    ],
    ['https://a.com/img/logo@2x.png', 'https://a.com/img/logo@2x.png'],
    ['https://cdn.a.com/npm/react@18.2.0/umd/react.js', 'https://cdn.a.com/npm/react@18.2.0/umd/react.js'],
    ['https://a.com/p?ts=1732350000001', 'https://a.com/p?ts=1732350000001'],
    // data: URLs are shortened to their media type (the payload may be anything)
    [
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6' +
        'kgAAAABJRU5ErkJggg==',
      'data:image/png',
    ],
    ['data:text/javascript,export default 1', 'data:text/javascript'],
    ['data:,hello', 'data:'],
    // non-http schemes keep their shape (stack frame files)
    ['webpack:///./src/app.js?', 'webpack:///./src/app.js?'],
    ['file:///C:/Users/dev/app/index.html?token=t', `file:///C:/Users/dev/app/index.html?token=${R}`],
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

  // Pathological inputs (times are measured by bench/redos.mjs, not here): the output is right.
  it.each([
    ['# and %40 x 60,000', 'https://a.com/p#' + '%40'.repeat(60_000)],
    ['a long path without an address', 'https://a.com/' + 'a'.repeat(20_000)],
    ['20,000 keys', 'https://a.com/p?' + Array.from({ length: 20_000 }, (_, i) => `k${i}=v`).join('&')],
    ['20,000 secret keys', 'https://a.com/p?' + 'token=x&'.repeat(20_000)],
    ['an address after 100,000 characters', 'https://a.com/' + 'a/'.repeat(50_000) + 'jane@example.com'],
  ])('bounds and scrubs %s', (_name, input) => {
    const output = scrubUrl(input)
    expect(output.length).toBeLessThanOrEqual(4096)
    expect(output).toMatch(/^https:\/\/a\.com\//)
    expect(output).not.toMatch(/token=x|jane@/)
  })

  it('never leaves half an address at the cut of a long URL', () => {
    const output = scrubUrl('https://a.com/p?q=' + 'x'.repeat(8170) + '&ref=jane.doe@example.com')
    expect(output).not.toContain('jane')
  })

  it('keeps URLs within the collector limit of 4096 characters', () => {
    expect(scrubUrl('https://a.com/?q=' + 'x'.repeat(10_000)).length).toBeLessThanOrEqual(4096)
  })
})

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { FrictionEvent } from '../../dist/schema/index.js'
import { closePage, MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// SPEC `frictionlog/replay`: session replay in real Chromium against the real collector, ESM
// (`frictionlog/replay` on rrweb) and script tag (`data-replay`, recorder fetched on demand).
// Private by default: nothing typed, no page text, in anything the collector stores.
const suite = useSuite()
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

const PASSWORD = 'Secr3tPass!'
const EMAIL = 'jane.doe@example.com'
const CARD = '4242424242424242'
const PERSON = 'Jane Q. Customer'
// What must appear nowhere: the values, recognizable pieces of them, and the page's personal text.
const NEEDLES = [
  PASSWORD,
  'Secr3t',
  'Pass!',
  EMAIL,
  'jane.doe',
  'example.com',
  CARD,
  '42424242',
  '4242 4242',
  PERSON,
  'Jane Q',
  'Customer',
  'Baker Street',
  'Jane Roe',
]

// rrweb's ESM build: the harness's static server does not mount node_modules/rrweb, so unless
// it does, a tiny CORS-enabled server on another port serves the one file (it has no imports).
const RRWEB = resolve('node_modules/rrweb/dist/rrweb.js')
let rrwebServer: Server | undefined
let rrwebUrl = ''
beforeAll(async () => {
  const sameOrigin = `${suite.server.origin}/node_modules/rrweb/dist/rrweb.js`
  if ((await fetch(sameOrigin)).ok) {
    rrwebUrl = sameOrigin
    return
  }
  rrwebServer = createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'content-length': statSync(RRWEB).size,
    })
    res.end(readFileSync(RRWEB))
  })
  await new Promise<void>((done) => rrwebServer!.listen(0, '127.0.0.1', done))
  rrwebUrl = `http://127.0.0.1:${(rrwebServer.address() as AddressInfo).port}/rrweb.js`
})
afterAll(async () => {
  await new Promise<void>((done) => (rrwebServer ? rrwebServer.close(() => done()) : done()))
})

type ReplayEvent = Extract<FrictionEvent, { type: 'replay' }>
const ofSite = (events: FrictionEvent[], site: string) =>
  events.filter((event) => new URL(event.url, 'http://x').searchParams.get('site') === site)
const replaysOf = (events: FrictionEvent[], site: string) =>
  ofSite(events, site).filter((event): event is ReplayEvent => event.type === 'replay')

/** A chunk's rrweb events: a JSON array as sent, or gzip+base64 text (Node's zlib, not the SDK's decoder). */
const decode = (events: ReplayEvent['events']): any[] =>
  Array.isArray(events) ? events : JSON.parse(gunzipSync(Buffer.from(events as string, 'base64')).toString('utf8'))

/** Every byte the collector stored, as the NDJSON text on disk (before any schema parsing). */
const rawStore = (needle: string): string => {
  const texts: string[] = []
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('fl-e2e-store-')) continue
    const dir = join(tmpdir(), name)
    let files: string[] = []
    try {
      files = readdirSync(dir).filter((file) => file.endsWith('.ndjson'))
    } catch {
      continue
    }
    const text = files.map((file) => readFileSync(join(dir, file), 'utf8')).join('')
    if (text.includes(needle)) texts.push(text)
  }
  return texts.join('')
}

const INPUT_SOURCE = 5
const INCREMENTAL = 3
const FULL_SNAPSHOT = 2

for (const mode of MODES) {
  describe(`replay (${mode})`, () => {
    test('records after consent, masks every typed value and all page text, chunks reach the collector', async () => {
      const run = newRun('replay-' + mode)
      const page = await suite.open(mode, run, { rrweb: rrwebUrl }, 'replay')
      // Pending: no recorder, and the script tag has not even downloaded it.
      await sleep(1500)
      expect(replaysOf(await suite.collector.readEvents(), run)).toEqual([])
      if (mode === 'iife') expect(await page.evaluate(() => typeof (window as any).frictionlogReplay)).toBe('undefined')

      const grantedAt = await page.evaluate(() => {
        const at = Date.now()
        ;(window as any).fl.consent('granted', { replay: true })
        return at
      })
      if (mode === 'iife')
        await page.waitForFunction(() => typeof (window as any).frictionlogReplay === 'function', undefined, {
          timeout: 10_000,
        })
      // The first chunk (the full snapshot) goes out about a second after recording starts.
      await suite.collector.waitForEvents((events) => replaysOf(events, run).length >= 1, 15_000)

      await page.click('#email')
      await page.keyboard.type(EMAIL, { delay: 20 })
      await page.click('#password')
      await page.keyboard.type('Secr3t', { delay: 20 })
      await page.click('#toggle') // show the password: the field becomes type=text
      await page.click('#password')
      await page.keyboard.press('End')
      await page.keyboard.type('Pass!', { delay: 20 })
      expect(await page.inputValue('#password')).toBe(PASSWORD)
      await page.click('#toggle') // and hidden again
      expect(await page.getAttribute('#password', 'type')).toBe('password')
      await page.click('#card')
      await page.keyboard.type(CARD, { delay: 20 })
      // Pay: the card field loses focus (replay samples inputs with `input: 'last'`, i.e. on change).
      await page.click('#pay-now')
      // Personal text added later (a mutation), and some movement.
      await page.evaluate(() => {
        const item = document.createElement('li')
        item.textContent = 'Order for Jane Roe, billed to Jane Q. Customer'
        item.title = 'jane.doe@example.com'
        document.getElementById('notes')!.append(item)
      })
      await page.mouse.move(200, 300)
      await page.mouse.move(400, 200, { steps: 5 })
      await sleep(300)
      await closePage(page)
      await suite.collector.waitForEvents(
        (events) => ofSite(events, run).some((event) => event.type === 'page_leave'),
        10_000,
      )
      await sleep(500)

      const all = await suite.collector.readEvents()
      const replays = replaysOf(all, run).sort((a, b) => a.seq - b.seq)
      expect(replays.length).toBeGreaterThanOrEqual(2)
      expect(replays.map((event) => event.seq)).toEqual(replays.map((_, i) => i))
      let previousEnd = 0
      for (const event of replays) {
        expect(event.startTs).toBeLessThanOrEqual(event.endTs)
        expect(event.startTs).toBeGreaterThanOrEqual(previousEnd)
        expect(event.startTs).toBeGreaterThanOrEqual(grantedAt - 50)
        previousEnd = event.endTs
      }
      const decoded = replays.map((event) => decode(event.events))
      const rr = decoded.flat()
      for (const [i, chunk] of decoded.entries()) {
        expect(chunk[0].timestamp).toBe(replays[i].startTs)
        expect(chunk[chunk.length - 1].timestamp).toBe(replays[i].endTs)
      }
      // The recording is real: a full snapshot of this page, and the typing as (masked) input events.
      expect(rr.filter((event) => event.type === FULL_SNAPSHOT)).toHaveLength(1)
      const decodedText = JSON.stringify(decoded)
      for (const marker of ['"customer"', '"cardnumber"', '"cc-number"', '"toggle"'])
        expect(decodedText).toContain(marker)
      const inputs = rr.filter((event) => event.type === INCREMENTAL && event.data?.source === INPUT_SOURCE)
      // One per field typed into: email, password (the same mask before and after the toggle), card.
      expect(new Set(inputs.map((input) => input.data.id)).size).toBe(3)
      for (const input of inputs) expect(input.data.text).toMatch(/^\**$/)
      // Password and card (and the field that was a password while shown) keep no length either.
      expect(inputs.some((input) => input.data.text === '********')).toBe(true)

      // EVERYTHING stored: the raw NDJSON, the parsed events and every decoded chunk.
      const haystack = [rawStore(run), JSON.stringify(all), decodedText].join('\n')
      expect(haystack).toContain(run)
      const found = NEEDLES.filter((needle) => haystack.includes(needle))
      expect(found, 'typed values or personal text in stored payloads').toEqual([])

      const compressed = replays.filter((event) => typeof event.events === 'string').length
      const payloadBytes = replays.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event.events)), 0)
      const eventBytes = replays.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0)
      const durationMs = previousEnd - replays[0].startTs
      const perMinute = Math.round((eventBytes / Math.max(durationMs, 1)) * 60_000)
      console.log(
        `[replay ${mode}] ${replays.length} replay events (${compressed} gzip+base64, ` +
          `${replays.length - compressed} JSON), ` +
          `${rr.length} rrweb events, ${payloadBytes} B of chunks, ${eventBytes} B as stored events, ` +
          `${(durationMs / 1000).toFixed(1)} s recorded → ${perMinute} B/min`,
      )
    })
  })
}

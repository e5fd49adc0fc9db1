// @vitest-environment node
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createCollector, createMemorySink, type Listening } from '../../../src/collector/index'
import { makeBatch, makeEvent } from '../support/events'
import { mulberry32 as seeded } from '../../../src/lib/mulberry32'

/** Sends raw bytes and resolves with whatever the server answered before closing. */
function rawRequest(port: number, data: string, options: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(data)
      if (options.end) socket.end()
    })
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString()))
    socket.on('close', () => resolve(answer))
    socket.on('error', () => resolve(answer))
  })
}

describe('collector.listen', () => {
  let server: Listening | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const start = async (options: Parameters<typeof createCollector>[0] = {}, requestTimeoutMs?: number) => {
    const sink = createMemorySink()
    const collector = createCollector({ sink, ...options })
    server = await collector.listen({ port: 0, requestTimeoutMs })
    return { sink, collector, server }
  }

  it('serves handle() over HTTP on a free port', async () => {
    const { sink, server } = await start({ allowedOrigins: ['https://shop.example'] })
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    const response = await fetch(`${server.url}/e`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://shop.example' },
      body: JSON.stringify(makeBatch([makeEvent()])),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(await response.json()).toMatchObject({ accepted: 1 })
    expect(sink.events).toHaveLength(1)
  })

  it('answers with the same header block, byte for byte, whatever was answered before', async () => {
    const { server } = await start({ allowedOrigins: ['https://shop.example'], maxBodyBytes: 2000 })
    const post = (body: string, origin = 'https://shop.example') =>
      rawRequest(
        server.port,
        `POST /e HTTP/1.1\r\nHost: x\r\nOrigin: ${origin}\r\nContent-Type: text/plain\r\n` +
          `Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      )
    const batch = () => JSON.stringify(makeBatch([makeEvent()]))
    // The Date header aside, every byte.
    const answers = [
      await post(batch()),
      await post('x'.repeat(3000)),
      await post(batch()),
      await rawRequest(
        server.port,
        'OPTIONS /e HTTP/1.1\r\nHost: x\r\nOrigin: https://shop.example\r\nConnection: close\r\n\r\n',
      ),
      await post(batch(), 'https://other.example'),
    ].map((answer) => answer.replace(/\r\nDate: [^\r]+/, ''))
    const cors =
      'access-control-allow-origin: https://shop.example\r\nvary: Origin\r\naccess-control-expose-headers: Retry-After\r\n'
    const json = 'content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n'
    const chunked = (body: string) =>
      `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
    const ok = `HTTP/1.1 200 OK\r\n${json}${cors}Connection: close\r\n${chunked('{"accepted":1,"duplicates":0,"rejected":[]}')}`
    expect(answers).toEqual([
      ok,
      // Refused before the body was read: closed, by a header set before the answer's own.
      `HTTP/1.1 413 Payload Too Large\r\nconnection: close\r\n${json}${cors}${chunked('{"error":"body-too-large"}')}`,
      ok,
      `HTTP/1.1 204 No Content\r\n${cors}access-control-allow-methods: POST, OPTIONS\r\n` +
        'access-control-allow-headers: Content-Type, Content-Encoding\r\naccess-control-max-age: 86400\r\n' +
        'Connection: close\r\n\r\n',
      `HTTP/1.1 403 Forbidden\r\nconnection: close\r\n${json}${chunked('{"error":"origin-not-allowed"}')}`,
    ])
  })

  it('answers 413 over HTTP to a body over the limit', async () => {
    const { server } = await start({ maxBodyBytes: 1000 })
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(200_000),
    })
    expect(response.status).toBe(413)
  })

  it('survives a body that is cut off, and keeps answering', async () => {
    const { collector, server } = await start()
    const answer = await rawRequest(
      server.port,
      'POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"v":1,"sent',
      { end: true },
    )
    // The client hung up: whatever it got (nothing, or a 400), the server must go on.
    expect(answer === '' || answer.startsWith('HTTP/1.1 400')).toBe(true)

    // A streamed fetch body that errors half-way.
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"v":1,'))
        setTimeout(() => controller.error(new Error('network down')), 20)
      },
    })
    await expect(
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
        duplex: 'half',
      } as RequestInit),
    ).rejects.toThrow()

    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(makeBatch([makeEvent()])),
    })
    expect(response.status).toBe(200)
    expect(collector.stats().requests[200]).toBe(1)
  })

  it('drops a client whose body never ends once the request timeout passes', async () => {
    const { server } = await start({}, 500)
    const startedAt = Date.now()
    const answer = await rawRequest(
      server.port,
      'POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"v":1',
    )
    expect(Date.now() - startedAt).toBeLessThan(5000)
    expect(answer === '' || /^HTTP\/1\.1 (400|408)/.test(answer)).toBe(true)
  })

  it('answers 405 to methods fetch cannot represent, such as TRACE', async () => {
    const { server } = await start()
    const answer = await rawRequest(server.port, 'TRACE / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 405/)
    expect((await fetch(server.url, { method: 'DELETE' })).status).toBe(405)
  })

  it('refuses oversized headers without calling the handler', async () => {
    const { collector, server } = await start()
    const answer = await rawRequest(server.port, `POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 431/)
    expect(collector.stats().requests).toEqual({})
  })

  it('answers 2xx or 4xx to 200 random bodies and still works afterwards', async () => {
    const { collector, server } = await start({ maxBodyBytes: 64 * 1024 })
    const random = seeded(42)
    const valid = JSON.stringify(makeBatch([makeEvent(), makeEvent()]))
    const generators: Array<() => BodyInit> = [
      () => randomBytes(random, Math.floor(random() * 2000)),
      () => valid.slice(0, Math.floor(random() * valid.length)),
      () => mutate(valid, random),
      () => JSON.stringify(makeBatch([randomJson(random, 0)])),
      () => JSON.stringify(randomJson(random, 0)),
      () =>
        JSON.stringify(
          makeBatch([
            { ...makeEvent(), [pick(random, ['depthPct', 'id', 'type', 'ts', 'context'])]: randomJson(random, 0) },
          ]),
        ),
      () => `{"v":1,"sentAt":1,"events":[${'{"a":'.repeat(500)}1${'}'.repeat(500)}]}`,
      () => `{"v":1,"sentAt":1e999,"events":[{"__proto__":{"x":1},"type":"__proto__"}]}`,
    ]
    const contentTypes = ['text/plain', 'application/json', 'text/plain;charset=UTF-8', 'image/png']
    for (let i = 0; i < 200; i += 1) {
      const body = pick(random, generators)()
      const isGzip = random() < 0.15
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': pick(random, contentTypes), ...(isGzip ? { 'content-encoding': 'gzip' } : {}) },
        body,
      })
      expect([200, 400, 413, 415]).toContain(response.status)
      await response.arrayBuffer()
    }
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(makeBatch([makeEvent()])),
    })
    expect(response.status).toBe(200)
    expect(collector.stats().requests[500]).toBeUndefined()
  })
})

function pick<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)]
}

function randomBytes(random: () => number, length: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256)) as Uint8Array<ArrayBuffer>
}

function mutate(text: string, random: () => number): string {
  const chars = [...text]
  for (let i = 0; i < 5; i += 1)
    chars[Math.floor(random() * chars.length)] = String.fromCharCode(Math.floor(random() * 0x3000))
  return chars.join('')
}

function randomJson(random: () => number, depth: number): unknown {
  const roll = random()
  if (depth > 4 || roll < 0.3)
    return pick(random, [
      null,
      true,
      -0,
      1e308,
      -1,
      0.5,
      '',
      '\u0000',
      '__proto__',
      'x'.repeat(5000),
      Number.MAX_SAFE_INTEGER + 2,
    ])
  if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1))
  const object: Record<string, unknown> = {}
  for (const key of ['type', 'id', '__proto__', 'constructor', 'events', 'v'].filter(() => random() < 0.5)) {
    Object.defineProperty(object, key, { value: randomJson(random, depth + 1), enumerable: true })
  }
  return object
}

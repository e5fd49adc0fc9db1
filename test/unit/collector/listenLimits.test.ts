// @vitest-environment node
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createCollector, createMemorySink, type Listening, type Sink } from '../../../src/collector/index'
import { makeBatch, makeEvent } from '../support/events'

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })

/** Opens a socket that announces a body of `length` bytes and sends only the first `sent`. */
function unfinished(port: number, length: number, sent: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`)
      socket.write('x'.repeat(sent))
      resolve(socket)
    })
    socket.on('error', () => {})
  })
}

describe('collector.listen under load and shutdown', () => {
  let server: Listening | undefined
  const sockets: Socket[] = []
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.destroy())
    await server?.close({ graceMs: 0 })
    server = undefined
  })

  it('answers 503 to a request past the concurrency cap while unfinished bodies hold the others', async () => {
    const collector = createCollector({ sink: createMemorySink(), maxConcurrentRequests: 8, log: () => {} })
    server = await collector.listen({ port: 0 })
    for (let i = 0; i < 8; i += 1) sockets.push(await unfinished(server.port, 1_000_000, 1000))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const response = await post(server.url, JSON.stringify(makeBatch([makeEvent()])))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    sockets.splice(0).forEach((socket) => socket.destroy())
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await post(server.url, JSON.stringify(makeBatch([makeEvent()])))).status).toBe(200)
  })

  it('serves extra handlers before the collector, streaming their bodies', async () => {
    const collector = createCollector({ sink: createMemorySink() })
    server = await collector.listen({
      port: 0,
      handlers: [
        (request) => (new URL(request.url).pathname === '/health' ? new Response('ok') : undefined),
        async (request) => {
          if (new URL(request.url).pathname !== '/stream') return undefined
          const body = new ReadableStream({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode('data: 1\n\n'))
              await new Promise((resolve) => setTimeout(resolve, 30))
              controller.enqueue(new TextEncoder().encode('data: 2\n\n'))
              controller.close()
            },
          })
          return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
        },
      ],
    })
    expect(await (await fetch(`${server.url}/health`)).text()).toBe('ok')
    const stream = await fetch(`${server.url}/stream`)
    expect(stream.headers.get('content-type')).toBe('text/event-stream')
    expect(await stream.text()).toBe('data: 1\n\ndata: 2\n\n')
    expect((await post(`${server.url}/e`, JSON.stringify(makeBatch([makeEvent()])))).status).toBe(200)
  })

  it('ingests a batch whose body an extra handler left unread, and one whose body it read before passing', async () => {
    const sink = createMemorySink()
    const seen: string[] = []
    const collector = createCollector({ sink })
    server = await collector.listen({
      port: 0,
      handlers: [
        async (request) => {
          // A handler that looks at the body of /peek and still passes the request on.
          if (new URL(request.url).pathname === '/peek') seen.push((await request.clone().text()).slice(0, 6))
          return undefined
        },
      ],
    })
    const plain = makeBatch([makeEvent({ id: 'unread' })])
    expect(await (await post(`${server.url}/e`, JSON.stringify(plain))).json()).toMatchObject({ accepted: 1 })
    const peeked = makeBatch([makeEvent({ id: 'peeked' })])
    expect(await (await post(`${server.url}/peek`, JSON.stringify(peeked))).json()).toMatchObject({ accepted: 1 })
    expect(seen).toEqual(['{"v":1'])
    expect(sink.events.map((event) => event.id)).toEqual(['unread', 'peeked'])
  })

  it('answers gzip bodies from fetch (Content-Encoding) and sendBeacon (?enc=gzip), and 413 to a bomb', async () => {
    const { gzipSync } = await import('node:zlib')
    const sink = createMemorySink()
    const collector = createCollector({ sink, maxBodyBytes: 50_000 })
    server = await collector.listen({ port: 0 })
    const send = (path: string, bytes: Uint8Array, headers: Record<string, string> = {}) =>
      fetch(`${server?.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...headers },
        body: new Uint8Array(bytes),
      })
    const fetched = gzipSync(JSON.stringify(makeBatch([makeEvent({ id: 'fetched' })])))
    expect((await send('/e', fetched, { 'content-encoding': 'gzip' })).status).toBe(200)
    const beacon = gzipSync(JSON.stringify(makeBatch([makeEvent({ id: 'beacon' })])))
    expect((await send('/e?enc=gzip', beacon)).status).toBe(200)
    expect(sink.events.map((event) => event.id)).toEqual(['fetched', 'beacon'])
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20))
    expect(await (await send('/e', bomb, { 'content-encoding': 'gzip' })).json()).toEqual({ error: 'body-too-large' })
    expect((await send('/e', Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(400)
  })

  it('on close, stops accepting but finishes the writes in flight', async () => {
    let release: () => void = () => {}
    const stored: string[] = []
    const sink: Sink = {
      write: async (events) => {
        await new Promise<void>((resolve) => (release = resolve))
        stored.push(...events.map((e) => e.id))
      },
    }
    const collector = createCollector({ sink })
    const listening = await collector.listen({ port: 0 })
    const inFlight = post(listening.url, JSON.stringify(makeBatch([makeEvent()])))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const closing = listening.close({ graceMs: 5000 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    await expect(post(listening.url, JSON.stringify(makeBatch([makeEvent()])))).rejects.toThrow()
    release()
    expect((await inFlight).status).toBe(200)
    await closing
    expect(stored).toHaveLength(1)
  })
})

import type { IncomingMessage } from 'node:http'
import type { TakeBytes } from './body'
import type { IngestRequest } from './handle'

/**
 * Node's `IncomingMessage` as the ingest code reads it, without building a fetch `Request`,
 * its `Headers` and a web stream per request (together the largest cost of a small batch).
 * Headers read as `Headers.get` reads them (every value of a name, joined by ", "). The body is
 * gathered from `data` events into one buffer through `take`; when `take` refuses, the rest is
 * discarded as it arrives (the socket is not destroyed, so the 413 or 503 still reaches the
 * client; the request timeout bounds how long that can last), and a client that disconnects
 * before the end fails the read.
 */
export function nodeRequest(req: IncomingMessage, baseUrl: string): IngestRequest {
  const method = req.method ?? 'GET'
  return {
    method,
    header: (name) => req.headersDistinct[name]?.join(', ') ?? null,
    url: baseUrl + (req.url ?? '/'),
    read: method === 'GET' || method === 'HEAD' ? null : (take) => readNodeBody(req, take),
  }
}

function readNodeBody(req: IncomingMessage, take: TakeBytes): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let length = 0
    const stop = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      length += chunk.byteLength
      try {
        take(chunk.byteLength, length)
      } catch (error) {
        stop()
        // Flowing without a listener: the rest is read and dropped.
        req.resume()
        reject(error)
        return
      }
      parts.push(chunk)
    }
    const onEnd = () => {
      stop()
      resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts, length))
    }
    const onClose = () => {
      stop()
      reject(new Error('request body cut off'))
    }
    req.on('error', () => {})
    if (req.readableEnded) {
      resolve(new Uint8Array(0))
      return
    }
    req.on('data', onData)
    req.once('end', onEnd)
    req.once('close', onClose)
  })
}

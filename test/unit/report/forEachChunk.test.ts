// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildReport } from '../../../src/report/buildReport'
import { forEachChunk } from '../../../src/report/forEachChunk'
import { emptyTruth, generateEvents } from './fixtures'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frictionlog-chunks-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The lines forEachChunk hands over, each chunk checked to end at a line end. */
async function linesOf(file: string, chunkBytes: number): Promise<string[]> {
  const lines: string[] = []
  await forEachChunk(
    file,
    (bytes, end) => {
      expect([0x0a, 0x0d]).toContain(bytes[end])
      lines.push(...bytes.toString('utf8', 0, end).split(/\r|\n/))
    },
    chunkBytes,
  )
  return lines.filter((line) => line !== '')
}

describe('forEachChunk', () => {
  it('hands over every line whole, whatever the chunk size, line ends and lengths', async () => {
    const file = join(dir, 'lines.ndjson')
    const lines = ['a', 'é'.repeat(40), 'b'.repeat(300), '日本語', 'c', '{"x":1}', 'last line, no line end']
    await writeFile(
      file,
      `${lines[0]}\r\n${lines[1]}\n\n${lines[2]}\r${lines[3]}\n${lines[4]}\r\n\r\n${lines[5]}\n${lines[6]}`,
    )
    for (const size of [1, 2, 7, 64, 1 << 20]) expect(await linesOf(file, size)).toEqual(lines)
  })

  it('reads an empty file as no lines', async () => {
    const file = join(dir, 'empty.ndjson')
    await writeFile(file, '')
    expect(await linesOf(file, 16)).toEqual([])
  })
})

describe('buildReport of a folder', () => {
  it('equals the report of the same events given as objects, with foreign and torn lines skipped alike', async () => {
    const folder = join(dir, 'store')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(folder)
    const events = [...generateEvents(6_000, emptyTruth(), 9)]
    const lines = events.map((event) => JSON.stringify(event))
    const noise = ['', 'not json', '42', '{"no":"type"}', '{"type":"page","url":"https://sh', '\r']
    const day1 = [...lines.slice(0, 3_000), ...noise].join('\n')
    const day2 = lines.slice(3_000).join('\r\n')
    await writeFile(join(folder, 'events-2024-11-23.ndjson'), day1)
    await writeFile(join(folder, 'events-2024-11-24.ndjson'), day2)
    const parsedNoise = noise.flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown]
      } catch {
        return []
      }
    })
    const expected = await buildReport([...events.slice(0, 3_000), ...parsedNoise, ...events.slice(3_000)], {
      goal: 'signup',
    })
    expect(await buildReport(folder, { goal: 'signup' })).toEqual(expected)
  }, 60_000)
})

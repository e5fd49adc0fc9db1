// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatEvent } from '../../../src/report/formatEvent'
import { runCli } from '../../../src/cli/runCli'
import { readNdjson } from '../../../src/collector/index'
import type { FrictionEvent } from '../../../src/schema/index'
import { makeBatch, makeEvent } from '../support/events'

const io = (controller = new AbortController()) => {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    controller,
    io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), signal: controller.signal },
  }
}

describe('runCli', () => {
  it('prints the usage on --help and exits 0', async () => {
    const t = io()
    expect(await runCli(['--help'], t.io)).toBe(0)
    expect(t.out.join('\n')).toMatch(/Usage: frictionlog <command>[\s\S]*collect/)
  })

  it('prints the usage on an unknown or missing command and exits 2', async () => {
    const t = io()
    expect(await runCli(['serve'], t.io)).toBe(2)
    expect(t.err.join('\n')).toContain('unknown command "serve"')
    expect(await runCli([], io().io)).toBe(2)
    expect(await runCli(['constructor'], io().io)).toBe(2)
  })

  it.each([
    [['collect', '--port', 'abc']],
    [['collect', '--port', '70000']],
    [['collect', '--nope']],
    [['collect', 'extra']],
    [['collect', '--port']],
  ])('exits 2 on bad arguments: %j', async (argv) => {
    const t = io()
    expect(await runCli(argv, t.io)).toBe(2)
    expect(t.err.join('\n')).toContain('Usage: frictionlog collect')
  })

  it('prints the collect options on collect --help', async () => {
    const t = io()
    expect(await runCli(['collect', '--help'], t.io)).toBe(0)
    expect(t.out.join('\n')).toContain('--origin')
  })

  it('collects into the folder, prints a line per event, and stops on abort', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frictionlog-cli-'))
    const t = io()
    const exit = runCli(
      ['collect', '--port', '0', '--dir', dir, '--origin', 'https://a.example', '--origin', 'https://b.example'],
      t.io,
    )
    await until(() => t.out.length > 0)
    const url = /listening on (\S+),/.exec(t.out[0])?.[1]
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const event = makeEvent({ depthPct: 75, url: 'https://shop.example/pricing?x=1' })
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://b.example' },
      body: JSON.stringify(makeBatch([event])),
    })
    expect(response.status).toBe(200)
    const denied = await fetch(url!, { method: 'OPTIONS', headers: { origin: 'https://c.example' } })
    expect(denied.status).toBe(403)
    expect(t.out[1]).toMatch(/^\d\d:\d\d:\d\d scroll\s+\/pricing depthPct=75$/)

    t.controller.abort()
    expect(await exit).toBe(0)
    expect(t.out.at(-1)).toBe('stopped: 1 accepted, 0 duplicates, 0 rejected')
    const stored: FrictionEvent[] = []
    for await (const e of readNdjson(dir)) stored.push(e)
    expect(stored.map((e) => e.id)).toEqual([event.id])
    await rm(dir, { recursive: true, force: true })
  })
})

describe('formatEvent', () => {
  it('prints the type, the path and the key fields', () => {
    const line = formatEvent(
      makeEvent({ type: 'page', path: '/pricing', title: 'Pricing', navigation: 'spa' }) as unknown as FrictionEvent,
    )
    expect(line).toMatch(/^\d\d:\d\d:\d\d page\s+\/pricing title="Pricing" navigation="spa"$/)
  })

  it('replaces control characters so events cannot drive the terminal', () => {
    const line = formatEvent(
      makeEvent({
        type: 'dead_click',
        selector: 'a',
        text: 'x\u009b31m\u001b[2J',
        x: 1,
        y: 2,
      }) as unknown as FrictionEvent,
    )
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
  })
})

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const startedAt = Date.now()
  while (!condition()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

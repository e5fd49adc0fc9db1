// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/runCli'

const io = (env: Record<string, string | undefined> = {}) => {
  const out: string[] = []
  const err: string[] = []
  const controller = new AbortController()
  return {
    out,
    err,
    controller,
    io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), signal: controller.signal, env },
  }
}

const until = async (condition: () => boolean, timeoutMs = 5000) => {
  const startedAt = Date.now()
  while (!condition()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fl-collect-dashboard-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('frictionlog collect and the dashboard', () => {
  it('refuses to expose the dashboard off loopback without a token', async () => {
    const t = io()
    expect(await runCli(['collect', '--host', '0.0.0.0', '--port', '0', '--dir', dir], t.io)).toBe(2)
    expect(t.err.join('\n')).toMatch(/--dashboard-token or FRICTIONLOG_DASHBOARD_TOKEN/)
  })

  it('prints the dashboard URL and serves it on loopback without a login', async () => {
    const t = io()
    const exit = runCli(['collect', '--port', '0', '--dir', dir, '--quiet'], t.io)
    await until(() => t.out.length > 0)
    const url = /dashboard (http:\/\/127\.0\.0\.1:\d+)\//.exec(t.out[0])?.[1]
    expect(url).toBeDefined()
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect((await fetch(`${url}/api/version`)).status).toBe(200)
    t.controller.abort()
    expect(await exit).toBe(0)
  })

  it('asks for the token from the environment, and keeps ingest open', async () => {
    const t = io({ FRICTIONLOG_DASHBOARD_TOKEN: 's3cret' })
    const exit = runCli(['collect', '--port', '0', '--dir', dir, '--quiet'], t.io)
    await until(() => t.out.length > 0)
    expect(t.out[0]).toContain('(token required)')
    expect(t.out[0]).not.toContain('s3cret')
    const url = /listening on (\S+),/.exec(t.out[0])![1]
    expect((await fetch(`${url}/api/report`)).status).toBe(401)
    expect((await fetch(`${url}/api/report`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200)
    const ingest = await fetch(`${url}/e`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"v":1,"events":[]}',
    })
    expect(ingest.status).not.toBe(401)
    t.controller.abort()
    expect(await exit).toBe(0)
  })

  it('serves ingest only with --no-dashboard, on any host', async () => {
    const t = io()
    const exit = runCli(
      ['collect', '--host', '0.0.0.0', '--port', '0', '--dir', dir, '--quiet', '--no-dashboard'],
      t.io,
    )
    await until(() => t.out.length > 0)
    expect(t.out[0]).not.toContain('; dashboard')
    const port = /:(\d+),/.exec(t.out[0])![1]
    expect((await fetch(`http://127.0.0.1:${port}/api/report`)).status).not.toBe(200)
    t.controller.abort()
    expect(await exit).toBe(0)
  })
})

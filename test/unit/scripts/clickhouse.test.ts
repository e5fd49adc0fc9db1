// @vitest-environment node
// scripts/clickhouse.mjs starts a real clickhouse-server (fails, never skips, when it is not
// installed). A port probed free can be taken before the server binds it, as happened in CI when
// three test files started servers at once: the start must try new ports, not fail the suite.
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, startClickhouse, type ClickhouseServer } from '../../../scripts/clickhouse.mjs'

const listening: Server[] = []
let server: ClickhouseServer | undefined

afterEach(async () => {
  await server?.stop()
  server = undefined
  await Promise.all(listening.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A loopback port some other process holds for the length of the test. */
const takenPort = () =>
  new Promise<number>((resolve) => {
    const holder = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1', () => {
      listening.push(holder)
      resolve((holder.address() as { port: number }).port)
    })
  })

/** A port held by a server that answers every request 200 "Ok.", as another ClickHouse's /ping does. */
const portAnsweringOk = () =>
  new Promise<number>((resolve) => {
    const impostor = createHttpServer((_, response) => response.end('Ok.\n')).listen(0, '127.0.0.1', () => {
      listening.push(impostor as unknown as Server)
      resolve((impostor.address() as { port: number }).port)
    })
  })

describe('startClickhouse', () => {
  it('starts on new ports when the first HTTP port is taken before the server binds it', async () => {
    const taken = await takenPort()
    const picks: number[] = []
    const pickPort = async () => {
      const port = picks.length === 0 ? taken : await freePort()
      picks.push(port)
      return port
    }
    server = await startClickhouse({ pickPort })
    expect(picks[0]).toBe(taken)
    expect(picks.length).toBe(6)
    expect(server.ports.http).toBe(picks[3])
    expect(server.url).toBe(`http://127.0.0.1:${picks[3]}`)
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe('Ok.\n')
  }, 60_000)

  it('gives up after five clashes and names the server’s reason', async () => {
    const taken = await takenPort()
    let picks = 0
    const pickPort = async () => (picks++ % 3 === 0 ? taken : await freePort())
    await expect(startClickhouse({ pickPort })).rejects.toThrow(/exited 70: .*Address already in use/)
    expect(picks).toBe(15)
  }, 60_000)

  it('does not take another server answering /ping on its port for its own', async () => {
    const taken = await portAnsweringOk()
    let picks = 0
    const pickPort = async () => (picks++ === 0 ? taken : await freePort())
    server = await startClickhouse({ pickPort })
    expect(server.ports.http).not.toBe(taken)
    const query = encodeURIComponent("SELECT data_path FROM system.databases WHERE name = 'default'")
    expect(await (await fetch(`${server.url}/?query=${query}`)).text()).toContain(server.dir)
  }, 60_000)
})

// Starts a throwaway clickhouse-server for tests, the demo and the bench: 127.0.0.1 only, free
// ports, its data and config in a temp folder, no systemd. Debian's `clickhouse-server` (18.16)
// is what CI installs; any later release reads the same config.
// CLI: `node scripts/clickhouse.mjs` prints the HTTP URL and runs until Ctrl-C.
/* global fetch, AbortSignal */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Where Debian puts the server; `FL_CLICKHOUSE_SERVER` points elsewhere. */
const CANDIDATES = [process.env.FL_CLICKHOUSE_SERVER, '/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server']

/** How long the server may take to answer /ping (18.16 starts in about a second, slower on a busy box). */
const START_TIMEOUT_MS = 30_000

/**
 * How many sets of ports a first start may try. `freePort()` closes its probe before the server
 * binds, so another process (a parallel test's server, a browser) can take the port in between;
 * 18.16 then exits 70 with "Address already in use", and new ports are the cure.
 */
const START_ATTEMPTS = 5

/** A failed start; `isPortClash` when another process holds one of its ports, so new ports may do. */
const startError = (message, isPortClash) => Object.assign(new Error(message), { isPortClash })

/** The server binary, or undefined when it is not installed. */
export function clickhouseServerPath() {
  const found = CANDIDATES.find((path) => path && existsSync(path))
  if (found) return found
  const which = spawnSync('sh', ['-c', 'command -v clickhouse-server'], { encoding: 'utf8' })
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined
}

/** Throws with the install line when the server is missing: tests fail, they never skip. */
export function assertClickhouse() {
  const path = clickhouseServerPath()
  if (!path) {
    throw new Error(
      'clickhouse-server not found: apt-get install -y --no-install-recommends clickhouse-server clickhouse-client',
    )
  }
  return path
}

/** A loopback port free when probed (and closed again: another process may take it before use). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const config = (dir, ports) => `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>0</uncompressed_cache_size>
</yandex>
`

const users = (maxMemoryBytes) => `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>${maxMemoryBytes}</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`

/**
 * Starts clickhouse-server and resolves once `/ping` answers. `stop()` kills it (SIGTERM, then
 * SIGKILL after 5 s) and removes the folder unless `keep` is set. `pause()`/`resume()` stop and
 * start the same server on the same ports and data, for outage tests.
 *
 * `maxMemoryBytes`: the per-query memory cap. 4 GB by default keeps tests within a shared CI box;
 * the bench passes ClickHouse's own default (10 GB), which the 10M-event report needs.
 * `pickPort`: where ports come from (a test passes a taken one to prove the retry).
 */
export async function startClickhouse({ keep = false, maxMemoryBytes = 4_000_000_000, pickPort = freePort } = {}) {
  const binary = assertClickhouse()
  const dir = await mkdtemp(join(tmpdir(), 'frictionlog-clickhouse-'))
  await writeFile(join(dir, 'users.xml'), users(maxMemoryBytes))
  let ports
  let url
  let child

  const choosePorts = async () => {
    ports = { http: await pickPort(), tcp: await pickPort(), interserver: await pickPort() }
    url = `http://127.0.0.1:${ports.http}`
    await writeFile(join(dir, 'config.xml'), config(dir, ports))
    await rm(join(dir, 'error.log'), { force: true })
  }

  /** The server's own reason: 18.16 writes it to error.log, not to stderr. */
  const lastError = async () => {
    const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')
    return log.trim().split('\n').slice(-3).join('\n')
  }

  /** Whether the server answering `url` keeps its data in `dir`, that is, is the one started here. */
  const answersFromDir = async () => {
    const query = encodeURIComponent("SELECT data_path FROM system.databases WHERE name = 'default'")
    try {
      const response = await fetch(`${url}/?query=${query}`, { signal: AbortSignal.timeout(5000) })
      return response.ok && (await response.text()).startsWith(dir + '/')
    } catch {
      return false
    }
  }

  const launch = async () => {
    child = spawn(binary, [`--config-file=${join(dir, 'config.xml')}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)))
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline) {
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 100))])
      if (code !== undefined) {
        const reason = await lastError()
        throw startError(
          `clickhouse-server exited ${code}: ${reason || stderr}`,
          reason.includes('Address already in use'),
        )
      }
      let answered = false
      try {
        // Bounded: whatever else holds the port may accept and never answer.
        answered = (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).ok
      } catch {
        // not listening yet
      }
      if (!answered) continue
      if (await answersFromDir()) return
      // Another server (another test's ClickHouse) holds the HTTP port; ours cannot bind it. It
      // must be gone before a retry starts in the same folder, which it locks.
      child.kill('SIGKILL')
      await exited
      throw startError(`clickhouse-server: another server answers ${url}`, true)
    }
    child.kill('SIGKILL')
    throw new Error(`clickhouse-server did not answer ${url}/ping within ${START_TIMEOUT_MS} ms: ${stderr}`)
  }

  const halt = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  for (let attempt = 1; ; attempt++) {
    await choosePorts()
    try {
      await launch()
      break
    } catch (error) {
      if (!error.isPortClash || attempt === START_ATTEMPTS) {
        if (!keep) await rm(dir, { recursive: true, force: true })
        throw error
      }
    }
  }
  return {
    url,
    dir,
    ports,
    get pid() {
      return child.pid
    },
    pause: halt,
    resume: launch,
    async stop() {
      await halt()
      if (!keep) await rm(dir, { recursive: true, force: true })
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startClickhouse()
  console.log(`clickhouse-server ${server.url} (data in ${server.dir}); Ctrl-C stops it`)
  const stop = () => server.stop().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

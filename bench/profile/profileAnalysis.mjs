// The CDP sampling profile of one visit, summed per source file, function and line (bench/profile.mjs, step 4).
import { readFileSync } from 'node:fs'
import { round } from '../lib.mjs'

/** Tasks longer than this are long tasks (the Long Tasks API's threshold). */
export const LONG_TASK_MS = 50
/** The SDK files, by the name the page loads them with (/fl/profile/<name>.js). */
export const FILES = { tag: 'tag.min', tagDev: 'tag.dev', core: 'core.min', coreDev: 'core.dev' }
// ---------------------------------------------------------------------------- profile analysis

export const V8_INTERNAL = new Set(['(program)', '(garbage collector)', '(idle)', '(root)'])
export const sdkFileOf = (url) =>
  Object.values(FILES).find((name) => String(url ?? '').endsWith(`/fl/profile/${name}.js`))
// The SDK's pass-through frames (the guard, the listener hub): an entry point is the handler they run.
export const isGuard = (frame) => frame.file.endsWith('lib/guard.ts') || frame.file.endsWith('lib/listen.ts')

/**
 * Names a call frame (profile node or trace stack frame, 0-based line and column):
 * { file, fn, key, isSdk }. SDK frames go through the source maps; frames of scripts without
 * a URL (Playwright's injected scripts, evaluations) are kept apart from native functions.
 */
export const frameNamer =
  (mappers) =>
  ({ functionName, url, scriptId, lineNumber, columnNumber }) => {
    const fn = functionName || '(anonymous)'
    if (!url) {
      if (V8_INTERNAL.has(functionName))
        return { file: `v8 ${functionName}`, fn, key: `v8 ${functionName}`, isSdk: false }
      const file = scriptId && scriptId !== '0' ? '(injected / evaluated script: Playwright)' : '(native / builtin)'
      return { file, fn, key: `${fn} ${file}`, isSdk: false }
    }
    const sdkName = sdkFileOf(url)
    if (sdkName) {
      const { file, line } = mappers[sdkName](lineNumber, columnNumber)
      return { file, fn, key: `${fn} ${file}:${line}`, isSdk: true, sdkName }
    }
    const path = url.startsWith('http') ? new URL(url).pathname : url
    const file = path.endsWith('.html') ? `page ${path.split('/').pop()}` : path.slice(0, 80)
    return { file, fn, key: `${fn} ${file}:${lineNumber + 1}`, isSdk: false }
  }

/**
 * Per sample: its time (until the next sample, as DevTools counts it), timestamp and stack
 * (leaf first). Idle samples are kept (flagged) so time windows can be cut out of them.
 */
export const samplesOf = (profile, nameFrame) => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const frames = new Map(profile.nodes.map((node) => [node.id, nameFrame(node.callFrame)]))
  const stacks = new Map()
  const stackOf = (id) => {
    if (stacks.has(id)) return stacks.get(id)
    const stack = []
    for (let at = id; at !== undefined; at = parent.get(at)) {
      if (nodes.get(at).callFrame.functionName !== '(root)') stack.push(frames.get(at))
    }
    stacks.set(id, stack)
    return stack
  }
  const samples = []
  let ts = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    ts += profile.timeDeltas[i]
    const next = i + 1 < profile.timeDeltas.length ? Math.max(0, profile.timeDeltas[i + 1]) / 1000 : 0
    const stack = stackOf(profile.samples[i])
    samples.push({
      ts,
      ms: next,
      threadMs: next,
      stack,
      nodeId: profile.samples[i],
      isIdle: !stack.length || stack[0].key === 'v8 (idle)',
    })
  }
  return samples
}

/**
 * The sampler counts wall time: on a shared machine a descheduled renderer, and a blocking call
 * (a synchronous IPC), still collect samples. Each sample is scaled by thread time / wall time
 * of the innermost trace event around it (both measured by the trace), an estimate of the CPU
 * time the same code would have used: what ScriptDuration (thread time) counts.
 */
export const scaleToThreadTime = (samples, events) => {
  const timed = events.filter((event) => event.tdur !== undefined && event.dur > 0)
  const open = []
  let i = 0
  for (const sample of samples) {
    while (i < timed.length && timed[i].ts <= sample.ts) {
      while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= timed[i].ts) open.pop()
      open.push(timed[i++])
    }
    while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= sample.ts) open.pop()
    const inner = open[open.length - 1]
    sample.threadMs = inner ? sample.ms * Math.min(1, inner.tdur / inner.dur) : sample.ms
  }
}

/** Self (leaf) and total (anywhere on the stack, once per sample) time by `keyOf(frame)`, wall and ~thread. */
export const aggregate = (samples, keyOf) => {
  const table = new Map()
  const rowOf = (frame) => {
    const key = keyOf(frame)
    return (
      table.get(key) ??
      table.set(key, { key, isSdk: frame.isSdk, selfMs: 0, totalMs: 0, selfThreadMs: 0, totalThreadMs: 0 }).get(key)
    )
  }
  for (const sample of samples) {
    if (sample.isIdle) continue
    const leaf = rowOf(sample.stack[0])
    leaf.selfMs += sample.ms
    leaf.selfThreadMs += sample.threadMs
    for (const row of new Set(sample.stack.map(rowOf))) {
      row.totalMs += sample.ms
      row.totalThreadMs += sample.threadMs
    }
  }
  return [...table.values()].sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs)
}

export const sum = (values) => values.reduce((total, value) => total + value, 0)
export const ms = (value) => round(value, 1)

/** The listener, timer, observer or script top level that ran: the outermost SDK frame, wrappers (guard) skipped. */
export const entryOf = (sample) => {
  const outer = [...sample.stack].reverse().filter((frame) => frame.isSdk)
  return outer.find((frame) => !isGuard(frame)) ?? outer[0]
}

export const sourceLines = new Map()
export const sourceLine = (path, line) => {
  if (!sourceLines.has(path)) {
    try {
      sourceLines.set(path, readFileSync(path, 'utf8').split('\n'))
    } catch {
      sourceLines.set(path, [])
    }
  }
  return (sourceLines.get(path)[line - 1] ?? '').trim().slice(0, 90)
}

/**
 * Self time of SDK code by source line: each node's self time shared out by its positionTicks
 * (the generated lines the samples hit), mapped to the sources. Says which statement is hot.
 */
export const hotLines = (profile, samples, mappers) => {
  const self = new Map()
  for (const sample of samples) {
    if (sample.isIdle || !sample.stack[0].isSdk) continue
    const entry = self.get(sample.nodeId) ?? self.set(sample.nodeId, { ms: 0, threadMs: 0 }).get(sample.nodeId)
    entry.ms += sample.ms
    entry.threadMs += sample.threadMs
  }
  const lines = new Map()
  for (const node of profile.nodes) {
    const time = self.get(node.id)
    const sdkName = sdkFileOf(node.callFrame.url)
    if (!time || !sdkName || !node.positionTicks?.length) continue
    const ticks = sum(node.positionTicks.map((tick) => tick.ticks))
    for (const tick of node.positionTicks) {
      const { file, path, line } = mappers[sdkName](tick.line - 1, 0)
      const key = `${file}:${line}`
      const row =
        lines.get(key) ??
        lines
          .set(key, {
            key,
            isSdk: true,
            fn: node.callFrame.functionName || '(anonymous)',
            code: path ? sourceLine(path, line) : '',
            selfMs: 0,
            selfThreadMs: 0,
          })
          .get(key)
      row.selfMs += (time.ms * tick.ticks) / ticks
      row.selfThreadMs += (time.threadMs * tick.ticks) / ticks
    }
  }
  return [...lines.values()].sort((a, b) => b.selfThreadMs - a.selfThreadMs)
}

export const analyzeProfile = (samples) => {
  const busy = samples.filter((sample) => !sample.isIdle)
  const withSdk = busy.filter((sample) => sample.stack.some((frame) => frame.isSdk))
  const entries = new Map()
  for (const sample of withSdk) {
    const row =
      entries.get(entryOf(sample).key) ??
      entries
        .set(entryOf(sample).key, { key: entryOf(sample).key, totalMs: 0, totalThreadMs: 0 })
        .get(entryOf(sample).key)
    row.totalMs += sample.ms
    row.totalThreadMs += sample.threadMs
  }
  return {
    busyMs: sum(busy.map((sample) => sample.ms)),
    busyThreadMs: sum(busy.map((sample) => sample.threadMs)),
    sdkTotalMs: sum(withSdk.map((sample) => sample.ms)),
    sdkTotalThreadMs: sum(withSdk.map((sample) => sample.threadMs)),
    files: aggregate(samples, (frame) => frame.file),
    sdkFunctions: aggregate(samples, (frame) => frame.key).filter((row) => row.isSdk),
    entries: [...entries.values()].sort((a, b) => b.totalMs - a.totalMs),
  }
}

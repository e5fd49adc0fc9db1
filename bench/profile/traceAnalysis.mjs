// A Chromium trace of one visit: main-thread time by task, long tasks, SDK callbacks, forced layouts
// (bench/profile.mjs, step 3).
import { aggregate, isGuard, LONG_TASK_MS, ms, sdkFileOf, sum } from './profileAnalysis.mjs'
// ---------------------------------------------------------------------------- trace analysis

// Events inside which JavaScript runs: a layout or style recalc nested in one was forced by script.
export const JS_EVENTS = new Set([
  'EvaluateScript',
  'FunctionCall',
  'v8.callFunction',
  'v8.run',
  'v8.evaluateModule',
  'RunMicrotasks',
])
export const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask'])

/** The page's renderer main thread (the CrRendererMain that parsed landing.html) and its events, nested. */
export const parseTrace = (raw) => {
  const renderers = raw.filter(
    (event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
  )
  const parsed = raw.find(
    (event) => event.name === 'ParseHTML' && String(event.args?.beginData?.url ?? '').includes('/landing.html'),
  )
  const main =
    renderers.find((thread) => parsed && thread.pid === parsed.pid && thread.tid === parsed.tid) ?? renderers[0]
  if (!main) return undefined
  const complete = []
  const open = []
  const mine = raw.filter((event) => event.pid === main.pid && event.tid === main.tid && event.ts !== undefined)
  for (const event of mine.sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X') complete.push({ ...event, dur: event.dur ?? 0 })
    else if (event.ph === 'B') open.push(event)
    else if (event.ph === 'E') {
      const begin = open.pop()
      const tdur = event.tts !== undefined && begin?.tts !== undefined ? event.tts - begin.tts : undefined
      if (begin)
        complete.push({ ...begin, args: { ...begin.args, ...event.args }, ph: 'X', dur: event.ts - begin.ts, tdur })
    }
  }
  complete.sort((a, b) => a.ts - b.ts || b.dur - a.dur)
  const stack = []
  for (const event of complete) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= event.ts) stack.pop()
    event.parent = stack[stack.length - 1]
    event.depth = stack.length
    stack.push(event)
  }
  return { pid: main.pid, tid: main.tid, events: complete, start: parsed?.ts ?? complete[0]?.ts ?? 0 }
}

/** A label for a trace event: its name and what it ran (DOM event type, function, script URL). */
export const describeEvent = (event, nameFrame) => {
  const data = event.args?.data ?? event.args?.beginData ?? {}
  const url = data.url ?? ''
  const parts = [event.name]
  if (data.type) parts.push(data.type)
  if (event.name === 'EvaluateScript') parts.push(url.replace(/^https?:\/\/[^/]+/, ''))
  else if (data.functionName !== undefined || (url && data.lineNumber !== undefined)) {
    // Trace lines and columns are 1-based.
    parts.push(
      nameFrame({
        functionName: data.functionName ?? '',
        url,
        scriptId: data.scriptId,
        lineNumber: Math.max(0, (data.lineNumber ?? 1) - 1),
        columnNumber: Math.max(0, (data.columnNumber ?? 1) - 1),
      }).key,
    )
  } else if (url) parts.push(url.replace(/^https?:\/\/[^/]+/, ''))
  return parts.join(' ')
}

/** What made a callback run: the DOM event dispatched, a timer, or the task's first event. */
export const triggerOf = (event) => {
  let outer = event
  for (let at = event.parent; at; at = at.parent) {
    if (at.name === 'EventDispatch') return `on ${at.args?.data?.type}`
    if (at.name === 'TimerFire') return 'timer'
    if (at.name === 'FireAnimationFrame') return 'animation frame'
    if (!TASK_EVENTS.has(at.name)) outer = at
  }
  return outer === event ? 'task' : outer.name
}

export const analyzeTrace = (trace, samples, nameFrame) => {
  const { events, start, pid, tid, raw } = trace
  const isSdkEvent = (event) =>
    (event.name === 'FunctionCall' || event.name === 'EvaluateScript') && sdkFileOf(event.args?.data?.url)
  const hasSdkAncestor = (event) => {
    for (let at = event.parent; at; at = at.parent) if (isSdkEvent(at)) return true
    return false
  }

  // Every SDK callback and script evaluation: invocations, wall and thread time, by trigger.
  const calls = new Map()
  for (const event of events) {
    if (!isSdkEvent(event) || hasSdkAncestor(event)) continue
    const key = `${describeEvent(event, nameFrame).replace(/^FunctionCall /, '')} [${triggerOf(event)}]`
    const row = calls.get(key) ?? calls.set(key, { key, calls: 0, wallMs: 0, threadMs: 0 }).get(key)
    row.calls++
    row.wallMs += event.dur / 1000
    row.threadMs += (event.tdur ?? event.dur) / 1000
  }

  // Layout and style recalcs run inside JavaScript (forced), by the script frame that forced them.
  const forced = new Map()
  for (const event of events) {
    if (event.name !== 'Layout' && event.name !== 'UpdateLayoutTree') continue
    let js
    for (let at = event.parent; at && !js; at = at.parent) if (JS_EVENTS.has(at.name)) js = at
    if (!js) continue
    const stackTrace = event.args?.beginData?.stackTrace ?? event.args?.data?.stackTrace ?? []
    const toFrame = (frame) =>
      nameFrame({
        ...frame,
        lineNumber: Math.max(0, frame.lineNumber - 1),
        columnNumber: Math.max(0, frame.columnNumber - 1),
      })
    const frame =
      stackTrace.map(toFrame).find((candidate) => candidate.isSdk && !isGuard(candidate)) ??
      (stackTrace[0] && toFrame(stackTrace[0]))
    const key = `${event.name} ← ${frame ? frame.key : `(no stack) in ${describeEvent(js, nameFrame)}`}`
    const row = forced.get(key) ?? forced.set(key, { key, isSdk: !!frame?.isSdk, count: 0, ms: 0 }).get(key)
    row.count++
    row.ms += event.dur / 1000
  }

  // Parse and compile of the SDK file, on the main thread or off it (streaming).
  const compile = new Map()
  for (const event of raw) {
    if (event.ph !== 'X' || !/compile|parse|deserialize|cache/i.test(event.name) || event.name === 'ParseHTML') continue
    if (!sdkFileOf(event.args?.data?.url ?? event.args?.fileName ?? event.args?.data?.fileName)) continue
    const key = `${event.name} (${event.pid === pid && event.tid === tid ? 'main thread' : 'other thread'})`
    const row = compile.get(key) ?? compile.set(key, { key, count: 0, ms: 0, threadMs: 0 }).get(key)
    row.count++
    row.ms += (event.dur ?? 0) / 1000
    row.threadMs += (event.tdur ?? event.dur ?? 0) / 1000
  }

  // Tasks: the long ones in full, and the longest ones that ran SDK code.
  const tasks = events.filter((event) => TASK_EVENTS.has(event.name) && !TASK_EVENTS.has(event.parent?.name))
  const busy = samples.filter((sample) => !sample.isIdle)
  let cursor = 0
  const reports = tasks.map((task) => {
    while (cursor < busy.length && busy[cursor].ts < task.ts) cursor++
    const inside = []
    for (let i = cursor; i < busy.length && busy[i].ts < task.ts + task.dur; i++) inside.push(busy[i])
    const end = task.ts + task.dur
    let sdkThreadMs = 0
    for (let i = events.indexOf(task) + 1; i < events.length && events[i].ts < end; i++) {
      if (isSdkEvent(events[i]) && !hasSdkAncestor(events[i])) sdkThreadMs += (events[i].tdur ?? events[i].dur) / 1000
    }
    return { task, inside, sdkThreadMs }
  })
  const describeTask = ({ task, inside, sdkThreadMs }) => {
    const end = task.ts + task.dur
    const children = []
    for (let i = events.indexOf(task) + 1; i < events.length && events[i].ts < end; i++) {
      const event = events[i]
      if (event.depth <= task.depth + 5 && event.dur >= 1000) children.push(event)
    }
    const stacks = new Map()
    for (const sample of inside) {
      const key = [...sample.stack]
        .reverse()
        .map((frame) => (frame.isSdk || frame.file.startsWith('page') ? frame.key : frame.fn))
        .join(' > ')
      stacks.set(key, (stacks.get(key) ?? 0) + sample.ms)
    }
    return {
      atMs: ms((task.ts - start) / 1000),
      wallMs: ms(task.dur / 1000),
      threadMs: task.tdur === undefined ? null : ms(task.tdur / 1000),
      sdkThreadMs: ms(sdkThreadMs),
      sampledMs: ms(sum(inside.map((sample) => sample.ms))),
      events: children.map(
        (event) =>
          `${'  '.repeat(event.depth - task.depth - 1)}${describeEvent(event, nameFrame)}: ` +
          `${ms(event.dur / 1000)} ms${event.tdur !== undefined ? ` (thread ${ms(event.tdur / 1000)})` : ''}`,
      ),
      selfByFunction: aggregate(inside, (frame) => frame.key)
        .slice(0, 12)
        .map((row) => ({ key: row.key, selfMs: ms(row.selfMs), totalMs: ms(row.totalMs) })),
      heaviestStacks: [...stacks]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([stack, stackMs]) => ({ ms: ms(stackMs), stack })),
    }
  }
  const sdkTasks = reports.filter((report) => report.sdkThreadMs > 0)
  // Main-thread thread time by what the tasks ran (their direct children), to compare with the baseline.
  const byEvent = new Map()
  for (const task of tasks) {
    const end = task.ts + task.dur
    let covered = 0
    for (let i = events.indexOf(task) + 1; i < events.length && events[i].ts < end; i++) {
      const event = events[i]
      // What a task ran: the outermost events in it that are not tasks themselves (tasks nest).
      if (TASK_EVENTS.has(event.name) || !TASK_EVENTS.has(event.parent?.name)) continue
      const key =
        event.name === 'EvaluateScript' || event.name === 'FunctionCall'
          ? `${event.name}${isSdkEvent(event) ? ' (SDK)' : ' (page / other)'}`
          : event.name === 'EventDispatch'
            ? `EventDispatch ${event.args?.data?.type}`
            : event.name
      const threadMs = (event.tdur ?? event.dur) / 1000
      byEvent.set(key, (byEvent.get(key) ?? 0) + threadMs)
      covered += threadMs
    }
    byEvent.set(
      '(task time outside traced events)',
      (byEvent.get('(task time outside traced events)') ?? 0) + Math.max(0, (task.tdur ?? task.dur) / 1000 - covered),
    )
  }
  return {
    taskThreadMs: sum(tasks.map((task) => (task.tdur ?? task.dur) / 1000)),
    byEvent: [...byEvent].map(([key, threadMs]) => ({ key, threadMs })).sort((a, b) => b.threadMs - a.threadMs),
    longTasks: reports.filter(({ task }) => task.dur / 1000 > LONG_TASK_MS).map(describeTask),
    topSdkTasks: [...sdkTasks]
      .sort((a, b) => b.task.dur - a.task.dur)
      .slice(0, 4)
      .map(describeTask),
    sdkTaskCount: sdkTasks.length,
    sdkTaskHistogram: [1, 4, 16, 50, Infinity].map((limit, i, limits) => {
      const from = i ? limits[i - 1] : 0
      return {
        range: `${from}–${limit} ms`,
        tasks: sdkTasks.filter(({ task }) => task.dur / 1000 >= from && task.dur / 1000 < limit).length,
      }
    }),
    callbacks: [...calls.values()].sort((a, b) => b.threadMs - a.threadMs),
    forced: [...forced.values()].sort((a, b) => b.ms - a.ms),
    compile: [...compile.values()].sort((a, b) => b.ms - a.ms),
  }
}

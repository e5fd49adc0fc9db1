// Worker thread of bench/dataset.mjs: turns NDJSON event lines into the ClickHouse sink's rows
// (`clickhouseRow`) and streams them into one INSERT, so that on two cores the generator (main
// thread), this conversion and ClickHouse's parsing run side by side. Messages in: a chunk of
// whole lines, or null at the end; out: 'chunk' after each chunk (flow control), then 'done' or
// an error message.
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { openInsert } from './dataset.mjs'

const { clickhouseRow } = await import(pathToFileURL(workerData.generatorFile).href)
const insert = openInsert(workerData.url, workerData.table)
let seq = 0
let queue = Promise.resolve()

parentPort.on('message', (chunk) => {
  queue = queue
    .then(async () => {
      if (chunk === null) {
        await insert.end()
        return parentPort.postMessage({ type: 'done' })
      }
      let text = ''
      for (const line of chunk.split('\n')) {
        // Arrival order as the sink numbers it: increasing, one per event.
        if (line) text += `${JSON.stringify(clickhouseRow(JSON.parse(line), '', ++seq))}\n`
      }
      await insert.write(text)
      parentPort.postMessage({ type: 'chunk' })
    })
    .catch((error) => parentPort.postMessage({ type: 'error', message: String(error?.stack ?? error) }))
})

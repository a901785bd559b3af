/**
 * The child process of an isolated measurement: receives one request, measures in-process, sends the result
 * (or the error) back, and exits. Started by `isolate.ts` with `child_process.fork`.
 */
import { createModelHandle } from '../model/index.js'
import { compareInProcess } from './compare.js'
import { errorMessage, type WorkerMessage } from './isolate.js'
import { benchInProcess } from './measure.js'
import type { BenchOptions, BenchProgress, CompareOptions } from './types.js'

/** A model as sent to the child: a handle's path, name and shapes. */
export interface WorkerModel {
  readonly path: string
  readonly name: string
  readonly shapes: Readonly<Record<string, readonly number[]>>
  readonly dims: Readonly<Record<string, number>>
}

/** What the parent asks for. */
export type WorkerRequest =
  | { readonly kind: 'bench'; readonly model: WorkerModel; readonly options: BenchOptions }
  | { readonly kind: 'compare'; readonly a: WorkerModel; readonly b: WorkerModel; readonly options: CompareOptions }

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })
}

const handle = (m: WorkerModel): ReturnType<typeof createModelHandle> => createModelHandle(m.path, { name: m.name, shapes: m.shapes, dims: m.dims })

async function serve(request: WorkerRequest): Promise<void> {
  const onProgress = (progress: BenchProgress): void => void send({ type: 'progress', progress })
  try {
    const value = request.kind === 'bench'
      ? await benchInProcess(handle(request.model), { ...request.options, onProgress }, true)
      : await compareInProcess(handle(request.a), handle(request.b), { ...request.options, onProgress }, true)
    await send({ type: 'result', value })
  } catch (error) {
    await send(errorMessage(error))
  }
  process.exit(0)
}

// An orphaned child (the parent died) has nothing to report to.
process.on('disconnect', () => process.exit(0))
process.once('message', (request: WorkerRequest) => void serve(request))

/**
 * Crash isolation: a measurement runs in a forked child process (`worker.ts`), so a native crash or a hang of the
 * engine ends the child, not the caller. The parent kills the child at the time-out; a crash or a time-out comes
 * back as data, a ModelgateError thrown in the child (misuse, a model the engine cannot load) is thrown again here.
 */
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ERROR_FIXES, ModelgateError, isModelgateError, type ModelgateErrorCode } from '../errors.js'
import type { BenchProgress } from './types.js'

/** What the child sends to the parent. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: BenchProgress }
  | { readonly type: 'result'; readonly value: unknown }
  | { readonly type: 'error'; readonly code: string; readonly message: string }

/** How an isolated run ended. */
export type ChildOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: 'E_RUN_CRASHED' | 'E_RUN_TIMEOUT'; readonly message: string }

/** Options of {@link runInChild}. */
export interface ChildOptions {
  readonly timeoutMs: number
  readonly onProgress?: ((progress: BenchProgress) => void) | undefined
  /** The worker module (default: this folder's `worker.ts`/`worker.js`); tests pass a misbehaving one. */
  readonly workerUrl?: URL
  /** What the run is about, for messages. */
  readonly label: string
}

/** The default worker: the `.ts` source when running from sources (vitest, tsx), else the compiled `.js`. */
export function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url)
}

/** Node options for the child: TypeScript sources need the tsx loader (resolved from here, not from the cwd). */
function execArgvFor(file: string): string[] {
  if (!file.endsWith('.ts')) return []
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
}

/** A ModelgateError sent by the child, rebuilt with its code (the message already ends with the fix). */
function rebuildError(code: string, message: string): ModelgateError {
  const known = Object.hasOwn(ERROR_FIXES, code) ? (code as ModelgateErrorCode) : 'E_INTERNAL'
  const fix = ERROR_FIXES[known]
  const problem = message.endsWith(fix) ? message.slice(0, message.length - fix.length).trimEnd() : message
  return new ModelgateError(known, problem)
}

/** The message of a crash or time-out, ending with the code's fix. */
export function outcomeMessage(code: 'E_RUN_CRASHED' | 'E_RUN_TIMEOUT', problem: string): string {
  return new ModelgateError(code, problem).message
}

/**
 * Sends `request` to a fresh worker process and waits for its result.
 * @returns the result, or a crash/time-out outcome (the child is killed at the time-out)
 * @throws ModelgateError the child's error when the run failed for a reason other than a crash
 */
export function runInChild<T>(request: unknown, options: ChildOptions): Promise<ChildOutcome<T>> {
  const file = fileURLToPath(options.workerUrl ?? defaultWorkerUrl())
  const child = fork(file, [], { execArgv: execArgvFor(file), serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let stderrTail = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000)
  })
  return new Promise<ChildOutcome<T>>((resolve, reject) => {
    let outcome: { readonly value: T } | { readonly error: ModelgateError } | undefined
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress)
      else if (message.type === 'result') outcome ??= { value: message.value as T }
      else outcome ??= { error: rebuildError(message.code, message.message) }
    })
    child.on('error', (error) => {
      // fork failed (or the kill did); the exit handler settles when the process ran at all
      outcome ??= { error: new ModelgateError('E_RUN_CRASHED', `The measuring child process for ${options.label} failed: ${error.message}.`, { cause: error }) }
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (outcome !== undefined && 'value' in outcome) return resolve({ ok: true, value: outcome.value })
      if (outcome !== undefined) return reject(outcome.error)
      if (timedOut) {
        return resolve({ ok: false, code: 'E_RUN_TIMEOUT', message: outcomeMessage('E_RUN_TIMEOUT', `${options.label} did not finish within ${options.timeoutMs} ms; the child process was killed.`) })
      }
      const how = signal === null ? `exited with code ${code ?? 'unknown'}` : `was killed by ${signal}`
      const last = stderrTail.trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ')
      resolve({ ok: false, code: 'E_RUN_CRASHED', message: outcomeMessage('E_RUN_CRASHED', `The engine's process for ${options.label} ${how}${last === '' ? '' : ` (stderr: ${last.slice(0, 600)})`}.`) })
    })
    child.send(request as object, (error) => {
      if (error !== null && error !== undefined) outcome ??= { error: new ModelgateError('E_RUN_CRASHED', `Could not send the request to the measuring child process for ${options.label}: ${error.message}.`) }
    })
  })
}

/** Serialises an error for the parent: ModelgateErrors keep their code, anything else is an internal error. */
export function errorMessage(error: unknown): WorkerMessage {
  if (isModelgateError(error)) return { type: 'error', code: error.code, message: error.message }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return { type: 'error', code: 'E_INTERNAL', message: new ModelgateError('E_INTERNAL', `Unexpected error while measuring: ${text}.`).message }
}

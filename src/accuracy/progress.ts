/**
 * The progress line of an evaluation: rewritten in place on a TTY (at most ~10 times a second), silent otherwise.
 */
import type { ProgressStream } from './types.js'

/** A progress line; `update` is cheap to call after every batch. */
export interface ProgressLine {
  update(done: number, total: number, samplesPerSec: number): void
  /** Clears the line. */
  done(): void
}

const SILENT: ProgressLine = { update() {}, done() {} }

/**
 * Opens a progress line.
 * @param stream where it goes (nothing unless `isTTY`); undefined means process.stderr
 * @param label what is evaluated, e.g. the model name
 * @param now clock in ms (tests inject one)
 */
export function openProgress(stream: ProgressStream | false | undefined, label: string, now: () => number = () => performance.now()): ProgressLine {
  const out = stream === undefined ? process.stderr : stream
  if (out === false || out.isTTY !== true) return SILENT
  let last = -Infinity
  let shown = false
  return {
    update(done, total, samplesPerSec) {
      const t = now()
      if (t - last < 100 && done < total) return
      last = t
      shown = true
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100)
      const rate = Number.isFinite(samplesPerSec) && samplesPerSec > 0 ? ` · ${samplesPerSec.toFixed(samplesPerSec < 100 ? 1 : 0)} samples/s` : ''
      out.write(`\r\x1b[2Kevaluating ${label}: ${done}/${total} (${pct}%)${rate}`)
    },
    done() {
      if (shown) out.write('\r\x1b[2K')
    },
  }
}

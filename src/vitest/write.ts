/**
 * The single writer of baselines: applies a run's entries to each baseline file, finds obsolete entries (and
 * files), and prunes them in a full, unfiltered update run only. Every write is atomic; a file that does not
 * parse is never overwritten unless the run updates.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  applyEntries, emptyBaseline, obsoleteKeys, parseBaseline, projectPath, serializeBaseline, writeTextAtomically,
  type BaselineEntry, type BaselineFile,
} from '../baseline/index.js'
import { isModelgateError } from '../errors.js'
import type { GateContext } from '../matchers/gate-context.js'
import type { CollectedRun, FileChecks } from './collect.js'

/** An entry no test of the run checked. */
export interface ObsoleteEntry {
  /** Baseline file relative to the root. */
  readonly file: string
  readonly key: string
  readonly entry: BaselineEntry
}

/** What the writer did. */
export interface WriteOutcome {
  /** Files written (relative to the root), with the number of entries added or changed. */
  readonly written: { readonly file: string; readonly changed: number; readonly pruned: number }[]
  /** Files deleted (obsolete files, or emptied by pruning). */
  readonly deleted: string[]
  readonly obsolete: ObsoleteEntry[]
  /** Files left alone because they do not parse (the tests checking them failed with the reason). */
  readonly unreadable: { readonly file: string; readonly reason: string }[]
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Applies a run to the baseline files.
 * @param run what the tests sent
 * @param context the gate's options (update mode, folders)
 * @param fullRun true when every test file ran with no name filter: only then are obsolete entries pruned
 */
export async function writeBaselines(run: CollectedRun, context: GateContext, fullRun: boolean): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], deleted: [], obsolete: [], unreadable: [] }
  const prune = context.update === 'all' && fullRun
  for (const checks of [...run.files.values()].sort((a, b) => (a.display < b.display ? -1 : 1))) {
    await applyFile(checks, context, prune, outcome)
  }
  if (fullRun) await handleOrphanFiles(run, context, prune, outcome)
  return outcome
}

async function applyFile(checks: FileChecks, context: GateContext, prune: boolean, outcome: WriteOutcome): Promise<void> {
  const text = readText(checks.path)
  let committed: BaselineFile | undefined
  if (text !== undefined) {
    try {
      committed = parseBaseline(text, checks.display)
    } catch (error) {
      if (!isModelgateError(error)) throw error
      if (context.update !== 'all') {
        outcome.unreadable.push({ file: checks.display, reason: error.message })
        return
      }
    }
  }
  const obsolete = committed !== undefined && checks.complete ? obsoleteKeys(committed, checks.checked, checks.protectedTests) : []
  for (const key of obsolete) outcome.obsolete.push({ file: checks.display, key, entry: committed!.entries[key]! })
  const pruned = new Set(prune ? obsolete : [])
  if (checks.updates.size === 0 && pruned.size === 0 && !(text !== undefined && committed === undefined)) return
  const next = applyEntries(committed ?? emptyBaseline(), checks.updates, pruned)
  if (Object.keys(next.entries).length === 0) {
    if (text !== undefined) {
      await rm(checks.path, { force: true })
      outcome.deleted.push(checks.display)
    }
    return
  }
  const serialized = serializeBaseline(next)
  if (serialized === text) return
  await writeTextAtomically(checks.path, serialized, checks.display)
  outcome.written.push({ file: checks.display, changed: checks.updates.size, pruned: pruned.size })
}

/** Baseline files whose test file did not run in a full run: their test file is gone or renamed. */
async function handleOrphanFiles(run: CollectedRun, context: GateContext, prune: boolean, outcome: WriteOutcome): Promise<void> {
  for (const path of listJsonFiles(context.baselineDir)) {
    if (run.files.has(path)) continue
    const display = projectPath(context.root, path)
    let file: BaselineFile
    try {
      file = parseBaseline(readText(path) ?? '', display)
    } catch {
      continue // not ours, or broken: never delete what we cannot read
    }
    for (const [key, entry] of Object.entries(file.entries)) outcome.obsolete.push({ file: display, key, entry })
    if (prune) {
      await rm(path, { force: true })
      outcome.deleted.push(display)
    }
  }
}

function listJsonFiles(dir: string): string[] {
  let names: import('node:fs').Dirent[]
  try {
    names = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: string[] = []
  for (const d of names) {
    const path = join(dir, d.name)
    if (d.isDirectory()) out.push(...listJsonFiles(path))
    else if (d.isFile() && d.name.endsWith('.json')) out.push(path)
  }
  return out.sort()
}

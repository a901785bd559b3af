/**
 * Finding the baseline model's bytes again, for a paired latency run: a baseline entry records the model's
 * SHA-256 (the id a Git LFS pointer carries: `oid sha256:…`) and its git blob id (SHA-1 of `blob <length>\0` +
 * the bytes, computable without git). In order:
 * 1. a path the user names (`baselineModel`), checked against the SHA-256;
 * 2. the Git LFS object store, `<git dir>/lfs/objects/<aa>/<bb>/<sha256>`, filled by `actions/checkout` with
 *    `lfs: true` or `git lfs fetch`;
 * 3. the git object database: `git cat-file blob <gitBlob>` (present in any clone with enough history);
 * 4. a ref the user names (`baselineRef`, `--baseline-ref`): `git cat-file blob <ref>:<model path>`, an LFS
 *    pointer there resolved through the LFS store.
 * Every candidate is checked against the recorded SHA-256. git runs as a child process without a shell, with a
 * time-out and an output bound. When nothing is found the reason says what to change (a shallow clone is named).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

/** The git blob id of some bytes: SHA-1 of `blob <length>\0` followed by the bytes, lowercase hex. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** SHA-256 of some bytes, lowercase hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A parsed Git LFS pointer file. */
export interface LfsPointer {
  readonly sha256: string
  readonly size: number
}

/** Parses a Git LFS pointer (`version https://git-lfs.github.com/spec/v1`, `oid sha256:<hex>`, `size <n>`); undefined for anything else. */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (bytes.length > 1024) return undefined
  const text = Buffer.from(bytes).toString('utf8')
  if (!text.startsWith('version https://git-lfs.github.com/spec/')) return undefined
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)
  const size = /^size (\d+)$/m.exec(text)
  if (oid === null || size === null) return undefined
  return { sha256: oid[1]!, size: Number(size[1]) }
}

/** What the baseline entry says about the old bytes. */
export interface BaselineModelIdentity {
  /** Model path relative to the project root. */
  readonly model: string
  readonly sha256: string
  readonly gitBlob?: string | undefined
}

/** Options of {@link recoverBaselineModel}. */
export interface RecoverOptions {
  /** The project root (any folder inside the git work tree). */
  readonly root: string
  /** A file holding the baseline's bytes, relative to the root or absolute. */
  readonly baselineModel?: string | undefined
  /** A git ref whose tree holds the baseline's model at the entry's path (e.g. `origin/main`). */
  readonly baselineRef?: string | undefined
  /** Time-out of each git command, ms. @default 30000 */
  readonly timeoutMs?: number
}

/** The outcome of {@link recoverBaselineModel}. */
export type RecoverResult =
  | { readonly state: 'found'; readonly bytes: Uint8Array; readonly source: string }
  | { readonly state: 'missing'; readonly reason: string }

/** Largest model read from git: Node's buffers stop at 2 GiB − 1 on some platforms. */
const MAX_BYTES = 2 ** 31 - 1

interface GitOutput {
  readonly ok: boolean
  readonly stdout: Buffer
  readonly stderr: string
}

function git(args: readonly string[], cwd: string, timeoutMs: number): Promise<GitOutput> {
  return new Promise((resolvePromise) => {
    execFile('git', [...args], { cwd, encoding: 'buffer', timeout: timeoutMs, maxBuffer: MAX_BYTES, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      resolvePromise({ ok: error === null, stdout, stderr: stderr.toString('utf8').trim() })
    })
  })
}

/**
 * Finds the bytes of the model a baseline entry was written from.
 * @param identity the entry's model path, SHA-256 and git blob id
 * @param options project root, and the user's `baselineModel` / `baselineRef`
 * @returns the bytes and where they came from, or why they could not be had
 */
export async function recoverBaselineModel(identity: BaselineModelIdentity, options: RecoverOptions): Promise<RecoverResult> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const tried: string[] = []
  if (options.baselineModel !== undefined) {
    const path = isAbsolute(options.baselineModel) ? options.baselineModel : resolve(options.root, options.baselineModel)
    let bytes: Uint8Array | undefined
    try {
      bytes = readFileSync(path)
    } catch {
      tried.push(`baselineModel ${options.baselineModel} cannot be read`)
    }
    if (bytes !== undefined) {
      const pointer = parseLfsPointer(bytes)
      const sha256 = pointer === undefined ? sha256Of(bytes) : undefined
      if (sha256 === identity.sha256) return { state: 'found', bytes, source: `baselineModel ${options.baselineModel}` }
      if (sha256 !== undefined) tried.push(`baselineModel ${options.baselineModel} has SHA-256 ${sha256.slice(0, 12)}…, not the baseline's ${identity.sha256.slice(0, 12)}…`)
      else tried.push(`baselineModel ${options.baselineModel} is a Git LFS pointer`)
    }
  }
  const gitDirOut = await git(['rev-parse', '--absolute-git-dir'], options.root, timeoutMs)
  if (!gitDirOut.ok) {
    tried.push('the project is not in a git repository')
    return { state: 'missing', reason: missingReason(tried, false) }
  }
  const gitDir = gitDirOut.stdout.toString('utf8').trim()
  const fromLfs = readLfsObject(gitDir, identity.sha256)
  if (fromLfs !== undefined) return { state: 'found', bytes: fromLfs, source: 'Git LFS object store' }
  // Worktrees keep LFS objects in the common git dir.
  const common = await git(['rev-parse', '--git-common-dir'], options.root, timeoutMs)
  if (common.ok) {
    const commonDir = resolve(options.root, common.stdout.toString('utf8').trim())
    const fromCommon = commonDir === gitDir ? undefined : readLfsObject(commonDir, identity.sha256)
    if (fromCommon !== undefined) return { state: 'found', bytes: fromCommon, source: 'Git LFS object store' }
  }
  if (identity.gitBlob !== undefined) {
    const blob = await git(['cat-file', 'blob', identity.gitBlob], options.root, timeoutMs)
    if (blob.ok && sha256Of(blob.stdout) === identity.sha256) return { state: 'found', bytes: blob.stdout, source: `git object ${identity.gitBlob.slice(0, 12)}` }
    tried.push(`git object ${identity.gitBlob.slice(0, 12)}… is not in this clone`)
  } else {
    tried.push('the baseline entry records no git blob id (written by an older modelgate: update it once)')
  }
  if (options.baselineRef !== undefined) {
    const spec = `${options.baselineRef}:${identity.model}`
    const atRef = await git(['cat-file', 'blob', spec], options.root, timeoutMs)
    if (atRef.ok) {
      const pointer = parseLfsPointer(atRef.stdout)
      if (pointer !== undefined) {
        const object = pointer.sha256 === identity.sha256 ? readLfsObject(gitDir, pointer.sha256) : undefined
        if (object !== undefined) return { state: 'found', bytes: object, source: `Git LFS object of ${spec}` }
        tried.push(`${spec} is a Git LFS pointer whose object is ${pointer.sha256 === identity.sha256 ? 'not fetched (checkout with lfs: true, or git lfs fetch)' : 'another model than the baseline\'s'}`)
      } else if (sha256Of(atRef.stdout) === identity.sha256) {
        return { state: 'found', bytes: atRef.stdout, source: spec }
      } else {
        tried.push(`${spec} is another model than the baseline's (SHA-256 differs)`)
      }
    } else {
      tried.push(`${spec} does not exist in this clone`)
    }
  }
  const shallow = await git(['rev-parse', '--is-shallow-repository'], options.root, timeoutMs)
  return { state: 'missing', reason: missingReason(tried, shallow.ok && shallow.stdout.toString('utf8').trim() === 'true') }
}

function readLfsObject(gitDir: string, sha256: string): Uint8Array | undefined {
  const path = join(gitDir, 'lfs', 'objects', sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  try {
    const bytes = readFileSync(path)
    return sha256Of(bytes) === sha256 ? bytes : undefined
  } catch {
    return undefined
  }
}

function missingReason(tried: readonly string[], shallow: boolean): string {
  const fix = 'fetch enough history (actions/checkout with fetch-depth: 0; lfs: true for LFS models), or name the old bytes with baselineModel or --baseline-ref'
  const head = shallow ? 'the baseline\'s model bytes are not in this shallow clone' : 'the baseline\'s model bytes were not found'
  return `${head}: ${tried.join('; ')}; ${fix}`
}

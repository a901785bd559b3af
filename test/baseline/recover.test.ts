/**
 * Recovering the baseline model's bytes from a real temporary git repository: a plain blob, an LFS pointer whose
 * object sits in .git/lfs/objects (made by hand: git-lfs need not be installed), a named path and ref, and a
 * shallow clone that lacks the old blob.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gitBlobId, parseLfsPointer, recoverBaselineModel } from '../../src/baseline/index.js'

const OLD = new Uint8Array(Buffer.from('old model bytes \u0000\u0001\u0002 v1'))
const NEW = new Uint8Array(Buffer.from('new model bytes, a different network v2'))
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } }).trim()
}

describe('the git blob id', () => {
  it('is SHA-1 of "blob <length>\\0" + the bytes, as `git hash-object` computes it', () => {
    // The empty blob's id is a well-known constant of git.
    expect(gitBlobId(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391')
    // "hello\n" → ce013625030ba8dba906f756967f9e9ca394464a (git hash-object on any machine).
    expect(gitBlobId(new Uint8Array(Buffer.from('hello\n')))).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
  })

  it('parses an LFS pointer and nothing else', () => {
    const oid = sha256(OLD)
    expect(parseLfsPointer(new Uint8Array(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${OLD.length}\n`)))).toEqual({ sha256: oid, size: OLD.length })
    expect(parseLfsPointer(OLD)).toBeUndefined()
  })
})

describe('recovering the baseline model from a temporary git repository', () => {
  let dir: string
  let repo: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-recover-'))
    repo = join(dir, 'repo')
    mkdirSync(join(repo, 'models'), { recursive: true })
    sh(repo, 'init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'models/net.onnx'), OLD)
    sh(repo, 'add', '.')
    sh(repo, 'commit', '-q', '-m', 'baseline')
    // The "pull request": the model is replaced, so the old bytes live only in history.
    writeFileSync(join(repo, 'models/net.onnx'), NEW)
    sh(repo, 'commit', '-q', '-am', 'new model')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds a plain blob by the id the entry recorded, checked against its SHA-256', async () => {
    expect(sh(repo, 'hash-object', 'models/net.onnx')).toBe(gitBlobId(NEW))
    const found = await recoverBaselineModel({ model: 'models/net.onnx', sha256: sha256(OLD), gitBlob: gitBlobId(OLD) }, { root: repo })
    expect(found.state).toBe('found')
    if (found.state !== 'found') return
    expect(Buffer.from(found.bytes).equals(Buffer.from(OLD))).toBe(true)
    expect(found.source).toBe(`git object ${gitBlobId(OLD).slice(0, 12)}`)
  })

  it('finds an LFS object in .git/lfs/objects/aa/bb/<sha256> by the SHA-256 a pointer carries', async () => {
    const oid = sha256(OLD)
    const objectDir = join(repo, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4))
    mkdirSync(objectDir, { recursive: true })
    writeFileSync(join(objectDir, oid), OLD)
    try {
      // No git blob id: the repository holds only the pointer, whose blob id is not the content's.
      const found = await recoverBaselineModel({ model: 'models/net.onnx', sha256: oid }, { root: repo })
      expect(found).toMatchObject({ state: 'found', source: 'Git LFS object store' })
    } finally {
      rmSync(join(repo, '.git', 'lfs'), { recursive: true, force: true })
    }
  })

  it('resolves an LFS pointer at a named ref through the object store', async () => {
    const lfs = join(dir, 'lfs-repo')
    mkdirSync(join(lfs, 'models'), { recursive: true })
    sh(lfs, 'init', '-q', '-b', 'main')
    const oid = sha256(OLD)
    writeFileSync(join(lfs, 'models/net.onnx'), `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${OLD.length}\n`)
    sh(lfs, 'add', '.')
    sh(lfs, 'commit', '-q', '-m', 'pointer')
    const identity = { model: 'models/net.onnx', sha256: oid }
    const before = await recoverBaselineModel(identity, { root: lfs, baselineRef: 'main' })
    expect(before.state).toBe('missing')
    if (before.state === 'missing') expect(before.reason).toContain('main:models/net.onnx is a Git LFS pointer whose object is not fetched (checkout with lfs: true, or git lfs fetch)')
    const objectDir = join(lfs, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4))
    mkdirSync(objectDir, { recursive: true })
    writeFileSync(join(objectDir, oid), OLD)
    expect(await recoverBaselineModel(identity, { root: lfs, baselineRef: 'main' })).toMatchObject({ state: 'found', source: 'Git LFS object store' })
  })

  it('takes a named ref and a named path, and refuses bytes of another model', async () => {
    const identity = { model: 'models/net.onnx', sha256: sha256(OLD) }
    expect(await recoverBaselineModel(identity, { root: repo, baselineRef: 'HEAD~1' })).toMatchObject({ state: 'found', source: 'HEAD~1:models/net.onnx' })
    const wrongRef = await recoverBaselineModel(identity, { root: repo, baselineRef: 'HEAD' })
    expect(wrongRef.state === 'missing' && wrongRef.reason).toContain("HEAD:models/net.onnx is another model than the baseline's (SHA-256 differs)")
    writeFileSync(join(dir, 'old.onnx'), OLD)
    expect(await recoverBaselineModel(identity, { root: repo, baselineModel: join(dir, 'old.onnx') })).toMatchObject({ state: 'found', source: `baselineModel ${join(dir, 'old.onnx')}` })
    const wrongPath = await recoverBaselineModel(identity, { root: repo, baselineModel: 'models/net.onnx' })
    expect(wrongPath.state === 'missing' && wrongPath.reason).toContain(`baselineModel models/net.onnx has SHA-256 ${sha256(NEW).slice(0, 12)}…, not the baseline's ${sha256(OLD).slice(0, 12)}…`)
  })

  it('says a shallow clone lacks the old bytes, and how to fetch them', async () => {
    const clone = join(dir, 'shallow')
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, clone])
    const result = await recoverBaselineModel({ model: 'models/net.onnx', sha256: sha256(OLD), gitBlob: gitBlobId(OLD) }, { root: clone })
    expect(result).toEqual({
      state: 'missing',
      reason: `the baseline's model bytes are not in this shallow clone: git object ${gitBlobId(OLD).slice(0, 12)}… is not in this clone; fetch enough history (actions/checkout with fetch-depth: 0; lfs: true for LFS models), or name the old bytes with baselineModel or --baseline-ref`,
    })
  })

  it('says when the project is not in a git repository', async () => {
    const plain = join(dir, 'plain')
    mkdirSync(plain)
    const result = await recoverBaselineModel({ model: 'm.onnx', sha256: sha256(OLD) }, { root: plain })
    expect(result.state === 'missing' && result.reason).toContain('the project is not in a git repository')
  })
})

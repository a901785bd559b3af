/**
 * End to end: 8 test files × 20 tests writing baselines in parallel, in the threads and the forks pool, 10 runs
 * each (every run after the first rewrites every entry): all 160 entries present every time, every file valid.
 * Vitest has no cross-worker write coordination (research/gating.md §2.9: naive read-modify-write lost up to
 * 145 of 160 entries); modelgate's single writer in the main process must lose none.
 */
import { afterAll, describe, expect, test } from 'vitest'
import { parseBaseline } from '../../src/baseline/index.js'
import { convModel, createProject, type FixtureProject } from './harness.js'

const FILES = 8
const TESTS = 20
const RUNS = Number(process.env.MODELGATE_E2E_RUNS ?? 10)

function suite(file: number): string {
  return `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

for (let i = 0; i < ${TESTS}; i++) {
  test(\`check \${i} of file ${file}\`, async () => {
    // A little jitter, so workers finish their tests in varying orders.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3))
    await expect(await loadModel('models/net.onnx')).toMatchBaseline({ metrics: ['params', 'macs'] })
  })
}
`
}

function files(): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = { 'models/net.onnx': convModel(8) }
  for (let f = 0; f < FILES; f++) out[`test/file-${f}.test.ts`] = suite(f)
  return out
}

/** Every entry's params, across all baseline files (each parsed and validated against the schema). */
function baselineParams(project: FixtureProject): number[] {
  const names = project.list('baselines/test')
  expect(names).toHaveLength(FILES)
  return names.flatMap((name) => {
    const file = parseBaseline(project.read(`baselines/test/${name}`), name)
    expect(Object.keys(file.entries)).toHaveLength(TESTS)
    return Object.values(file.entries).map((e) => Number(e.metrics.params!.value))
  })
}

describe('8 files × 20 tests writing baselines in parallel', () => {
  const projects: FixtureProject[] = []
  afterAll(() => {
    for (const p of projects) p.remove()
  })

  /** Runs of one pool: each rewrites every entry (the model alternates between two widths). */
  async function runs(pool: 'threads' | 'forks'): Promise<void> {
    // Two workers on two cores; modules shared between the files of a worker (isolate: false) keep 20 runs fast.
    const project = createProject(files(), { test: `pool: '${pool}', maxWorkers: 2, isolate: false, fileParallelism: true, reporters: ['dot'],` })
    projects.push(project)
    for (let run = 0; run < RUNS; run++) {
      const channels = run % 2 === 0 ? 8 : 16
      project.write('models/net.onnx', convModel(channels))
      const result = await project.vitest(['run', '-u'])
      expect(result.code, `${pool} run ${run + 1}: ${result.output}`).toBe(0)
      const params = baselineParams(project)
      expect(params, `${pool} run ${run + 1}`).toHaveLength(FILES * TESTS)
      expect(new Set(params), `${pool} run ${run + 1}`).toEqual(new Set([27 * channels + channels]))
    }
  }

  test(`lose no entry in ${RUNS} runs in the threads pool and ${RUNS} in the forks pool (run side by side)`, { timeout: 900_000 }, async () => {
    await Promise.all([runs('threads'), runs('forks')])
  })
})

/**
 * Fixture projects for the end-to-end tests: a temp folder whose node_modules holds modelgate built from this
 * repository's sources (see package.ts), a vitest.config.ts using `modelgate/vitest` as a user's would, and real
 * `vitest run` child processes.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ModelBuilder } from '../../fixtures/builder/index.js'
import { modelgateNodeModules } from './package.js'
import { VITEST_DIR } from './paths.js'

export { REPO, VITEST_DIR } from './paths.js'
const VITEST_BIN = join(VITEST_DIR, 'vitest.mjs')

/** A finished child process. */
export interface RunResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** stdout + stderr, ANSI colours removed, the project folder replaced by `<project>`. */
  readonly output: string
}

/** Options of {@link createProject}. */
export interface ProjectOptions {
  /** Source of the modelgate() options object. @default '{}' */
  readonly plugin?: string
  /** Extra `test` config entries, as source. */
  readonly test?: string
}

/** A fixture project in a temp folder. */
export interface FixtureProject {
  readonly dir: string
  write(path: string, text: string | Uint8Array): void
  read(path: string): string
  exists(path: string): boolean
  /** Lists files under a folder, relative to it, sorted. */
  list(path: string): string[]
  /** Runs `vitest run <args>` in the project. */
  vitest(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<RunResult>
  /** Runs any node command line in the project. */
  node(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<RunResult>
  remove(): void
}

/** Creates a fixture project with the given files. */
export function createProject(files: Readonly<Record<string, string | Uint8Array>>, options: ProjectOptions = {}): FixtureProject {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-e2e-'))
  symlinkSync(modelgateNodeModules(), join(dir, 'node_modules'), 'dir')
  const write = (path: string, text: string | Uint8Array): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  write('package.json', '{ "name": "fixture-project", "private": true, "type": "module" }\n')
  write(
    'vitest.config.ts',
    `import { defineConfig } from 'vitest/config'
import { modelgate } from 'modelgate/vitest'

export default defineConfig({
  plugins: [modelgate(${options.plugin ?? '{}'})],
  test: {
    include: ['test/**/*.test.ts'],
    ${options.test ?? ''}
  },
})
`,
  )
  for (const [path, text] of Object.entries(files)) write(path, text)
  const run = (args: readonly string[], env: Readonly<Record<string, string>>): Promise<RunResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout, stderr, output: normalize(`${stdout}\n${stderr}`, dir) }))
    })
  return {
    dir,
    write,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    exists: (path) => existsSync(join(dir, path)),
    list: (path) => listFiles(join(dir, path)),
    vitest: (args, env = {}) => run([VITEST_BIN, ...args], env),
    node: (args, env = {}) => run(args, env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A clean environment: no CI variables, no Vitest variables of the outer run, no colours. */
function cleanEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1', FORCE_COLOR: '0' }
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) {
    const v = process.env[key]
    if (v !== undefined) env[key] = v
  }
  return { ...env, ...extra }
}

function normalize(text: string, dir: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes
  return text.replace(/\u001b\[[0-9;]*m/g, '').split(dir).join('<project>')
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory()) out.push(...listFiles(join(dir, d.name), `${prefix}${d.name}/`))
    else out.push(`${prefix}${d.name}`)
  }
  return out.sort()
}

/**
 * A 3×3 convolution 3→`channels` on an 8×8 input, then Relu: params = 27·channels + channels,
 * MACs = 576·channels. `channels` = 8 is the conv fixture; 16 is "a wider conv".
 */
export function convModel(channels: number): Uint8Array {
  const g = new ModelBuilder()
  g.input('x', 'float32', [1, 3, 8, 8])
  const w = g.initializer('conv.weight', 'float32', [channels, 3, 3, 3])
  const b = g.initializer('conv.bias', 'float32', [channels])
  const c = g.op('Conv', ['x', w, b], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }, { name: 'conv' })
  g.node('Relu', [c], ['y'], undefined, { name: 'relu' })
  g.output('y', 'float32', [1, channels, 8, 8])
  return g.toBytes()
}

/** The first failed test's block of a Vitest output: from ` FAIL ` to the next `⎯` rule, trimmed. */
export function failureOf(output: string): string {
  const start = output.indexOf(' FAIL ')
  if (start === -1) return ''
  const end = output.indexOf('⎯⎯⎯', start)
  return output.slice(start, end === -1 ? undefined : end).trim()
}

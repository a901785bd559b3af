/**
 * `modelgate test [--update-baselines] [vitest options and filters]`: runs `vitest run` in the current project
 * with the update request translated. Vitest rejects unknown flags (`vitest run --update-baselines` →
 * "Unknown option"), so the flag travels as MODELGATE_UPDATE=1, which the plugin reads in the main process.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { ModelgateError } from '../errors.js'
import type { CliIo } from './io.js'

export const TEST_USAGE = `modelgate test [--update-baselines] [--baseline-ref REF] [vitest run options and filters]

Runs \`vitest run\` in the current project (which uses the modelgate plugin in vitest.config.ts).

  --update-baselines   rewrite the baseline entries whose figures changed beyond tolerance, and write missing
                       ones (same as \`vitest run -u\`, \`vitest run -- --update-baselines\` or MODELGATE_UPDATE=1;
                       -u also updates Vitest's snapshots, this flag does not)
  --baseline-ref REF   a git ref holding the baselines' models (e.g. origin/main), for paired latency runs when
                       the old model blobs are not otherwise in the clone (same as MODELGATE_BASELINE_REF=REF)
  everything else      passed to vitest as given, e.g. \`modelgate test test/models.test.ts --reporter=verbose\`
`

/** Finds the project's vitest entry script. */
function vitestBin(cwd: string): string {
  try {
    const pkg = createRequire(join(cwd, 'package.json')).resolve('vitest/package.json')
    return join(dirname(pkg), 'vitest.mjs')
  } catch (error) {
    throw new ModelgateError('E_CLI_USAGE', `vitest is not installed in ${cwd}; install it (npm install -D vitest) to run the gate.`, { value: cwd, cause: error })
  }
}

/** Runs the command; resolves to vitest's exit code. */
export async function testCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(TEST_USAGE)
    return 0
  }
  const update = args.includes('--update-baselines')
  const rest: string[] = []
  let baselineRef: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--update-baselines') continue
    if (a === '--baseline-ref' || a.startsWith('--baseline-ref=')) {
      baselineRef = a === '--baseline-ref' ? args[++i] : a.slice('--baseline-ref='.length)
      if (baselineRef === undefined || baselineRef === '' || baselineRef.startsWith('-')) throw new ModelgateError('E_CLI_USAGE', `--baseline-ref needs a git ref, e.g. --baseline-ref origin/main, got ${JSON.stringify(baselineRef ?? null)}.`, { value: baselineRef })
      continue
    }
    rest.push(a)
  }
  const env: Record<string, string | undefined> = { ...io.env }
  if (update) env.MODELGATE_UPDATE = '1'
  if (baselineRef !== undefined) env.MODELGATE_BASELINE_REF = baselineRef
  if (io.stdout.isTTY === true && env.NO_COLOR === undefined) env.FORCE_COLOR ??= '1'
  const child = spawn(process.execPath, [vitestBin(io.cwd), 'run', ...rest], { cwd: io.cwd, env, stdio: ['inherit', 'pipe', 'pipe'] })
  child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString('utf8')))
  return new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? 1))
  })
}

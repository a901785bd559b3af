/**
 * The CLI dispatcher: `modelgate <command> ...`. Every ModelgateError becomes one line naming the code and the
 * fix, and a non-zero exit code (2 for usage errors, 1 for everything else).
 */
import { isModelgateError } from '../errors.js'
import { ANALYZE_USAGE, analyzeCommand } from './analyze.js'
import { benchCommand } from './bench.js'
import { commentCommand } from './comment.js'
import { compareCommand } from './compare.js'
import { demoCommand } from './demo.js'
import { estimateCommand } from './estimate.js'
import { evalCommand } from './eval.js'
import { reportCommand } from './report.js'
import { testCommand } from './test.js'
import type { CliIo } from './io.js'

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  analyze: analyzeCommand,
  bench: benchCommand,
  demo: demoCommand,
  estimate: estimateCommand,
  compare: compareCommand,
  report: reportCommand,
  comment: commentCommand,
  eval: evalCommand,
  test: testCommand,
}

export const USAGE = `modelgate — hold ONNX models to efficiency budgets in CI

Usage: modelgate <command> [options]

Commands:
  analyze <model.onnx>   params, size, MACs, FLOPs, memory access, peak memory, coverage
  demo                   analyse the bundled fixture models
  bench <model.onnx>     measured latency, throughput, memory, energy in onnxruntime (--vs b.onnx: paired comparison)
  estimate <model.onnx> --device ID   estimated latency on a device (roofline; --list-devices)
  compare <a.onnx> <b.onnx>...  side by side: params, MACs, FLOPs, size, peak memory (--bench: latency, FPS)
  report <report.json>...       print, --merge shard reports, or chart the --pareto trade-off
  comment --report <file>       create or update the sticky PR comment (exit 3: no permission)
  eval <model.onnx> --data <dir>  accuracy (top-1/top-5, mAP, mIoU) on a labelled data set, and latency
  test [--update-baselines]     run the project's vitest gate (--update-baselines: rewrite changed baseline entries)

Run \`modelgate <command> --help\` for a command's options.

${ANALYZE_USAGE}`

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE)
    return command === undefined ? 2 : 0
  }
  const run = COMMANDS[command]
  if (run === undefined) {
    io.stderr.write(`modelgate: E_CLI_USAGE: unknown command ${JSON.stringify(command)}. Run \`modelgate --help\` for the commands.\n`)
    return 2
  }
  try {
    return await run(rest, io)
  } catch (error) {
    if (isModelgateError(error)) {
      io.stderr.write(`modelgate: ${error.code}: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`)
      return error.code === 'E_CLI_USAGE' ? 2 : 1
    }
    if (error instanceof TypeError && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`modelgate: E_CLI_USAGE: ${error.message}. Run \`modelgate ${command} --help\` for its options.\n`)
      return 2
    }
    throw error
  }
}

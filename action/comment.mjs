#!/usr/bin/env node
/**
 * The run step of action.yml: posts or updates the sticky report comment with `modelgate comment`.
 * Plain JavaScript, because the action runs from a checkout of this repository, which has no built dist/.
 *
 * Reads (action.yml sets them from its inputs):
 *   MODELGATE_REPORT   path of modelgate-report.json (required)
 *   MODELGATE_PR       the pull request number; empty: the `pr-number` file beside the report, else the event
 *   MODELGATE_REPO     owner/name; empty: GITHUB_REPOSITORY
 *   MODELGATE_VERSION  the modelgate version npx runs when the project has none installed; empty: this action's
 *   GITHUB_TOKEN       passed on to `modelgate comment`, never printed
 * Runs the project's own modelgate (node_modules/modelgate in the working directory, from its lock file) when
 * there is one, else `npx --yes modelgate@<version>`. Exits with modelgate comment's code (0 posted, 1 API
 * error or unreadable report, 2 usage or missing context, 3 no permission, 4 GitHub did not answer in time).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const EXIT_USAGE = 2

/** @param {string} message */
function fail(message) {
  // `::error::` makes the runner show the message as an annotation on the job
  process.stderr.write(`::error title=modelgate comment::${message}\n`)
  process.exit(EXIT_USAGE)
}

const env = process.env
const reportInput = (env.MODELGATE_REPORT ?? '').trim()
if (reportInput === '') fail('The input `report` is empty: give the path of modelgate-report.json.')
const report = resolve(reportInput)

let pr = (env.MODELGATE_PR ?? '').trim()
let prSource = 'the input `pr`'
const prFile = join(dirname(report), 'pr-number')
if (pr === '' && existsSync(prFile)) {
  // the artifact is data from a pull request's run: the number is checked, never run
  pr = readFileSync(prFile, 'utf8').trim()
  prSource = `${prFile}`
}
if (pr !== '' && !/^[1-9]\d*$/.test(pr)) fail(`${prSource} is ${JSON.stringify(pr.slice(0, 40))}, not a pull request number.`)

const args = ['comment', '--report', report]
if (pr !== '') args.push('--pr', pr)
const repo = (env.MODELGATE_REPO ?? '').trim()
if (repo !== '') args.push('--repo', repo)

/** @type {[string, string[]]} */
let command
const installed = join(process.cwd(), 'node_modules', 'modelgate', 'package.json')
if (existsSync(installed)) {
  const pkg = /** @type {{ bin?: { modelgate?: string } }} */ (JSON.parse(readFileSync(installed, 'utf8')))
  const bin = pkg.bin?.modelgate
  if (bin === undefined) fail(`${installed} has no "bin": { "modelgate" } entry: reinstall modelgate.`)
  command = [process.execPath, [join(dirname(installed), /** @type {string} */ (bin)), ...args]]
} else {
  const own = /** @type {{ version: string }} */ (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')))
  const version = (env.MODELGATE_VERSION ?? '').trim() || own.version
  if (!/^[\w.^~<>=|* -]+$/.test(version)) fail(`The input \`version\` is ${JSON.stringify(version)}, not an npm version range.`)
  command = ['npx', ['--yes', `modelgate@${version}`, ...args]]
}

const child = spawnSync(command[0], command[1], { stdio: 'inherit', shell: process.platform === 'win32' && command[0] === 'npx' })
if (child.error !== undefined) fail(`Cannot run ${command[0]}: ${child.error.message}.`)
process.exit(child.status ?? 1)

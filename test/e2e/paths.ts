import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** This repository's root folder. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The vitest package the fixture projects run: this repository's (Vitest 4.1), or the folder named by
 * MODELGATE_E2E_VITEST (e.g. `<tmp>/node_modules/vitest` after `npm install vitest@5`: .ci/run's second pass).
 * Only `vitest` itself is swapped: Node resolves a linked package's own imports from its real folder, so that
 * vitest finds its own vite and @vitest/* beside it, while modelgate's dependencies stay this repository's.
 */
export const VITEST_DIR = resolveVitestDir(process.env.MODELGATE_E2E_VITEST)

function resolveVitestDir(fromEnv: string | undefined): string {
  if (fromEnv === undefined || fromEnv === '') return join(REPO, 'node_modules', 'vitest')
  const dir = resolve(fromEnv)
  if (!existsSync(join(dir, 'vitest.mjs')) || !existsSync(join(dir, 'package.json'))) {
    throw new Error(`MODELGATE_E2E_VITEST=${JSON.stringify(fromEnv)} is not a vitest package folder (no vitest.mjs): point it at <folder>/node_modules/vitest.`)
  }
  return dir
}

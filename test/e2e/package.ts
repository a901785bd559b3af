/**
 * A node_modules folder for fixture projects, holding modelgate as users install it: this repository's src/
 * transpiled to dist/ (TypeScript's transpileModule, no type check) with the package.json exports, next to links
 * to every other package of this repository's node_modules, and `vitest` linked to VITEST_DIR (paths.ts). Built
 * once per source state and vitest and shared by the e2e test files (the folder name is a hash of the sources
 * and the vitest folder; a finished build is renamed into place).
 */
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import ts from 'typescript'
import { REPO, VITEST_DIR } from './paths.js'

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name)
    if (d.isDirectory()) out.push(...sourceFiles(path))
    else if (d.name.endsWith('.ts') && !d.name.endsWith('.d.ts')) out.push(path)
  }
  return out.sort()
}

/** Stores of earlier source states, untouched for an hour (a concurrent run may still use a recent one). */
function removeStaleStores(current: string): void {
  const hourAgo = Date.now() - 3_600_000
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name)
    if (!name.startsWith('modelgate-e2e-store-') || path === current) continue
    try {
      if (statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true })
    } catch {
      // already gone
    }
  }
}

/**
 * The shared node_modules folder (absolute path) with modelgate built from the current sources.
 */
export function modelgateNodeModules(): string {
  const src = join(REPO, 'src')
  const files = sourceFiles(src)
  const hash = createHash('sha256').update('esm-1')
  for (const f of files) hash.update(f).update(readFileSync(f))
  hash.update(readFileSync(join(REPO, 'package.json'))).update(VITEST_DIR).update(readFileSync(join(VITEST_DIR, 'package.json')))
  const store = join(tmpdir(), `modelgate-e2e-store-${hash.digest('hex').slice(0, 16)}`)
  const nodeModules = join(store, 'node_modules')
  if (existsSync(nodeModules)) return nodeModules
  removeStaleStores(store)

  const staging = `${store}.${process.pid}.tmp`
  rmSync(staging, { recursive: true, force: true })
  const pkgDir = join(staging, 'node_modules', 'modelgate')
  for (const f of files) {
    const out = join(pkgDir, 'dist', relative(src, f)).replace(/\.ts$/, '.js')
    const { outputText } = ts.transpileModule(readFileSync(f, 'utf8'), {
      fileName: f,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
    })
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, outputText)
  }
  cpSync(join(REPO, 'package.json'), join(pkgDir, 'package.json'))
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name === 'modelgate' || name === 'vitest' || name === '.bin' || name.startsWith('.')) continue
    symlinkSync(join(REPO, 'node_modules', name), join(staging, 'node_modules', name))
  }
  symlinkSync(VITEST_DIR, join(staging, 'node_modules', 'vitest'))
  try {
    renameSync(staging, store)
  } catch {
    rmSync(staging, { recursive: true, force: true }) // another test file finished the same build first
  }
  return nodeModules
}

/**
 * Keeps the code V8 optimized for the analyzer's working classes through garbage collections that reduce memory.
 *
 * V8 gives the instances of a class a hidden class (a "map") and compiles each hot method for the maps it has seen;
 * the compiled code holds those maps weakly. A map lives while an instance of it does, and V8 keeps a map that lost
 * its instances for two ordinary major collections more (`--retain-maps-for-n-gc`). A collection that reduces memory,
 * such as a forced `gc()`, keeps none of them: it drops every map no live object has, and with it the code compiled
 * for it. The analyzer's working objects (decoders, scopes, running sums, caches) all die when an analysis ends, so
 * after such a collection the next analysis runs its hot paths unoptimized until V8 compiles them again. Measured on
 * the 50,000-node graph, 8 analyses each after a `gc()`: 250 deoptimizations for "weak objects" (≈ 30 functions each
 * time, ≈ 70 ms an analysis); with these instances held, 29.
 *
 * Each module with such a class registers a builder of a small instance ({@link keepHiddenClass}: no model data,
 * ≈ 50 KB in all, mostly the typed lists' first storage). {@link holdHiddenClasses}, called when an analysis ends,
 * builds one of each and holds them until the next call: built anew each time, they take the maps V8 uses now (a
 * field that held a fraction during the analysis has a new map, not the one a build at start-up would keep).
 */

const builders: (() => object)[] = []
let held: readonly object[] = []

/**
 * Registers a class whose instances an analysis creates and drops.
 * @param build returns a small instance, built by the class's constructor as the analysis builds them
 */
export function keepHiddenClass(build: () => object): void {
  builders.push(build)
}

/** Builds one instance of each registered class and holds them (dropping the previous ones); returns them. */
export function holdHiddenClasses(): readonly object[] {
  held = builders.map((build) => build())
  return held
}

/** The instances held now (for tests: an analysis replaces them when it ends). */
export function heldHiddenClasses(): readonly object[] {
  return held
}

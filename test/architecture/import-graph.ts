/**
 * The import graph of src/: every relative `import … from`, `export … from`,
 * `import "…"` and `import("…")` (type-only imports included: a cycle of types is
 * still two modules that cannot be understood apart), file → files it imports.
 *
 *   const g = importGraph(join(repoRoot, "src"));
 *   g.get("cli/main.ts")   // ["formats/format-error.ts", "cli/cli-context.ts", …]
 *   findCycles(g)          // [] when the graph is acyclic
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const specifier = /(?:^|[\s;])(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * Relative imports of every source file under `root`, keyed and valued by path relative to `root`.
 * `{ dynamic: false }` leaves out `import("…")`: what loading a module loads at once.
 */
export function importGraph(root: string, o: { dynamic?: boolean } = {}): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const deps = new Set<string>();
    for (const m of text.matchAll(specifier)) {
      const spec = m[1] ?? m[2] ?? (o.dynamic === false ? undefined : m[3]);
      if (spec === undefined || !spec.startsWith(".")) continue;
      deps.add(relative(root, normalize(join(dirname(file), spec))));
    }
    g.set(relative(root, file), [...deps].sort());
  }
  return g;
}

/** Every file reachable from `start` (itself included). */
export function reachable(g: ReadonlyMap<string, readonly string[]>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const todo = [start];
  while (todo.length) for (const d of g.get(todo.pop()!) ?? []) if (!seen.has(d)) (seen.add(d), todo.push(d));
  return seen;
}

/** Every elementary cycle found by a depth-first search (each reported once, from its first file found). */
export function findCycles(g: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    stack.push(f);
    for (const d of g.get(f) ?? []) {
      if (state.get(d) === "open") cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of [...g.keys()].sort()) if (!state.has(f)) visit(f);
  return cycles;
}

/**
 * Loads the chart renderers, Observable Plot and linkedom, from this CommonJS project. Plot
 * (with d3) ships as ES modules only, and linkedom's CommonJS build requires css-select, which
 * is ES modules only too.
 *
 * tsc (module: commonjs) rewrites `import()` to `require()`, and require() of an ES module
 * works only from Node 20.19 on (and never for a module with top-level await). A native
 * `import()` hidden from tsc in a Function body works on every Node the project supports, so
 * that is what the compiled code uses. Jest's module sandbox refuses a native `import()`
 * (it needs --experimental-vm-modules) with one of two known error codes; only then do we fall back to
 * a literal `import()`, which @swc/jest turns into require(), with jest.config.js letting swc
 * compile those packages to CommonJS.
 */
import type * as PlotModule from '@observablehq/plot';
import type * as LinkedomModule from 'linkedom';

export type Plot = typeof PlotModule;
export type Linkedom = typeof LinkedomModule;

const importNative = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function importEsm<T>(specifier: string, inJest: () => Promise<T>): Promise<T> {
  try {
    return (await importNative(specifier)) as T;
  } catch (err) {
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, or …_FLAG when the flag would have allowed it.
    if (!String((err as { code?: unknown }).code).startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) throw err;
    return inJest();
  }
}

let loading: Promise<{ Plot: Plot; parseHTML: Linkedom['parseHTML'] }> | undefined;

/** Plot and linkedom's parseHTML, loaded once. */
export function loadChartModules(): Promise<{ Plot: Plot; parseHTML: Linkedom['parseHTML'] }> {
  loading ??= Promise.all([
    importEsm<Plot>('@observablehq/plot', () => import('@observablehq/plot')),
    importEsm<Linkedom>('linkedom', () => import('linkedom')),
  ]).then(([Plot, linkedom]) => ({ Plot, parseHTML: linkedom.parseHTML }));
  return loading;
}

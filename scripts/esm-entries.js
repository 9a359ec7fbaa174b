// `npm run build:esm`, part of prepack after the tsc build: writes an ESM wrapper next to each
// built package entry (dist/src/package/<name>.mjs). The code ships as CommonJS, as the
// Temporal SDK does, and `import` users get the same module objects through named
// re-exports. Export names are read from the built module itself, so a wrapper can never
// list a name the CommonJS entry lacks. Not part of `build`: the CLI and the image need no ESM.
const fs = require('node:fs');
const path = require('node:path');

const ENTRY_DIR = path.join(__dirname, '..', 'dist', 'src', 'package');

for (const file of fs.readdirSync(ENTRY_DIR).filter((f) => f.endsWith('.js'))) {
  const names = Object.keys(require(path.join(ENTRY_DIR, file))).filter((name) => name !== '__esModule' && name !== 'default');
  const wrapper = [`import cjs from './${file}';`, `export const { ${names.join(', ')} } = cjs;`, ''].join('\n');
  fs.writeFileSync(path.join(ENTRY_DIR, file.replace(/\.js$/, '.mjs')), wrapper);
}

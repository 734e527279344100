// Preloaded into a worker thread started on TypeScript sources (swc-node, Jest; never in a compiled build): compiles
// each `.ts` module with swc's transform alone, as @swc-node/register would but without loading the TypeScript
// compiler for its tsconfig (~0.6 s of CPU per thread). Thread modules therefore import relatively, not `@duban/…`.
'use strict';
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = {
  swcrc: false,
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
require.extensions['.ts'] = (module, filename) =>
  module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);

#!/usr/bin/env node
// The auditor's CLI as an installed command (`duban-audit verify …`): TypeScript run through swc, like npm run audit.
const { join } = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../apps/audit-cli/src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => (process.exitCode = code));

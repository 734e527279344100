#!/usr/bin/env node
// Builds the console (apps/console/dist) when the build is missing or older than its sources; `--force` always
// builds. Used by `npm start` (scripts/start.js), `npm run console:build` and the console's e2e tests.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const dist = path.join(here, 'dist');
const stamp = path.join(dist, 'index.html');
// the console's sources, and the domain vocabulary it shows labels from
const inputs = [
  path.join(here, 'src'),
  path.join(here, 'index.html'),
  __filename,
  path.join(here, '..', '..', 'libs', 'domain', 'src', 'issue', 'issue.vocabulary.ts'),
];

function newest(file) {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map((name) => newest(path.join(file, name))));
}

function isStale() {
  if (!fs.existsSync(stamp)) return true;
  return Math.max(...inputs.map(newest)) > fs.statSync(stamp).mtimeMs;
}

async function ensureConsoleBuilt({ force = false, log = () => {} } = {}) {
  if (!force && !isStale()) return false;
  const started = Date.now();
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  // The JSX transform follows NODE_ENV (jsxDEV outside production) while React is defined as its production build
  // below: under jest (NODE_ENV=test) or `npm start` (development) the page then dies on "jsxDEV is not a function".
  // Build as production, and give the caller its NODE_ENV back.
  const callerEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild(build, react);
  } finally {
    if (callerEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerEnv;
  }
  log(`console built in ${Date.now() - started} ms`);
  return true;
}

function viteBuild(build, react) {
  // served by the API at /console (apps/api/src/console/console-static.ts)
  return build({
    configFile: false,
    root: here,
    base: '/console/',
    mode: 'production',
    // React's production build, whatever NODE_ENV the caller runs with (npm start sets development)
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir: dist, emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: false },
  });
}

module.exports = { ensureConsoleBuilt, isStale, dist };

if (require.main === module) {
  ensureConsoleBuilt({ force: process.argv.includes('--force'), log: (m) => process.stdout.write(`${m}\n`) }).catch(
    (error) => {
      process.stderr.write(`duban: the console build failed: ${error.stack || error}\n`);
      process.exit(1);
    },
  );
}

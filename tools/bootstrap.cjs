#!/usr/bin/env node
// Entry point of `npm start`, `npm test`, `npm run migrate|seed|migration:generate|data:rekey`:
// checks Node, installs dependencies when they are missing or older than package-lock.json,
// compiles the TypeScript tree (tsc is also the type-check) and copies the .lua scripts next to it,
// then runs tools/src/<command>.ts.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Quan needs Node.js 20.19 or newer; this is ${process.version}.`);
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function dependenciesCurrent() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed)) return false;
  return fs.statSync(installed).mtimeMs >= fs.statSync(path.join(root, 'package-lock.json')).mtimeMs;
}

const command = process.argv[2];
if (!command || !fs.existsSync(path.join(__dirname, 'src', `${command}.ts`))) {
  console.error(`unknown command: ${command}`);
  process.exit(2);
}
if (!dependenciesCurrent()) {
  console.log('Installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json']);
require('./copy-assets.cjs');
require('./register-paths.cjs');
require(path.join(root, 'dist', 'tools', 'src', `${command}.js`));

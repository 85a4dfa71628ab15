// Jest transformer: TypeScript through SWC, plus the ESM-only packages in node_modules (NestJS 12 and
// others) down to CommonJS. Node 20 itself loads those with require(esm), but Jest's module runtime
// only does so from Node 24.9, so under Jest they are compiled like our own sources.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
});
// The web code's .tsx (React's automatic runtime, as Vite compiles it).
const swcTsx = createTransformer({
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic' } },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
});

const moduleTypeOfDir = new Map();
function packageType(dir) {
  if (moduleTypeOfDir.has(dir)) return moduleTypeOfDir.get(dir);
  const manifest = path.join(dir, 'package.json');
  let type;
  if (fs.existsSync(manifest)) type = JSON.parse(fs.readFileSync(manifest, 'utf8')).type ?? 'commonjs';
  else type = path.dirname(dir) === dir ? 'commonjs' : packageType(path.dirname(dir));
  moduleTypeOfDir.set(dir, type);
  return type;
}

function isEsm(file) {
  return file.endsWith('.mjs') || (file.endsWith('.js') && packageType(path.dirname(file)) === 'module');
}

module.exports = {
  canInstrument: false,
  getCacheKey(source, file, options) {
    if (file.endsWith('.tsx')) return swcTsx.getCacheKey(source, file, options);
    return isEsm(file) || file.endsWith('.ts')
      ? swc.getCacheKey(source, file, options)
      : `plain:${createHash('sha1').update(source).digest('hex')}`;
  },
  process(source, file, options) {
    if (file.endsWith('.tsx')) return swcTsx.process(source, file, options);
    if (file.endsWith('.ts') || isEsm(file)) return swc.process(source, file, options);
    return { code: source };
  },
};

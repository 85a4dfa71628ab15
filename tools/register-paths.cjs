// Resolves the @quan/* path aliases of tsconfig.base.json against the compiled tree in dist/.
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.base.json');

const paths = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, [target.replace(/\.ts$/, '.js')]]),
);
tsconfigPaths.register({ baseUrl: path.join(__dirname, '..', 'dist'), paths });

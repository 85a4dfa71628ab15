// One jest run for the whole monorepo: unit specs beside the code, integration specs under apps/*/test.
// TypeScript and ESM-only packages are compiled by tools/jest/transformer.cjs; @quan/* aliases map to the sources.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {
  ...Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
  ),
  // Stylesheets imported by web code are Vite's business; under jest they are empty modules.
  '\\.css$': '<rootDir>/tools/jest/empty-module.cjs',
};

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/load-tests'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
  moduleNameMapper,
  transform: { '^.+\\.(tsx?|js|mjs)$': '<rootDir>/tools/jest/transformer.cjs' },
  // Only ESM packages need compiling; the transformer passes CommonJS files through untouched.
  transformIgnorePatterns: [],
  testTimeout: 60000,
  maxWorkers: 2,
};

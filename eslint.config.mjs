import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries (checked by @nx/enforce-module-boundaries against each project's tags):
 *   type:domain   pure TypeScript: imports only other domain code and no framework, ORM or Redis client
 *   type:config   the validated configuration
 *   type:data     entities, migrations, Redis and queue access
 *   type:counters the Redis counters of claims and redemptions: key layout, Lua scripts, rebuilds and fencing
 *   type:platform Nest/Fastify infrastructure shared by the apps (errors, logs, metrics, health)
 *                 and code two features share, e.g. staff accounts (libs/staff/accounts: staff and merchants)
 *   type:feature  feature modules (controllers and services of one area)
 *   type:testing  helpers for tests
 *   type:demo     the demo city seed (npm start, tests); settles its past day through the settlement feature
 *   type:app      entry points; nothing may import an app
 *   type:tools    start/test/migrate/seed commands and load-test runners
 *   type:web      browser libs (libs/web/*): typed api client, session, i18n, formatting; web libs and domain only
 *   type:web-app  the web apps (apps/resident, apps/till, apps/console): web libs and domain only
 *   type:e2e      browser specs of a web app (a nested project): drive Chromium against a real api
 * No server project lists type:web or type:web-app, so server code can never import web code.
 */
const FRAMEWORK_PACKAGES = [
  '@nestjs/*',
  'typeorm',
  'ioredis',
  'bullmq',
  'pg',
  'fastify',
  '@fastify/*',
  'prom-client',
  'pino',
];
// Web code runs in the browser: none of the server's packages, nor Node's own modules (see the rule below).
const SERVER_PACKAGES = [
  ...FRAMEWORK_PACKAGES,
  '@nestjs/*',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
  'jsonwebtoken',
  '@node-rs/*',
  'playwright-core',
  'tsconfig-paths',
];
// The Redis counters' contract lives in libs/counters: no other lib names a counter hash field or builds a counter key.
const COUNTER_FIELD_PREFIX = '^(s|i|cl|r|d|g):';
const COUNTER_FIELD = `^(lim|rlim|dlim|snap)$|${COUNTER_FIELD_PREFIX}`;
const COUNTER_FIELD_MESSAGE = 'Redis counter hash fields belong to libs/counters: call its typed wrappers instead.';
const COUNTER_KEY_HELPERS = [
  'campaignTag',
  'roundKey',
  'personKey',
  'idempotencyKey',
  'budgetKey',
  'merchantDayKey',
  'voucherKey',
  'givenBackKey',
  'redemptionIdempotencyKey',
];
const NO_ONLY = {
  selector: "MemberExpression[object.name=/^(it|describe|test)$/][property.name='only']",
  message: 'No .only in committed tests.',
};
const WEB_FILES = [
  'libs/web/**/*.{ts,tsx}',
  'apps/resident/src/**/*.{ts,tsx}',
  'apps/till/src/**/*.{ts,tsx}',
  'apps/console/src/**/*.{ts,tsx}',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.nx/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: FRAMEWORK_PACKAGES,
            },
            { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:domain', 'type:config'] },
            { sourceTag: 'type:counters', onlyDependOnLibsWithTags: ['type:domain', 'type:config', 'type:data'] },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: ['type:domain', 'type:config', 'type:data', 'type:platform'],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:domain', 'type:config', 'type:data', 'type:counters', 'type:platform'],
            },
            {
              sourceTag: 'type:demo',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:config',
                'type:data',
                'type:counters',
                'type:platform',
                'type:feature',
              ],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:domain', 'type:config', 'type:data', 'type:platform'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:config',
                'type:data',
                'type:counters',
                'type:platform',
                'type:feature',
                'type:testing',
                'type:demo',
              ],
            },
            {
              sourceTag: 'type:tools',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:config',
                'type:data',
                'type:counters',
                'type:platform',
                'type:testing',
                'type:demo',
              ],
            },
            {
              sourceTag: 'type:web',
              onlyDependOnLibsWithTags: ['type:web', 'type:domain'],
              bannedExternalImports: SERVER_PACKAGES,
            },
            {
              sourceTag: 'type:web-app',
              onlyDependOnLibsWithTags: ['type:web', 'type:domain'],
              bannedExternalImports: SERVER_PACKAGES,
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:config',
                'type:data',
                'type:platform',
                'type:testing',
                'type:demo',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig (libs/config).' },
      ],
    },
  },
  {
    files: WEB_FILES,
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net'],
              message: 'Web code runs in the browser: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // Entry points and tools hand the environment to loadConfig and to the processes they start.
    files: [
      'libs/config/src/**/*.ts',
      'tools/**/*.ts',
      '**/*.spec.ts',
      'libs/testing/**/*.ts',
      'apps/*/e2e/**/*.ts',
      'apps/*/vite.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', NO_ONLY] },
  },
  {
    files: ['libs/**/*.{ts,tsx}'],
    // Web libs cannot reach the counters (module boundaries) and keep their own import rule.
    ignores: ['libs/counters/**', 'libs/web/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        NO_ONLY,
        { selector: `Literal[value=/${COUNTER_FIELD}/]`, message: COUNTER_FIELD_MESSAGE },
        {
          selector: `TemplateLiteral > TemplateElement:first-child[value.raw=/${COUNTER_FIELD_PREFIX}$/]`,
          message: COUNTER_FIELD_MESSAGE,
        },
        { selector: 'TemplateElement[value.raw=/\\{c:/]', message: 'Redis counter keys belong to libs/counters.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@quan/counters',
              importNames: COUNTER_KEY_HELPERS,
              message: 'Redis counter keys belong to libs/counters.',
            },
          ],
          patterns: [
            {
              group: ['**/*.lua', '@quan/counters/*'],
              message: "The counters' scripts and internals are reached through @quan/counters.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['load-tests/*.js', 'load-tests/lib/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

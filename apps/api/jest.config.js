/** Two tiers: unit tests beside the code, e2e tests against a real PostgreSQL (started once). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // Nest 12 and several of its dependencies are ESM-only (some load others with import()):
  // swc turns them into CommonJS for jest. CommonJS packages are left alone.
  transformIgnorePatterns: ['/node_modules/\.pnpm/(typescript|@swc|jest|@jest|pg|pg-[a-z]+|typeorm|argon2|pino|rxjs|lodash|@babel|fast-check|supertest)@'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  // A global option: inside a project entry jest ignores it (the e2e tests ran with the 5 s default).
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      // Beside the code: *.db-spec.ts, unit tests that need the real PostgreSQL of this project.
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/src/**/*.db-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  // A global option: Jest ignores it inside a project, where it used to be (5 s applied instead,
  // too little for e2e tests that hash several passwords with argon2id on a busy machine).
  testTimeout: 30000,
};

import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // Needs nginx and openssl from the system; its own project and `npm test` run.
          exclude: [...configDefaults.exclude, 'test/deploy/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // The public-domain gate through a real nginx with TLS (Debian nginx + openssl).
          name: 'deploy',
          root: './server',
          include: ['test/deploy/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // `npm run bench -- --quick` as a smoke test (needs web/dist: `npm run build -w @shulan/web`).
          name: 'bench',
          root: './server',
          include: ['bench/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'wecom-sim',
          root: './wecom-sim',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'miniprogram',
          root: './miniprogram',
          include: ['src/**/*.test.ts', 'build/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'jsdom',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          root: './web',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          root: './e2e',
          include: ['**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

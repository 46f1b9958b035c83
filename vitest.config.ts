import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/fast-check-seed.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Age rules (validation-overdue) judge by this date, so results do not drift with the calendar.
    env: { WAYMARK_TODAY: '2026-11-26' },
  },
});

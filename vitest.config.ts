import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Four test files at once on a 2-core machine: most end-to-end files wait on PTYs, child
    // processes and sockets, so two workers kept the CPU at 103 % and took 402 s; four took
    // 275 s at 189 % (measured 2026-12-02 on the 2-core CI kind, clean clone, same commit).
    maxWorkers: 4,
  },
});

// Opens the store at the URL given and closes it again; on failure prints the error's message and
// exits 1. For tests that must open a store as another user (test/store/store-file.test.ts).
import { openStore } from '../../src/store/index.js';

try {
  const store = await openStore(process.argv[2] ?? '', { logger: { warn: () => undefined } });
  await store.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

import { runStoreConformance } from "./conformance.js";
import { openMemoryStore } from "./memory.js";

runStoreConformance("memory", (opts) => openMemoryStore(opts));

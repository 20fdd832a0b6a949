/**
 * Worker-thread entry of `readJournal`: scans one byte range of a journal and posts the
 * columns back, moving (not copying) the typed arrays.
 */
import { parentPort, workerData } from "node:worker_threads";
import { scanRange } from "./journal-scan.ts";

const { file, start, end } = workerData as { file: string; start: number; end: number };
const part = await scanRange(file, start, end);
const buffers = Object.values(part).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v)).map((v) => v.buffer as ArrayBuffer);
parentPort!.postMessage(part, buffers);

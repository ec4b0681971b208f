// The lecture parser thread: checks uploaded files and parses stored ones, so that a large file
// never holds the bot's event loop (clicks keep being answered meanwhile). Started by
// ./parser.ts; bundled as its own entry point (dist/parse-worker.js) for the compiled bot.
import { parentPort } from 'node:worker_threads';
import { parseGuarded } from '../content/load.js';
import type { ParseRequest, ParseResponse } from './parse-jobs.js';
import { checkUpload } from './upload.js';

function handle(request: ParseRequest): ParseResponse {
  if (request.kind === 'upload') {
    return {
      id: request.id,
      kind: 'upload',
      check: checkUpload(request.name, request.bytes, request.maxFileBytes),
    };
  }
  return {
    id: request.id,
    kind: 'stored',
    lectures: request.files.map((file) => parseGuarded(file.source, file.name).lecture),
  };
}

parentPort?.on('message', (request: ParseRequest) => {
  let response: ParseResponse;
  try {
    response = handle(request);
  } catch (error) {
    response = {
      id: request.id,
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(response);
});

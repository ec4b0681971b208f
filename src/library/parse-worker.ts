// The lecture parser thread: checks uploaded files, parses stored ones and reads content folder
// files changed in bulk, so that a large file or a course update never holds the bot's event loop
// (clicks keep being answered meanwhile). Started by
// ./parser.ts; bundled as its own entry point (dist/parse-worker.js) for the compiled bot.
import { parentPort } from 'node:worker_threads';
import { parseFile, parseGuarded } from '../content/load.js';
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
  if (request.kind === 'files') {
    return { id: request.id, kind: 'files', results: request.paths.map((path) => parseFile(path)) };
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

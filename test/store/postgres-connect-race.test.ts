// A PostgreSQL server shutting down (pg_ctl stop -m fast) sends FATAL 57P01 to every session,
// including one whose start-up has just completed. When the FATAL comes in the same TCP read as the
// start-up's ReadyForQuery, pg parses both in one go: the pool hands the new client over, and the
// error follows before any awaiting code runs. A client handed over without an 'error' listener
// then ends the whole process (an unhandled 'error' event): it once took down a shard process in the
// shards burst test. A server of a few lines here plays exactly that, with no real PostgreSQL needed.
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { inTransaction } from '../../src/store/postgres.js';

let server: Server | undefined;
let pool: pg.Pool | undefined;
afterEach(async () => {
  await pool?.end().catch(() => undefined);
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

function message(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}

/** Authentication OK, ReadyForQuery, then FATAL 57P01: one write, as one TCP read for the client. */
function startupThenFatal(): Buffer {
  const authOk = message('R', Buffer.from([0, 0, 0, 0]));
  const ready = message('Z', Buffer.from('I'));
  const fields = ['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'];
  const fatal = message(
    'E',
    Buffer.concat([...fields.map((field) => Buffer.from(`${field}\0`)), Buffer.from([0])]),
  );
  return Buffer.concat([authOk, ready, fatal]);
}

it('GIVEN the server ends a session right as its start-up completes THEN the transaction fails with the cause and the process goes on', async () => {
  server = createServer((socket: Socket) => {
    // The first packet is the client's start-up message: answer it, end the session, hang up.
    socket.once('data', () => socket.end(startupThenFatal()));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  pool = new pg.Pool({ connectionString: `postgres://quizbot@127.0.0.1:${address.port}/quiz`, max: 1 });
  pool.on('error', () => undefined);

  let ran = false;
  const failed = await inTransaction(pool, 'BEGIN', () => {
    ran = true;
    return Promise.resolve();
  }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failed).toBeInstanceOf(Error);
  expect(ran).toBe(false);
  // Had the FATAL reached a client without a listener, vitest would report it as an uncaught error
  // and fail this file; a second transaction shows the pool still serves (and fails) normally.
  await expect(inTransaction(pool, 'BEGIN', () => Promise.resolve())).rejects.toBeInstanceOf(Error);
});

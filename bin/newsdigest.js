#!/usr/bin/env node
// Thin launcher: the compiled composition root does the work (built by `npm ci` through the prepare script).
import { main } from '../dist/main.js';

// A promise that failed with no one waiting for it is a bug: said plainly, with its stack, and the process exits
// non-zero (never swallowed; under --unhandled-rejections=strict Node itself stops the process first).
process.on('unhandledRejection', (reason) => {
  const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  process.stderr.write(`newsdigest: internal error: a failure no code was waiting for (please report it): ${detail}\n`);
  process.exit(70);
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Every command closes what it opened before main returns. A library that leaves a connection behind (discord.js
// never finishes closing a gateway that did not say Hello) must not keep a finished command running: the timer is
// unref'd, so it fires only when something else still holds the process.
setTimeout(() => {
  process.stderr.write('newsdigest: a connection was still open after the command finished: exiting anyway\n');
  process.exit(code);
}, 3_000).unref();

#!/usr/bin/env node
// Thin launcher: the compiled composition root does the work (built by `npm ci` through the prepare script).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));

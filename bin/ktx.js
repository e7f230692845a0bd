#!/usr/bin/env node
// Tiny shim: everything lives in dist/, loaded lazily so startup stays fast.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));

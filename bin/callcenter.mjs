#!/usr/bin/env node
// The `callcenter` command (npx callcenter …, npm start). Loads the TypeScript sources through
// tsx so the repo runs as checked out, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('@callcenter/cli');
await main(process.argv);

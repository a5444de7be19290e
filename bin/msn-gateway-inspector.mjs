#!/usr/bin/env node
// Entry point of the `msn-gateway-inspector` command. The core is TypeScript that Node >= 22.18
// runs directly (type stripping), so there is no build step for the CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `msn-gateway-inspector needs Node.js 22.18 or newer (this is ${process.version}); ` +
      'run it through npm (npm run cli -- ...) to use the Node pinned in node_modules.\n',
  );
  process.exit(1);
}
// The headless inspector answers thousands of polling clients; a larger young generation makes
// the collections that pause its event loop rarer (bench:load's p99). V8 reads the size only at
// start-up, so without the flag the command runs itself again with it.
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';
const args = process.argv.slice(2);
const hasFlag = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--max-semi-space-size'));
if (args[0] === 'headless' && !hasFlag) {
  const { relaunch } = await import('./relaunch.mjs');
  const { fileURLToPath } = await import('node:url');
  process.exitCode = await relaunch([YOUNG_GENERATION_FLAG], fileURLToPath(import.meta.url), args);
} else {
  const { main } = await import('../electron/headless/cli.ts');
  process.exitCode = await main(args);
}

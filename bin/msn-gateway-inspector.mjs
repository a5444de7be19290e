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
const { main } = await import('../electron/headless/cli.ts');
process.exitCode = await main(process.argv.slice(2));

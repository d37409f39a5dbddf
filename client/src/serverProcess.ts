// The Node flags the extension starts the language server with (no `vscode`: the LSP tests and `npm run bench` start
// the bundled server with the same ones, so what they measure is what users run).
//
// --max-semi-space-size=4 (MiB): V8's young generation otherwise grows to 16 MiB per semi-space and stays committed,
// which put a server with ResNet-50 open at 138-153 MiB resident (goal < 150 MiB). With 4 MiB it holds 126 MiB run
// after run; the cost is more frequent scavenges: save -> inlay hints on six targets 24-30 ms either way, a keystroke
// on a 10,000-layer network 78-87 ms instead of 71-74 ms (bench/lsp.bench.ts; goals 50 ms and 300 ms).
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];

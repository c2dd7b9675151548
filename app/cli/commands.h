// The `senn` command line (cli.md): parses the sub-command and its options, runs it on core,
// writes --json / --figure outputs, prints progress and errors to stderr.
// Exit codes: 0 success, 2 bad usage or bad input, 1 anything else.
#pragma once

namespace senn::cli {
int run(int argc, char** argv);
}

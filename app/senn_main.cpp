// senn: the command line (cli.md). Sub-commands live in app/cli/.
#include "cli/commands.h"

int main(int argc, char** argv)
{
    return senn::cli::run(argc, argv);
}

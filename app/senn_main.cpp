// senn: the command line (cli.md). Sub-commands live in app/cli/.
#include "cli/commands.h"

#include "core/common/system_info.h"

int main(int argc, char** argv)
{
    senn::common::preferPassiveOpenMpWait(argv); // OpenMP threads sleep, not spin
    return senn::cli::run(argc, argv);
}

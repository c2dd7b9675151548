#include "cli/commands.h"

#include <iostream>

namespace senn::cli {

int run(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    std::cerr << "senn: not implemented yet\n";
    return 1;
}

} // namespace senn::cli

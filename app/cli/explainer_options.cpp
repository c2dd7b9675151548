// The explainer options of the metric commands (explainer_options.h).
#include "cli/explainer_options.h"

#include "core/explain/explainer_args.h"

namespace senn::cli {

void addExplainerOptions(CLI::App* cmd, ExplainerArgs& args)
{
    for (const auto& o : explain::explainerOptions())
        args.options[o.name] = cmd->add_option(o.name, args.values[o.name], o.help)->group("Explainer settings");
}

explain::ExplainOptions explainerOptionsOf(const ExplainerArgs& args)
{
    explain::ExplainOptions opts;
    for (const auto& [name, option] : args.options)
        if (option->count() > 0)
            explain::applyExplainerOption(opts, name, args.values.at(name));
    return opts;
}

} // namespace senn::cli

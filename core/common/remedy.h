// What a person can do about an error, by intent. The message says it in plain words that fit
// the GUI and the CLI alike; a front end may add how it is done there (the CLI its option, in
// app/cli/commands.cpp), so core never names a command-line flag or a menu.
#pragma once
#include "core/common/error.h"

#include <exception>
#include <string>

namespace senn {

enum class Remedy {
    None,
    ChooseTarget, // pick another class column, or data that matches the model
    MoreRows,     // the training split is empty: use more rows
    TrainFlint,   // the feature needs a FLINT model
    HiddenLayer,  // post-hoc FLINT: name the predictor's hidden layer
    RrrMask,      // the RRR penalty needs annotation masks
    TabularModel, // the CNN needs images: choose an MLP or a SENN
};

class ErrorWithRemedy : public Error {
public:
    ErrorWithRemedy(const std::string& message, Remedy remedy) : Error(message), m_remedy(remedy) {}
    Remedy remedy() const { return m_remedy; }

private:
    Remedy m_remedy;
};

// Error::inFile's message with a remedy attached.
inline ErrorWithRemedy withRemedy(const Error& e, Remedy remedy) { return ErrorWithRemedy(e.what(), remedy); }

inline Remedy remedyOf(const std::exception& e)
{
    const auto* r = dynamic_cast<const ErrorWithRemedy*>(&e);
    return r ? r->remedy() : Remedy::None;
}

} // namespace senn

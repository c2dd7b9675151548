// libFuzzer harness: the .senn file's JSON metadata (architecture, training configuration,
// preprocessing, split, names, metrics) through io::metaFromJson, the part of the model reader
// that interprets untrusted structure before any weights are read. A crafted file passes the
// CRC (it is only a checksum), so this parser is what stands between a file and the network
// constructors: every field must be checked here (senn::Error), never trusted.
#include "core/common/error.h"
#include "core/io/model_file.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        senn::io::metaFromJson(std::string(reinterpret_cast<const char*>(data), size), "fuzz.senn");
    } catch (const senn::Error&) {
    }
    return 0;
}

// libFuzzer harness: an image folder of two classes through the image loader. The input is one
// image file (any of the supported formats; its header is read before OpenCV decodes it), put in
// class "a" beside a valid 2x2 PNG in class "b".
#include "core/common/error.h"
#include "core/data/loader.h"
#include "fuzz_util.h"

namespace {
// A valid 2x2 8-bit grayscale PNG.
const uint8_t kPng[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
                        0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
                        0x00, 0x00, 0x00, 0x57, 0xdd, 0x52, 0xf8, 0x00, 0x00, 0x00, 0x0e, 0x49, 0x44,
                        0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05,
                        0x00, 0x01, 0x0b, 0x0b, 0x7e, 0x53, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
                        0x44, 0xae, 0x42, 0x60, 0x82};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const char* names[] = {"x.png", "x.jpg", "x.bmp", "x.pgm", "x.tif", "x.webp"};
    const char* name = names[size ? data[0] % 6 : 0];
    fuzz::clear();
    fuzz::put(std::string("img/a/") + name, data, size);
    fuzz::put("img/b/1.png", kPng, sizeof kPng);
    try {
        senn::data::loadImageFolder((fuzz::scratch() / "img").string());
    } catch (const senn::Error&) {
    }
    return 0;
}

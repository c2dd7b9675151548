// FastRng: a small, fast, seedable generator for the explainers' bulk sampling (LIME draws
// 150,000 truncated normals per explanation). xoshiro256++ (Blackman & Vigna 2019) seeded
// through splitmix64, uniforms on [0, 1) from the top 53 bits, and standard normals by the
// ziggurat method (Marsaglia & Tsang 2000, 128 layers, with a separate uniform for the wedge
// test and a 64-bit generator, so the layer, sign and abscissa come from independent bits;
// Doornik 2005 showed the original's 32-bit shared bits were the method's only flaw).
// Plain C++, no LibTorch: a normal costs a fraction of what LibTorch's mt19937 sampler does.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

#if defined(__GNUC__)
#define SENN_FAST_RNG_INLINE __attribute__((always_inline)) inline
#else
#define SENN_FAST_RNG_INLINE inline
#endif

namespace senn {

class FastRng {
public:
    explicit FastRng(uint64_t seed)
    {
        uint64_t x = seed;
        for (auto& v : s_) {
            x += 0x9e3779b97f4a7c15ULL; // splitmix64
            uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            v = z ^ (z >> 31);
        }
    }

    uint64_t next()
    {
        const uint64_t r = rotl(s_[0] + s_[3], 23) + s_[0];
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return r;
    }

    // [0, 1). Through int64: a 53-bit value converts exactly, and the signed conversion is one
    // instruction where the unsigned one branches.
    double uniform() { return double(int64_t(next() >> 11)) * 0x1.0p-53; }

    // A uniform integer in [0, n), n >= 1: the high 32 bits times n (Lemire 2019), with the
    // rejection that removes the bias of the 2^32 mod n values that would otherwise map twice.
    uint32_t below(uint32_t n)
    {
        uint64_t m = (next() >> 32) * n;
        if (uint32_t(m) < n) {
            const uint32_t threshold = uint32_t(-n) % n;
            while (uint32_t(m) < threshold)
                m = (next() >> 32) * n;
        }
        return uint32_t(m >> 32);
    }

    // Inlined into the sampling loops: a call per draw shows in their time.
    SENN_FAST_RNG_INLINE double normal()
    {
        const Ziggurat& z = ziggurat();
        for (;;) {
            const uint64_t bits = next();
            const unsigned i = unsigned(bits & 127u);            // layer
            const double sign = (bits & 128u) ? -1.0 : 1.0;      // independent bit
            const double u = double(int64_t(bits >> 11)) * 0x1.0p-53; // abscissa, top 53 bits
            const double x = u * z.x[i];
            if (x < z.x[i + 1])
                return sign * x; // inside the part of the layer under the curve
            if (i == 0) {
                // The tail beyond r (Marsaglia 1964): exact.
                double a, b;
                do {
                    a = -std::log(1.0 - uniform()) / kR;
                    b = -std::log(1.0 - uniform());
                } while (b + b < a * a);
                return sign * (kR + a);
            }
            // The wedge: accept under the density.
            const double y = z.f[i] + uniform() * (z.f[i + 1] - z.f[i]);
            if (y < std::exp(-0.5 * x * x))
                return sign * x;
        }
    }

private:
    static constexpr double kR = 3.442619855899;      // the base strip's right edge, 128 layers
    static constexpr double kV = 9.91256303526217e-3; // each layer's area

    // x[0] = V / f(r) (the base strip as a rectangle), x[1] = r, ..., x[128] = 0, with
    // f(x) = exp(-x^2 / 2); layer i spans heights f(x[i]) .. f(x[i+1]) and widths 0 .. x[i].
    struct Ziggurat {
        std::array<double, 129> x{}, f{};
        Ziggurat()
        {
            x[0] = kV / std::exp(-0.5 * kR * kR);
            x[1] = kR;
            for (int i = 1; i < 127; ++i)
                x[i + 1] = std::sqrt(-2.0 * std::log(kV / x[i] + std::exp(-0.5 * x[i] * x[i])));
            x[128] = 0.0;
            for (int i = 0; i <= 128; ++i)
                f[i] = std::exp(-0.5 * x[i] * x[i]);
        }
    };
    static const Ziggurat& ziggurat()
    {
        static const Ziggurat z;
        return z;
    }

    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
};

} // namespace senn

// Bounds on what a file or an option may ask of the machine, shared by the loaders, the CLI and
// the GUI (its spin boxes use the same numbers). A value outside them is refused with a message
// saying the limit, before any work or allocation. Plain C++: no Qt, no LibTorch.
#pragma once
#include <cstdint>
#include <string>

namespace senn::limits {

// Classes of a dataset (labels 0..kMaxClasses-1, or as many distinct class names).
constexpr int64_t kMaxClasses = 10000;
// Decoded values of a dataset held in memory (float32 each): 2^30 values = 4 GiB.
constexpr int64_t kMaxDatasetValues = int64_t(1) << 30;
// Columns of one table (CSV, TSV, .npy): each becomes a feature with a name and a place in every
// view and explanation. A CSV record is refused once it has more fields, before they are kept.
constexpr int64_t kMaxTableFeatures = int64_t(1) << 20;
// One CSV/TSV cell (a number or a class name): a longer one is refused where it is read, with
// its line and column; a stray quote otherwise makes the rest of a file one cell.
constexpr int64_t kMaxCsvCellBytes = int64_t(1) << 20;
// Pixels of one image in an image folder (header dimensions, before decoding).
constexpr int64_t kMaxImagePixels = int64_t(1) << 26; // 67 million, e.g. 8192 x 8192
// A model file's input shape: values of one sample (the image loaders' bound with 4 channels).
constexpr int64_t kMaxModelInputValues = kMaxImagePixels * 4;
// Parameters of a network a model file describes (float32 each): 2^30 = 4 GiB. The file must
// also store exactly as many, so a small file cannot ask for a large network.
constexpr int64_t kMaxModelParameters = int64_t(1) << 30;
// One class or feature name, the data source and other text in a model file's metadata: far
// beyond any real name, so no file this app writes is refused, while a crafted one is.
constexpr int64_t kMaxNameBytes = int64_t(64) << 10;
// Zip archives (TorchScript files, a .senn file's weights): LibTorch allocates what each entry
// declares before inflating it, and deflated zeros inflate a thousandfold. What the entries may
// declare together: this multiple of the archive's size, at least the floor, and never more
// than the machine's memory.
constexpr int64_t kMaxArchiveInflation = 8;
constexpr int64_t kArchiveInflationFloor = int64_t(64) << 20;
// Nesting of the values in a TorchScript archive's pickles (tuples, lists, dicts, objects):
// LibTorch builds and frees them recursively, so a pickle nested a million deep overflows the
// stack. Modules nested inside modules stay far below this.
constexpr int kMaxPickleDepth = 1000;
// The separate process that loads an untrusted TorchScript file first (core/io/isolated_probe.h):
// the seconds it may take, and the memory it may add beyond twice what the archive inflates to.
constexpr int kProbeSeconds = 120;
constexpr int64_t kProbeMemoryFloor = int64_t(2) << 30;
// Post-hoc FLINT files naming their predictor file: the longest chain followed.
constexpr int kMaxPredictorChain = 8;

// Count options (the GUI's spin boxes use the same ranges).
constexpr int kMaxConcepts = 512;        // -k (SENN concepts, FLINT attributes)
constexpr int kMaxEpochs = 1000;
constexpr int kMaxBatch = 8192;
constexpr int kMaxHidden = 65536;        // units of one hidden layer
constexpr int kMaxHiddenLayers = 16;
constexpr int64_t kMaxLimitRows = int64_t(1) << 31;
constexpr int kMaxSamples = 1000000;     // LIME samples / KernelSHAP coalitions
constexpr int kMaxPermutations = 100000; // Shapley permutations
constexpr int kMaxShapKeep = 100000;
constexpr int kMaxStabilityPoints = 1000;
constexpr int kMaxFaithfulnessPoints = 2000;
constexpr int kMaxEpsValues = 100;
constexpr int kMaxPrototypes = 32;       // --top
constexpr int kMaxThreadsOption = 256;   // the GUI's Threads box; also clamped to the cores

// Physical memory of this machine in bytes (0 when unknown).
int64_t physicalMemory();
// What the entries of a zip archive of `archiveBytes` may inflate to (see kMaxArchiveInflation).
int64_t archiveInflationBudget(int64_t archiveBytes);

// The cores of this machine (at least 1).
int hardwareThreads();

// `requested` threads clamped to [1, hardwareThreads()]; 0 means all cores. When clamped,
// *note (if given) says so in a sentence for the user.
int clampThreads(int requested, std::string* note = nullptr);

} // namespace senn::limits

# Models unit: SENN / MLP / CNN networks, the robustness penalty, the trainer, model files.
senn_add_test(test_models_penalty SOURCES test_models_penalty.cpp TIMEOUT 120)
senn_add_test(test_models_train SOURCES test_models_train.cpp TIMEOUT 600)
# The fast kernels (tanh, the sum aggregator, 2x2 max pooling) against LibTorch.
senn_add_test(test_models_kernels SOURCES test_models_kernels.cpp TIMEOUT 120)
senn_add_test(test_models_file SOURCES test_models_file.cpp TIMEOUT 120)
# Hostile models: in-place writes, odd outputs, archive bombs, tensors outside their storage.
senn_add_test(test_hostile_models SOURCES test_hostile_models.cpp TIMEOUT 60 LIBS ZLIB::ZLIB)

# Epoch-time benchmark (tests/bench/README.md); a normal executable, not a CTest test.
add_executable(bench_senn_epoch bench/bench_senn_epoch.cpp)
target_link_libraries(bench_senn_epoch PRIVATE senn_models)

# The TorchScript wrapper's private input copy beside a forward pass; not a CTest test.
add_executable(bench_input_copy bench/bench_input_copy.cpp)
target_link_libraries(bench_input_copy PRIVATE senn_models)
# What the separate-process probe adds to loading a small and a larger TorchScript file.
add_executable(bench_probe bench/bench_probe.cpp)
target_link_libraries(bench_probe PRIVATE senn_models)
# Hostile TorchScript files that crash LibTorch's loader (tried in a separate process first),
# random and batch-dependent models.
senn_add_test(test_hostile_loader SOURCES test_hostile_loader.cpp TIMEOUT 60 LIBS ZLIB::ZLIB)
if(SENN_ASAN)
  # Full stacks for leaks, so packaging/lsan.supp can name LibTorch's own leak on a refused
  # version record (PyTorchStreamReader::init); fast unwinding stops inside LibTorch.
  set_property(TEST test_hostile_loader APPEND PROPERTY ENVIRONMENT_MODIFICATION
               "ASAN_OPTIONS=string_append::fast_unwind_on_malloc=0")
endif()

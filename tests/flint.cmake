# FLINT: model, loss, trainer, metrics and interpretations (flint.md).
senn_add_test(test_flint SOURCES test_flint.cpp TIMEOUT 600)

# Post-hoc FLINT on a separately trained model (tests/bench/README.md); not a CTest test.
add_executable(bench_flint_posthoc bench/bench_flint_posthoc.cpp)
target_link_libraries(bench_flint_posthoc PRIVATE senn_models)

# Post-hoc FLINT on a TorchScript predictor's named layer, and SENN's conciseness.
senn_add_test(test_flint_posthoc SOURCES test_flint_posthoc.cpp TIMEOUT 600)

# FLINT: model, loss, trainer, metrics and interpretations (flint.md).
senn_add_test(test_flint SOURCES test_flint.cpp TIMEOUT 600)
# Training steps can outlast Qt Test's 5-minute per-function watchdog on a busy 2-core machine.
set_property(TEST test_flint APPEND PROPERTY ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=900000")

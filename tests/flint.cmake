# FLINT: model, loss, trainer, metrics and interpretations (flint.md).
senn_add_test(test_flint SOURCES test_flint.cpp TIMEOUT 600)

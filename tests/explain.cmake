# Explainers and metrics (baselines.md, metrics.md): known answers on tiny torch models.
senn_add_test(test_explain_attributions SOURCES test_explain_attributions.cpp TIMEOUT 300)
senn_add_test(test_explain_lime SOURCES test_explain_lime.cpp TIMEOUT 300)
senn_add_test(test_explain_cost SOURCES test_explain_cost.cpp TIMEOUT 300)
senn_add_test(test_metrics_stability SOURCES test_metrics_stability.cpp TIMEOUT 300)
senn_add_test(test_result_stream SOURCES test_result_stream.cpp TIMEOUT 300)
senn_add_test(test_metrics_removal SOURCES test_metrics_removal.cpp TIMEOUT 300)
senn_add_test(test_metrics_sanity SOURCES test_metrics_sanity.cpp TIMEOUT 300)
senn_add_test(test_metrics_scorecard SOURCES test_metrics_scorecard.cpp TIMEOUT 300)
# Attributions from .npy files: refusals naming the file, rows scored as ours.
senn_add_test(test_external_attributions SOURCES test_external_attributions.cpp TIMEOUT 120)
senn_add_test(test_explain_large SOURCES test_explain_large.cpp TIMEOUT 120)
senn_add_test(test_explanation_json SOURCES test_explanation_json.cpp TIMEOUT 120)
senn_add_test(test_uncertainty SOURCES test_uncertainty.cpp TIMEOUT 120)
senn_add_test(test_ground_truth SOURCES test_ground_truth.cpp TIMEOUT 300)

# Benchmark (not a test): explainer time vs the batched-forward floor.
add_executable(bench_explainers bench/bench_explainers.cpp)
target_link_libraries(bench_explainers PRIVATE senn_core)
target_compile_definitions(bench_explainers PRIVATE SENN_RESOURCE_DATA="${SENN_RESOURCE_DIR}/data")

# Benchmark (not a test): memory and time of every method on 224x224 colour photos with a
# ResNet-18-sized network (tests/bench/bench_photo.sh).
add_executable(bench_photo bench/bench_photo.cpp)
target_link_libraries(bench_photo PRIVATE senn_core)

# Opening a running shard's results file in the app: read and rebuild times for 10^4..10^6
# records (tests/bench/bench_records_file.cpp); a normal executable, not a CTest test.
add_executable(bench_records_file bench/bench_records_file.cpp)
target_link_libraries(bench_records_file PRIVATE senn_core)

# CLI known answers: early-stopping reason, the logistic-regression baseline and
# `senn eval --json --rows`, run through the real `senn` binary on a small subset.
add_test(NAME test_cli_train_eval
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/train_eval_json.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set(cli_timeout 120)
if(SENN_ASAN)
  set(cli_timeout 480)
endif()
set_tests_properties(test_cli_train_eval PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# Ctrl-C during a model call that does not return (post-hoc FLINT on a slow TorchScript
# predictor): the first says at once that senn stops after the call, the second ends it.
senn_add_test(test_cli_interrupt SOURCES cli/test_cli_interrupt.cpp TIMEOUT 240)
target_compile_definitions(test_cli_interrupt PRIVATE SENN_CLI="$<TARGET_FILE:senn>")
add_dependencies(test_cli_interrupt senn)

# `senn sanity`: steps from the output layer down, the edge-detector control at exactly 1,
# the random logit, the figure, and exit code 2 for an unknown method.
add_test(NAME test_cli_sanity
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/sanity_json.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_sanity PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# Sharded runs (--shard K/N, --resume, senn merge) give the unsharded run's JSON byte for byte;
# a killed shard resumes; merge refuses shards that do not belong together.
add_test(NAME test_cli_shard_merge
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/shard_merge.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_shard_merge PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `senn ground-truth` and `senn explain --mask`: exact zeros outside a unit model's truth, a
# .npy mask, and exit code 2 for --mask decoy on a table.
add_test(NAME test_cli_ground_truth
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/ground_truth_json.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_ground_truth PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `senn faithfulness --measure`: the asked measures by id, MoRF − LeRF as the difference of the
# AOPCs, two shards merging to the unsharded run (ROAD's noise follows the row), exit code 2
# for an unknown measure.
add_test(NAME test_cli_faithfulness_measures
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/faithfulness_measures.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_faithfulness_measures PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `senn scorecard`: the JSON contract, the CSV and LaTeX files, exit code 2 for an unknown
# measure or an output over the data.
add_test(NAME test_cli_scorecard
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/scorecard_json.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_scorecard PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `senn explain --seed-runs`: 1 writes what no flag writes, 4 seeds give LIME intervals and
# order agreement and saliency seed_runs 1, exit code 2 for 0, 1001 and --all.
add_test(NAME test_cli_seed_runs
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/seed_runs_json.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_seed_runs PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `--attributions NAME=FILE.npy`: our own explanations from `senn explain --all` score as our
# rows in scorecard, faithfulness and ground-truth; refusals name the file (exit code 2).
add_test(NAME test_cli_external_attributions
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/external_attributions.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_external_attributions PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `senn scorecard --shard K/N --resume --points all`: 1 and 3 shards merge to the unsharded
# JSON byte for byte (timing removed); a shard resumed from a cut results file is the same.
add_test(NAME test_cli_scorecard_shards
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/scorecard_shards.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_scorecard_shards PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# `senn ground-truth --shard K/N --resume --points all`: 1 and 3 shards merge to the unsharded
# JSON byte for byte; a resumed shard is the same; another seed's shard is refused; a slurm plan.
add_test(NAME test_cli_ground_truth_shards
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/ground_truth_shards.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
set_tests_properties(test_cli_ground_truth_shards PROPERTIES TIMEOUT ${cli_timeout} LABELS core
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")

# Slurm runs: the scripts `senn slurm` writes (executed with stand-ins for senn and sbatch) and
# the measured calibration run.
senn_add_test(test_slurm_script SOURCES test_slurm_script.cpp TIMEOUT 120)
# `senn slurm` without a scheduler: its scripts run here give the unsharded result; its refusals.
if(TARGET senn)
  add_test(NAME test_cli_slurm
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/slurm_plan.sh $<TARGET_FILE:senn> ${SENN_RESOURCE_DIR}/data)
  set(slurm_plan_timeout 180)
  if(SENN_ASAN)
    set(slurm_plan_timeout 720)
  endif()
  set_tests_properties(test_cli_slurm PROPERTIES TIMEOUT ${slurm_plan_timeout} LABELS core
    ENVIRONMENT "OMP_NUM_THREADS=1;OMP_WAIT_POLICY=passive")
endif()
# A real one-node Slurm cluster (packaging/slurm_test.sh, as root): a 4-task stability array and
# its merge against an unsharded run. Label "slurm": test.sh runs it after the other tests, alone;
# without root it is skipped (77).
if(TARGET senn)
  add_test(NAME test_slurm_cluster
           COMMAND bash ${PROJECT_SOURCE_DIR}/packaging/slurm_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(test_slurm_cluster PROPERTIES LABELS slurm TIMEOUT 600 RUN_SERIAL ON
    SKIP_RETURN_CODE 77 ENVIRONMENT "OMP_WAIT_POLICY=passive")
endif()
# "Run on a cluster…" writes the view's run as Slurm scripts (run here without a scheduler) and
# File > Open results… shows the merged result with the JSON's curves.
if(TARGET senn)
  senn_add_test(test_ui_cluster SOURCES test_ui_cluster.cpp GUI TIMEOUT 400)
  target_compile_definitions(test_ui_cluster PRIVATE SENN_CLI="$<TARGET_FILE:senn>")
  add_dependencies(test_ui_cluster senn)
endif()

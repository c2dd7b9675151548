# Desktop application (ui/): MainWindow + CoreWorker driven offscreen, as a person would.
senn_add_test(test_ui_data SOURCES test_ui_data.cpp GUI TIMEOUT 180)
senn_add_test(test_ui_train SOURCES test_ui_train.cpp GUI TIMEOUT 300)
senn_add_test(test_ui_explain SOURCES test_ui_explain.cpp GUI TIMEOUT 300)
senn_add_test(test_ui_session SOURCES test_ui_session.cpp GUI TIMEOUT 300)
# A few hundred mutated sessions (fixed seed) through the window's open path; each view drawn.
senn_add_test(test_ui_session_sweep SOURCES test_ui_session_sweep.cpp GUI TIMEOUT 300)
# Sanity and scorecard results in sessions: round trips, refusals, a window restoring them.
senn_add_test(test_ui_session_results SOURCES test_ui_session_results.cpp GUI TIMEOUT 120)
senn_add_test(test_ui_metrics SOURCES test_ui_metrics.cpp GUI TIMEOUT 300)
# The Sanity view: checks run from its Run button, figure, strip and export.
senn_add_test(test_ui_sanity SOURCES test_ui_sanity.cpp GUI TIMEOUT 300)
# The Scorecard view: a run from its Run button, the table, the agreement and the exports.
senn_add_test(test_ui_scorecard SOURCES test_ui_scorecard.cpp GUI TIMEOUT 300)
# Its attributions from a file: the listed file, its row, n/a with the reason, a refused file.
senn_add_test(test_ui_scorecard_files SOURCES test_ui_scorecard_files.cpp GUI TIMEOUT 120)
senn_add_test(test_ui_flint SOURCES test_ui_flint.cpp GUI TIMEOUT 300)
senn_add_test(test_ui_workloss SOURCES test_ui_workloss.cpp GUI TIMEOUT 300)
senn_add_test(test_ui_compare SOURCES test_ui_compare.cpp GUI TIMEOUT 300)
senn_add_test(test_ui_current SOURCES test_ui_current.cpp GUI TIMEOUT 300)
# Explain runs the explainers alone; the removal curves wait for the Faithfulness view.
senn_add_test(test_ui_removal SOURCES test_ui_removal.cpp GUI TIMEOUT 300)
# Auto-explain runs only cheap methods; method choice per kind of data; window size.
senn_add_test(test_ui_autoexplain SOURCES test_ui_autoexplain.cpp GUI TIMEOUT 300)
# The Explain view's layout at 1280×800 and 1600×1000, wheel scrolling, truthful method labels.
senn_add_test(test_ui_layout_explain SOURCES test_ui_layout_explain.cpp GUI TIMEOUT 300)
# The ground-truth lab: File > Examples opens a unit model; the Explain view scores each method.
senn_add_test(test_ui_ground_truth SOURCES test_ui_ground_truth.cpp GUI TIMEOUT 300)
# The Explain view's painted mask scored against each method (known answers on a 4x4 example).
senn_add_test(test_ui_painted_mask SOURCES test_ui_painted_mask.cpp GUI TIMEOUT 120)
# Training choices, the memory budget and opening dataset folders from the dialog.
senn_add_test(test_ui_settings SOURCES test_ui_settings.cpp GUI TIMEOUT 400)
# Intervals over seeds: the setting, the estimates, the grid's error bars and ≈ marks.
senn_add_test(test_ui_uncertainty SOURCES test_ui_uncertainty.cpp GUI TIMEOUT 120)
# The PDF report: every column on the page, only finished results.
senn_add_test(test_ui_report SOURCES test_ui_report.cpp GUI TIMEOUT 400)
# The report's sanity sentences, scorecard table and their pages.
senn_add_test(test_ui_report_sections SOURCES test_ui_report_sections.cpp GUI TIMEOUT 120)
# The Stability and Faithfulness views against `senn stability|faithfulness` (the same rows and
# curves), their exports' row ids, cancel, and the layout at 1280x800.
senn_add_test(test_ui_stability SOURCES test_ui_stability.cpp GUI TIMEOUT 600)
if(TARGET senn)
  target_compile_definitions(test_ui_stability PRIVATE SENN_CLI="$<TARGET_FILE:senn>")
  add_dependencies(test_ui_stability senn)
endif()
# The comparison's JSON export against `senn explain --json`.
if(TARGET senn)
  target_compile_definitions(test_ui_compare PRIVATE SENN_CLI="$<TARGET_FILE:senn>")
  add_dependencies(test_ui_compare senn)
endif()
# Opening a Decoy-MNIST model (non-zero split seed) in the app against `senn eval --rows`.
if(TARGET senn)
  senn_add_test(test_ui_open_model SOURCES test_ui_open_model.cpp GUI TIMEOUT 300)
  target_compile_definitions(test_ui_open_model PRIVATE SENN_CLI="$<TARGET_FILE:senn>")
  add_dependencies(test_ui_open_model senn)
endif()
# The ? pages are the user guide's sections, built from docs/user-guide.md.
senn_add_test(test_ui_help SOURCES test_ui_help.cpp GUI TIMEOUT 120)
target_compile_definitions(test_ui_help PRIVATE SENN_SOURCE_ROOT="${PROJECT_SOURCE_DIR}")
# File > Recent, the status bar's job display and the Open dataset dialog's folder rule.
senn_add_test(test_ui_shell SOURCES test_ui_shell.cpp GUI TIMEOUT 120)

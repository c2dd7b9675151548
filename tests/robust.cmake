# Hostile input: a catalogue of malformed files and options run through the built
# `senn` CLI (exit code 2, one short clean message naming the file, no output touched), plus the
# core checks behind it. Links senn_ui for the session reader.
senn_add_test(test_bad_input SOURCES test_bad_input.cpp GUI TIMEOUT 400 LIBS ZLIB::ZLIB)
target_compile_definitions(test_bad_input PRIVATE SENN_CLI="$<TARGET_FILE:senn>")
add_dependencies(test_bad_input senn)
# Robustness in the app: saves and exports never overwrite the dataset, model or session in use;
# damaged, missing and misbehaving model files give one clean message naming the file.
senn_add_test(test_ui_robust SOURCES test_ui_robust.cpp GUI TIMEOUT 300)
# It also runs the app itself, to quit it by a signal while a model call never returns.
target_compile_definitions(test_ui_robust PRIVATE SENN_STUDIO="$<TARGET_FILE:senn-studio>")
add_dependencies(test_ui_robust senn-studio)

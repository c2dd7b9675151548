# Which library links what: `senn` draws --figure with senn_plots and must not link the desktop
# app (senn_ui: MainWindow, views, worker). Checked on the built binary's symbols.
add_test(NAME test_senn_links_no_gui
         COMMAND ${CMAKE_COMMAND} -DSENN=$<TARGET_FILE:senn> -DNM=${CMAKE_NM}
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/senn_links_no_gui.cmake)
set_tests_properties(test_senn_links_no_gui PROPERTIES TIMEOUT 60 LABELS core)

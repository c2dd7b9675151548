# `senn` links the plots library (ui/plots, ui/figures) to draw --figure, and nothing of the
# desktop application: no main window, no view, no worker thread. Reads the symbols of the
# built binary, so a link line that pulls senn_ui back in fails here.
#   cmake -DSENN=path/to/senn -DNM=nm -P senn_links_no_gui.cmake
execute_process(COMMAND "${NM}" -C "${SENN}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -C ${SENN} failed (${rc}): ${err}")
endif()
# The known positive first: the figure code is there, so an empty or stripped symbol table
# cannot pass the check below.
string(FIND "${symbols}" "senn::ui::renderComparisonFigure" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${SENN} has no senn::ui::renderComparisonFigure: its symbols cannot be checked")
endif()
set(found "")
foreach(name MainWindow CoreWorker ViewPage ExplainView ModelView DataView)
  string(FIND "${symbols}" "${name}" at)
  if(NOT at EQUAL -1)
    list(APPEND found ${name})
  endif()
endforeach()
if(found)
  message(FATAL_ERROR "${SENN} links desktop-app classes it must not: ${found} (senn links "
                      "senn_plots, not senn_ui; see app/CMakeLists.txt)")
endif()
message(STATUS "${SENN}: plots only, no MainWindow, CoreWorker or views")

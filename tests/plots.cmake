# Plot widgets, figure export and CLI figures (ui/plots, ui/figures): offscreen GUI tests.
senn_add_test(test_plots_export SOURCES test_plots_export.cpp GUI TIMEOUT 120)
senn_add_test(test_plots_widgets SOURCES test_plots_widgets.cpp GUI TIMEOUT 120)
# Renders every widget to PNG (into $SENN_PLOTS_GALLERY when set, else a temporary folder) so
# the figures can be looked at; asserts sizes.
senn_add_test(test_plots_gallery SOURCES test_plots_gallery.cpp GUI TIMEOUT 180)
# Heat maps over the input (colour, grey, opacity), column sizes, log axes at huge ranges.
senn_add_test(test_plots_underlay SOURCES test_plots_underlay.cpp GUI TIMEOUT 60)

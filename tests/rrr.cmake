# Right for the Right Reasons (rrr.md): the input-gradient penalty against a hand computation,
# the Decoy MNIST reproduction on the bundled digits, find another explanation.
senn_add_test(test_rrr SOURCES test_rrr.cpp TIMEOUT 600)
# The "Right reasons" view (GUI, offscreen).
senn_add_test(test_ui_rrr SOURCES test_ui_rrr.cpp GUI TIMEOUT 400)

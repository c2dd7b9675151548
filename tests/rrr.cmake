# Right for the Right Reasons (rrr.md): the input-gradient penalty against a hand computation,
# the Decoy MNIST reproduction on the bundled digits, find another explanation.
senn_add_test(test_rrr SOURCES test_rrr.cpp TIMEOUT 600)

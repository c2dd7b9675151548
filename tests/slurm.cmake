# Slurm runs: the scripts `senn slurm` writes (executed with stand-ins for senn and sbatch) and
# the measured calibration run.
senn_add_test(test_slurm_script SOURCES test_slurm_script.cpp TIMEOUT 120)

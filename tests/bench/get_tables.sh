#!/usr/bin/env bash
# Public tables for the accuracy benchmark that the repository does not ship, written as CSV
# (features as numbers, last column "class") from the data sets in Debian's R packages
# r-cran-mlbench (UCI: Pima Indians diabetes, Sonar, Vehicle silhouettes, Landsat satellite,
# Statlog shuttle, Ionosphere) and r-cran-kernlab (UCI spambase). Installs R and the two
# packages with apt-get when Rscript or a package is missing. Rows with missing values are
# dropped; nothing else is changed. Existing files are kept.
#   tests/bench/get_tables.sh OUT_DIR
set -euo pipefail
out="${1:?usage: get_tables.sh OUT_DIR}"
mkdir -p "$out"
need=(pima sonar vehicle satellite shuttle spam ionosphere)
missing=0
for n in "${need[@]}"; do [[ -s "$out/$n.csv" ]] || missing=1; done
[[ $missing == 0 ]] && exit 0
if ! Rscript -e 'library(mlbench); library(kernlab)' > /dev/null 2>&1; then
    SUDO=""; [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get install -y --no-install-recommends r-base-core r-cran-mlbench r-cran-kernlab > /dev/null
fi
cd "$out"
Rscript - <<'R'
suppressMessages({ library(mlbench); library(kernlab) })
w <- function(d, name, target) {
  d <- d[complete.cases(d), ]
  y <- d[[target]]
  x <- d[, setdiff(names(d), target), drop = FALSE]
  for (n in names(x)) if (is.factor(x[[n]])) x[[n]] <- as.numeric(as.character(x[[n]]))
  write.csv(cbind(x, class = as.character(y)), paste0(name, ".csv"), row.names = FALSE)
  cat(sprintf("%-10s %6d rows %3d features %2d classes\n", name, nrow(x), ncol(x), length(unique(y))))
}
data(PimaIndiansDiabetes); w(PimaIndiansDiabetes, "pima", "diabetes")
data(Sonar); w(Sonar, "sonar", "Class")
data(Vehicle); w(Vehicle, "vehicle", "Class")
data(Satellite); w(Satellite, "satellite", "classes")
data(Shuttle); w(Shuttle, "shuttle", "Class")
data(spam); w(spam, "spam", "type")
# V2 is constant 0 in every row: it would only be a column of zeros after standardising.
data(Ionosphere); I <- Ionosphere; I$V2 <- NULL; w(I, "ionosphere", "Class")
R

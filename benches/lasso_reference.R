# Times cv.glmnet(family = "binomial") on the benchmark tables, for benches/lasso.sh.
# Usage: Rscript benches/lasso_reference.R DIR RUNS
# Writes DIR/wide.csv (10,000 x 1,000, seeded) if missing, reads DIR/synthetic.csv, and prints one
# line per table:
#   <table> <median seconds of cv.glmnet over RUNS runs>
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; runs <- as.integer(args[2])
wide_path <- file.path(dir, "wide.csv")
if (!file.exists(wide_path)) {
  set.seed(1000)
  n <- 10000; p <- 1000
  x <- matrix(rnorm(n * p), n, p)
  x[, 1:50] <- x[, 1:50] + 0.5 * rnorm(n)
  colnames(x) <- sprintf("x%04d", 1:p)
  y <- rbinom(n, 1, plogis(-0.3 + x[, 1:20] %*% rep(c(0.3, -0.2), 10)))
  fold <- sample(rep(1:10, length.out = n))
  write.csv(data.frame(y, fold, round(x, 6)), wide_path, row.names = FALSE, quote = FALSE)
}
time_cv <- function(x, y, fold) {
  times <- replicate(runs, system.time(cv.glmnet(x, y, family = "binomial", foldid = fold))[["elapsed"]])
  median(times)
}
paper <- read.csv("tests/fixtures/models/paper.csv")
train <- paper[paper$cohort == "train", ]
z <- scale(as.matrix(train[, sprintf("f%02d", 1:55)]))
cat("paper", time_cv(z, train$aln, train$fold), "\n")
# The study's 55 features on the built-in cohort after `correct bias` (written by benches/lasso.sh),
# folds 1..10 in turn down the training rows, as benches/lasso.rs assigns them.
synthetic <- read.csv(file.path(dir, "synthetic.csv"))
synthetic <- synthetic[synthetic$cohort == "train", ]
fold <- (seq_len(nrow(synthetic)) - 1) %% 10 + 1
cat("synthetic", time_cv(scale(as.matrix(synthetic[, -(1:3)])), synthetic$aln, fold), "\n")
wide <- read.csv(wide_path)
cat("wide", time_cv(as.matrix(wide[, -(1:2)]), wide$y, wide$fold), "\n")

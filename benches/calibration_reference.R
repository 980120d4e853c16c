# rms's calibrate and validate (B = 1000) and pROC's bootstrap AUC interval (2000 stratified
# replicates) on the combined model of examples/data/demo.csv's training cohort, timed in
# process; prints "<task> <median seconds>" as benches/calibration.rs does for radnomo.
# Usage: Rscript benches/calibration_reference.R RUNS
suppressMessages({ library(rms); library(pROC) })
runs <- as.integer(commandArgs(trailingOnly = TRUE)[1])
data <- read.csv("examples/data/demo.csv", stringsAsFactors = FALSE)
train <- data[data$cohort == "train", ]
fit <- lrm(aln ~ grade + multifocal + lnmri + rad, data = train, x = TRUE, y = TRUE)
median_seconds <- function(task) median(sapply(seq_len(runs), function(i) { set.seed(i); system.time(task())[["elapsed"]] }))
r <- roc(train$aln, predict(fit, type = "fitted"), levels = c(0, 1), direction = "<", quiet = TRUE)
cat(sprintf("calibrate %.4f\n", median_seconds(function() calibrate(fit, method = "boot", B = 1000))))
cat(sprintf("validate %.4f\n", median_seconds(function() rms::validate(fit, method = "boot", B = 1000))))
cat(sprintf("roc_boot %.4f\n", median_seconds(function() ci.auc(r, method = "bootstrap", boot.n = 2000, boot.stratified = TRUE, progress = "none"))))

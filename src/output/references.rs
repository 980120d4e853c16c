//! The works radnomo's methods follow, as a report cites them (Vancouver style). One constant per
//! work, so a command cites by name and a report numbers each work once, in order of first use.

/// A cited work.
#[derive(Debug, PartialEq, Eq)]
pub struct Reference {
    /// A stable key: first author and year.
    pub key: &'static str,
    pub citation: &'static str,
}

macro_rules! references {
    ($($name:ident, $key:literal, $citation:literal;)*) => {
        $(pub static $name: Reference = Reference { key: $key, citation: $citation };)*
    };
}

references! {
    N4, "tustison2010", "Tustison NJ, Avants BB, Cook PA, Zheng Y, Egan A, Yushkevich PA, Gee JC. N4ITK: improved N3 bias correction. IEEE Trans Med Imaging. 2010;29(6):1310–1320.";
    SIMPLEITK, "lowekamp2013", "Lowekamp BC, Chen DT, Ibáñez L, Blezek D. The design of SimpleITK. Front Neuroinform. 2013;7:45.";
    BSPLINE, "unser1999", "Unser M. Splines: a perfect fit for signal and image processing. IEEE Signal Process Mag. 1999;16(6):22–38.";
    OTSU, "otsu1979", "Otsu N. A threshold selection method from gray-level histograms. IEEE Trans Syst Man Cybern. 1979;9(1):62–66.";
    DICE, "dice1945", "Dice LR. Measures of the amount of ecologic association between species. Ecology. 1945;26(3):297–302.";
    IBSI, "zwanenburg2020", "Zwanenburg A, Vallières M, Abdalah MA, et al. The Image Biomarker Standardization Initiative: standardized quantitative radiomics for high-throughput image-based phenotyping. Radiology. 2020;295(2):328–338.";
    PYRADIOMICS, "vangriethuysen2017", "van Griethuysen JJM, Fedorov A, Parmar C, et al. Computational radiomics system to decode the radiographic phenotype. Cancer Res. 2017;77(21):e104–e107.";
    PERTURBATION, "zwanenburg2019", "Zwanenburg A, Leger S, Agolli L, et al. Assessing robustness of radiomic features by image perturbation. Sci Rep. 2019;9:614.";
    ICC, "shrout1979", "Shrout PE, Fleiss JL. Intraclass correlations: uses in assessing rater reliability. Psychol Bull. 1979;86(2):420–428.";
    ICC_GUIDE, "koo2016", "Koo TK, Li MY. A guideline of selecting and reporting intraclass correlation coefficients for reliability research. J Chiropr Med. 2016;15(2):155–163.";
    LASSO, "tibshirani1996", "Tibshirani R. Regression shrinkage and selection via the lasso. J R Stat Soc Series B. 1996;58(1):267–288.";
    GLMNET, "friedman2010", "Friedman J, Hastie T, Tibshirani R. Regularization paths for generalized linear models via coordinate descent. J Stat Softw. 2010;33(1):1–22.";
    STABILITY, "meinshausen2010", "Meinshausen N, Bühlmann P. Stability selection. J R Stat Soc Series B. 2010;72(4):417–473.";
    AKAIKE, "akaike1974", "Akaike H. A new look at the statistical model identification. IEEE Trans Automat Contr. 1974;19(6):716–723.";
    FIRTH, "firth1993", "Firth D. Bias reduction of maximum likelihood estimates. Biometrika. 1993;80(1):27–38.";
    RMS, "harrell2015", "Harrell FE Jr. Regression Modeling Strategies. 2nd ed. Cham: Springer; 2015.";
    NOMOGRAM, "iasonos2008", "Iasonos A, Schrag D, Raj GV, Panageas KS. How to build and interpret a nomogram for cancer prognosis. J Clin Oncol. 2008;26(8):1364–1370.";
    DELONG, "delong1988", "DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated receiver operating characteristic curves: a nonparametric approach. Biometrics. 1988;44(3):837–845.";
    PROC, "robin2011", "Robin X, Turck N, Hainard A, et al. pROC: an open-source package for R and S+ to analyze and compare ROC curves. BMC Bioinformatics. 2011;12:77.";
    YOUDEN, "youden1950", "Youden WJ. Index for rating diagnostic tests. Cancer. 1950;3(1):32–35.";
    CLOPPER_PEARSON, "clopper1934", "Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of the binomial. Biometrika. 1934;26(4):404–413.";
    HOSMER_LEMESHOW, "hosmer1980", "Hosmer DW, Lemeshow S. Goodness of fit tests for the multiple logistic regression model. Commun Stat Theory Methods. 1980;9(10):1043–1069.";
    OPTIMISM, "harrell1996", "Harrell FE Jr, Lee KL, Mark DB. Multivariable prognostic models: issues in developing models, evaluating assumptions and adequacy, and measuring and reducing errors. Stat Med. 1996;15(4):361–387.";
    CALIBRATION, "vancalster2019", "Van Calster B, McLernon DJ, van Smeden M, Wynants L, Steyerberg EW. Calibration: the Achilles heel of predictive analytics. BMC Med. 2019;17:230.";
    LOWESS, "cleveland1979", "Cleveland WS. Robust locally weighted regression and smoothing scatterplots. J Am Stat Assoc. 1979;74(368):829–836.";
    DECISION_CURVE, "vickers2006", "Vickers AJ, Elkin EB. Decision curve analysis: a novel method for evaluating prediction models. Med Decis Making. 2006;26(6):565–574.";
    NESTED_CV, "varma2006", "Varma S, Simon R. Bias in error estimation when using cross-validation for model selection. BMC Bioinformatics. 2006;7:91.";
    SAMPLE_SIZE, "riley2020", "Riley RD, Ensor J, Snell KIE, et al. Calculating the sample size required for developing a clinical prediction model. BMJ. 2020;368:m441.";
    MANN_WHITNEY, "mann1947", "Mann HB, Whitney DR. On a test of whether one of two random variables is stochastically larger than the other. Ann Math Stat. 1947;18(1):50–60.";
    R, "rcore", "R Core Team. R: A Language and Environment for Statistical Computing. Vienna: R Foundation for Statistical Computing.";
}

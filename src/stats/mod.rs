//! Statistics: summaries, distribution functions and hypothesis tests (and, later, the models).
//!
//! Every function cites its formula and the reference implementation it must equal (R's stats
//! package unless said otherwise). Knows nothing of the language, the session or rendering.

pub mod calibration;
pub mod decision;
pub mod design;
pub mod distributions;
pub mod fisher;
pub mod hypothesis;
pub mod icc;
pub mod lasso;
pub mod linalg;
pub mod logistic;
pub mod nomogram;
pub mod optimism;
pub mod pipeline;
pub mod pretty;
pub mod proportion;
pub mod repeated_cv;
pub mod roc;
pub mod samplesize;
pub mod selection;
pub mod selection_replay;
pub mod smoothing;
pub mod special;
pub mod stability;
pub mod summary;
pub mod table_one;
pub mod tolerance;

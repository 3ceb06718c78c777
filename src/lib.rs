//! govscore evaluates Chinese government websites on the national performance-evaluation
//! indicators and ranks them by category.

pub mod input;

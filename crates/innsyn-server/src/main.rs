//! innsyn binary.
fn main() {}

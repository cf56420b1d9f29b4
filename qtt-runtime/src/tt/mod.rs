//! Tensor trains (MPS) and TT matrices (MPO).

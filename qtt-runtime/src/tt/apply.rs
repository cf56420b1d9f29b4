//! Applying TT matrices: MPO x MPS (exact, zip-up, variational) and MPO x MPO.

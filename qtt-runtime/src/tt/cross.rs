//! Cross approximation.
